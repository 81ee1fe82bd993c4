import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { Finding } from '../core/cors/findings';
import { pairedPreflight } from '../core/session/record';
import type { Settings } from '../core/session/settings';
import type { RequestRecord } from '../core/session/record';
import type { Stack } from '../core/fix/render';
import type { ExportFormat } from './export';
import { sessionFixes, storedStack, storeStack } from './fixes';
import { DEFAULT_FILTER, type Filter, type SortKey } from './filter';
import type { SessionModel } from './model';
import { Detail } from './views/Detail';
import { FilterBar } from './views/FilterBar';
import { Findings } from './views/Findings';
import { Guard } from './views/Guard';
import { Messages } from './views/Messages';
import { PageDropsNotice } from './views/PageDropsNotice';
import { countWere } from './plural';
import { RequestTable, ROW_HEIGHT } from './views/RequestTable';
import { Servers } from './views/Servers';
import { StackFix } from './views/StackFix';
import { Toolbar, type View } from './views/Toolbar';
import { WebSockets } from './views/WebSockets';

export interface AppProps {
  model: SessionModel;
  /** Re-render trigger: the source bumps it when the model changed. */
  version: number;
  /** The session's findings (requests and messages), recomputed with the model. */
  findings: Finding[];
  live: boolean;
  title: string;
  onClear?: () => void;
  onPreserveLog?: (preserve: boolean) => void;
  /** The background's recording settings (live hosts only; null when unknown or offline). */
  settings?: Settings | null;
  onSettings?: (patch: Partial<Settings>) => void;
  onExport: (format: ExportFormat, includeSecrets: boolean) => void;
  onImport: (file: File) => void;
  error: string | null;
  /** Something worth knowing that is not an error (e.g. what an imported file could not tell). */
  notice: string | null;
}

function viewLabel(v: View, requests: number, findings: number, model: SessionModel): string {
  switch (v) {
    case 'requests':
      return `Requests (${requests})`;
    case 'findings':
      return `Findings (${findings})`;
    case 'servers':
      return 'Servers';
    case 'messages':
      return `Messages (${model.messages.length})`;
    case 'websockets':
      return `WebSockets (${model.websockets.length})`;
  }
}

const requestsGrid = () => document.querySelector<HTMLElement>('.requests[role=grid]');

export function App({ model, version, findings, live, title, onClear, onPreserveLog, settings = null, onSettings, onExport, onImport, error, notice }: AppProps) {
  const [view, setView] = useState<View>('requests');
  const [filter, setFilter] = useState<Filter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<SortKey>('time');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  /** The message a finding's evidence link pointed to. */
  const [focusMessage, setFocusMessage] = useState<string | null>(null);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [stack, setStack] = useState(storedStack);
  const pickStack = (picked: Stack) => {
    storeStack(picked);
    setStack(picked);
  };

  const evidence = useMemo(() => new Set(findings.flatMap((f) => f.evidence)), [findings]);
  const hasFindings = useCallback((r: RequestRecord) => evidence.has(r.id), [evidence]);
  const recordFilter = model.filter;
  // The model patched the filter's answer as the records changed: asked again, it costs what changed.
  const { rows, ...facets } = useMemo(() => recordFilter.run(filter, sort, hasFindings), [recordFilter, version, filter, sort, hasFindings]);
  // Search texts are built in small slices between tasks, before the user types (and as records arrive).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = () => {
      if (!recordFilter.prepareText(8)) timer = setTimeout(step, 0);
    };
    timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [recordFilter, version]);
  const preflightOf = useCallback((r: RequestRecord) => pairedPreflight(r, model) ?? undefined, [model]);

  // The keyboard handler reads the selection from here, not from a render's closure: a key
  // pressed right after a click must see that click before the next render.
  const current = useRef({ rows, selectedId, detailId });
  current.current.rows = rows;
  const select = (id: string | null, alsoDetail = false) => {
    current.current.selectedId = id;
    setSelectedId(id);
    if (alsoDetail) {
      current.current.detailId = id;
      setDetailId(id);
    }
  };
  const open = (id: string) => select(id, true);
  const closeDetail = () => {
    current.current.detailId = null;
    setDetailId(null);
  };

  // The rows answer the keys when the requests grid has the focus, or nothing has; Escape closes
  // the detail from anywhere but a text field, and gives the focus back to the grid.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : document.body;
      if (target.tagName === 'INPUT' || target.tagName === 'SELECT') return;
      const { rows: shown, selectedId: sel, detailId: det } = current.current;
      if (e.key === 'Escape' && det !== null) {
        const inDetail = target.closest('.detail') !== null;
        closeDetail();
        if (inDetail) requestsGrid()?.focus();
        return;
      }
      if (target !== document.body && target !== requestsGrid()) return;
      const i = shown.findIndex((r) => r.id === sel);
      const page = Math.max(1, Math.floor(((requestsGrid()?.clientHeight ?? 0) - ROW_HEIGHT) / ROW_HEIGHT));
      const to: Partial<Record<string, number>> = { ArrowDown: i + 1, ArrowUp: Math.max(0, i - 1), Home: 0, End: shown.length - 1, PageDown: i + page, PageUp: Math.max(0, i - page) };
      const next = to[e.key];
      if (next !== undefined) {
        e.preventDefault();
        select(shown[Math.min(shown.length - 1, next)]?.id ?? null, det !== null);
      } else if (e.key === 'Enter' && sel !== null) {
        open(sel);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const detail = detailId !== null ? model.get(detailId) : undefined;
  // Computed over the whole session only while a view shows it.
  const wantFixes = view === 'servers' || detail?.verdict?.outcome === 'blocked';
  const fixes = useMemo(() => (wantFixes ? sessionFixes(model.records) : null), [version, wantFixes]);
  const blocked = facets.outcomes.get('blocked') ?? 0;

  return (
    <div class="app">
      <Toolbar
        title={title}
        view={view}
        onView={setView}
        viewLabel={(v) => viewLabel(v, rows.length, findings.length, model)}
        live={live}
        preserveLog={model.preserveLog}
        onPreserveLog={(preserve) => {
          model.preserveLog = preserve;
          onPreserveLog?.(preserve);
          redraw(0);
        }}
        onClear={onClear}
        settings={settings}
        onSettings={onSettings}
        onExport={onExport}
        onImport={onImport}
      />
      {error && (
        <div class="error" role="alert">
          {error}
        </div>
      )}
      {notice && <div class="notice">{notice}</div>}
      {model.storageFull && <div class="notice storage-full">Storage is full: recording goes on in memory, but what is recorded now is lost if the browser stops the extension's background.</div>}
      {view === 'requests' && (
        <>
          <FilterBar filter={filter} onFilter={setFilter} sort={sort} onSort={setSort} counts={facets} />
          {model.dropped > 0 && (
            <div class="notice">
              {countWere(model.dropped, 'older request', 'older requests')} dropped to stay within the per-tab limit
              {model.droppedForBudget > 0 && ` and the budget across all tabs (${model.droppedForBudget} for the budget)`}.
            </div>
          )}
          <div class={`main ${detail ? 'with-detail' : ''}`}>
            {rows.length === 0 ? (
              <div class="empty">
                {model.records.length === 0
                  ? live
                    ? 'No requests yet. Reload the page to see its traffic.'
                    : 'Import a session log or HAR file to look at it here.'
                  : 'No request matches the filters.'}
                {blocked > 0 ? ` ${blocked} blocked.` : ''}
              </div>
            ) : (
              <Guard what="the requests">
                <RequestTable rows={rows} selectedId={selectedId} onOpen={open} preflightOf={preflightOf} />
              </Guard>
            )}
            {detail && (
              <Guard what="this request" key={detail.id}>
                <Detail
                  r={detail}
                  preflight={preflightOf(detail)}
                  onClose={() => {
                    closeDetail();
                    requestsGrid()?.focus();
                  }}
                  onOpen={open}
                  fix={fixes && <StackFix id={detail.id} fixes={fixes} stack={stack} onStack={pickStack} />}
                />
              </Guard>
            )}
          </div>
        </>
      )}
      {view === 'findings' && (
        <Guard what="the findings">
          <Findings
            findings={findings}
            describe={(id) => {
              const r = model.get(id);
              if (r) return `${r.method} ${r.url}`;
              const m = model.messages.find((x) => x.id === id);
              return m ? `message ${m.senderOrigin ?? '?'} → ${m.receiverOrigin}` : null;
            }}
            onEvidence={(id) => {
              if (model.get(id)) {
                setView('requests');
                open(id);
              } else {
                setFocusMessage(id);
                setView('messages');
              }
            }}
          />
        </Guard>
      )}
      {view === 'servers' && fixes && (
        <Guard what="the servers">
          <Servers
            fixes={fixes}
            stack={stack}
            onStack={pickStack}
            get={(id) => model.get(id)}
            onOpen={(id) => {
              setView('requests');
              open(id);
            }}
          />
        </Guard>
      )}
      {(view === 'messages' || view === 'websockets') && <PageDropsNotice dropped={model.pageDropped} view={view} />}
      {view === 'messages' && (
        <Guard what="the messages">
          <Messages messages={model.messages} records={model.records} framesVersion={model.framesVersion} focusId={focusMessage} />
        </Guard>
      )}
      {view === 'websockets' && (
        <Guard what="the WebSockets">
          <WebSockets sockets={model.websockets} handshake={(s) => (s.handshake.requestId ? model.get(s.handshake.requestId) : undefined)} />
        </Guard>
      )}
    </div>
  );
}
