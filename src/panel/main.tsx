import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { parseSessionLog, toSessionLog } from '../core/session-log';
import { App } from './App';
import { download, exportName } from './download';
import { SessionModel } from './model';
import { LiveSource } from './source';

// Three hosts, one app: inside DevTools (?tabId=N&host=devtools), as a tab opened from the
// toolbar button (?tabId=N), and offline on an imported file (no tabId).
const params = new URLSearchParams(location.search);
const tabParam = params.get('tabId');
const liveTabId = tabParam !== null && /^\d+$/.test(tabParam) ? Number(tabParam) : null;
const theme = params.get('theme');
if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;

function Root() {
  const model = useMemo(() => new SessionModel(), []);
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState(liveTabId !== null);
  const [title, setTitle] = useState(liveTabId !== null ? 'connecting…' : 'offline: no file opened');
  const [error, setError] = useState<string | null>(null);
  const [source, setSource] = useState<LiveSource | null>(null);

  useEffect(() => {
    if (liveTabId === null) return;
    const s = new LiveSource(
      liveTabId,
      (message) => {
        model.apply(message);
        setTitle(model.pageUrl ?? `tab ${liveTabId}`);
        setVersion(model.version);
      },
      () => setError('The extension was updated: close and reopen this panel.'),
    );
    setSource(s);
    return () => s.close();
  }, []);

  const onExport = (format: 'session' | 'har', includeSecrets: boolean) => {
    const log = toSessionLog(
      {
        tabId: liveTabId,
        pageUrl: model.pageUrl,
        startedAt: model.records[0]?.startTime ?? Date.now(),
        records: model.records,
        navigations: model.navigations,
        messages: [],
        websockets: [],
        findings: [],
        dropped: { requests: model.dropped, messages: 0, websockets: 0 },
      },
      { includeSecrets, browser: __BROWSER__ === 'chrome' ? 'chromium' : 'firefox', extensionVersion: browser.runtime.getManifest().version, now: Date.now() },
    );
    if (format === 'session') download(exportName(model.pageUrl, 'json'), JSON.stringify(log, null, 1), 'application/json');
  };

  const onImport = async (file: File) => {
    try {
      const log = parseSessionLog(await file.text());
      source?.close();
      setSource(null);
      setLive(false);
      model.load({ tabId: log.page.tabId ?? -1, pageUrl: log.page.url, startedAt: Date.parse(log.page.startedAt), records: log.requests, navigations: log.navigations, dropped: log.dropped.requests }, false);
      setTitle(`${file.name} (imported)`);
      setError(null);
      setVersion(model.version);
    } catch (e) {
      setError(`Could not open ${file.name}: ${(e as Error).message}`);
    }
  };

  return (
    <App
      model={model}
      version={version}
      live={live}
      title={title}
      onClear={() => source?.send({ type: 'clear' })}
      onPreserveLog={(preserve) => source?.send({ type: 'set-preserve-log', preserve })}
      onExport={onExport}
      onImport={(f) => void onImport(f)}
      error={error}
    />
  );
}

const root = document.getElementById('app');
if (root) render(<Root />, root);
