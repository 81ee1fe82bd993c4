import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { askBackground, type SendRequest } from '../core/protocol';
import type { Settings } from '../core/session/settings';
import type { Finding } from '../core/cors/findings';
import { sessionFindings } from '../core/session/findings';
import type { Browser } from '../core/browser';
import { readLogFile } from '../core/log/log-file';
import { App } from './App';
import { JudgingBrowser } from './judging-browser';
import { exportSession, type ExportFormat } from './export';
import { SessionModel } from './model';
import { LiveSource } from './source';
import { followTheme } from './theme';

// Three hosts, one app: inside DevTools (?tabId=N&host=devtools), as a tab opened from the
// toolbar button (?tabId=N), and offline on an imported file (no tabId).
const params = new URLSearchParams(location.search);
const tabParam = params.get('tabId');
const liveTabId = tabParam !== null && /^\d+$/.test(tabParam) ? Number(tabParam) : null;
followTheme(params);

const toBackground: SendRequest = (message) => browser.runtime.sendMessage(message);

const LIVE_BROWSER: Browser = __BROWSER__;

function Root() {
  const model = useMemo(() => new SessionModel(), []);
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState(liveTabId !== null);
  const [title, setTitle] = useState(liveTabId !== null ? 'connecting…' : 'offline: no file opened');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [source, setSource] = useState<LiveSource | null>(null);
  const [browserName, setBrowserName] = useState<Browser>(LIVE_BROWSER);
  const [settings, setSettings] = useState<Settings | null>(null);
  const currentFindings = (): Finding[] => sessionFindings(model.records, model.messages, browserName);
  const [findings, setFindings] = useState<Finding[]>([]);
  const lastFindings = useRef({ at: -Infinity, took: 0 });
  // Findings wait until the browser is idle: over 100,000 records they take a third of a
  // second, which the table's first paint should not. While updates stream in, they are
  // recomputed at most once per five times what they last took.
  useEffect(() => {
    let idle: number | undefined;
    const compute = () => {
      const start = performance.now();
      setFindings(currentFindings());
      lastFindings.current = { at: performance.now(), took: performance.now() - start };
    };
    const due = lastFindings.current.at + 5 * lastFindings.current.took - performance.now();
    const timer = setTimeout(() => (idle = requestIdleCallback(compute, { timeout: 1000 })), Math.max(0, due));
    return () => {
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [version, browserName]);

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
    void askBackground(toBackground, 'status', {}).then((status) => setSettings(status.settings));
    return () => s.close();
  }, []);

  const onSettings = (patch: Partial<Settings>) => {
    void askBackground(toBackground, 'set-settings', { settings: patch }).then((status) => setSettings(status.settings));
  };

  const onExport = (format: ExportFormat, includeSecrets: boolean) =>
    exportSession(model, format, { includeSecrets, tabId: liveTabId, browser: browserName, extensionVersion: browser.runtime.getManifest().version, findings: currentFindings });

  const onImport = async (file: File) => {
    try {
      const log = readLogFile(await file.text());
      source?.close();
      setSource(null);
      setLive(false);
      model.loadLog(log);
      setBrowserName(log.browser);
      setTitle(`${file.name} (imported ${log.kind === 'har' ? 'HAR' : 'session log'}, ${log.browser})`);
      setError(null);
      setNotice(log.warnings.length ? log.warnings.join(' ') : null);
      setVersion(model.version);
    } catch (e) {
      setError(`Could not open ${file.name}: ${(e as Error).message}`);
    }
  };

  return (
    <JudgingBrowser.Provider value={browserName}>
      <App
        model={model}
        version={version}
        findings={findings}
        live={live}
        title={title}
        onClear={() => source?.send({ type: 'clear' })}
        onPreserveLog={(preserve) => source?.send({ type: 'set-preserve-log', preserve })}
        settings={live ? settings : null}
        onSettings={onSettings}
        onExport={onExport}
        onImport={(f) => void onImport(f)}
        error={error}
        notice={notice}
      />
    </JudgingBrowser.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<Root />, root);
