import { useContext, useEffect } from 'preact/hooks';
import type { Browser } from '../../core/browser';
import { warningWords } from '../../core/words/steps';
import { loadFacts, reasonWords } from '../../core/words/words';
import { JudgingBrowser } from '../judging-browser';
import type { RequestRecord } from '../../core/session/record';
import { involvesCredentials, outcomeOf, targetOrigin, techniqueOf } from '../filter';
import { useVirtualRows } from './virtual';

/** 24 px: a link in a row is a pointer target of the size WCAG 2.5.8 asks for. */
export const ROW_HEIGHT = 24;

interface Props {
  rows: RequestRecord[];
  selectedId: string | null;
  /** Selects the row and opens its detail: a click does, as in the browsers' network panels. */
  onOpen: (id: string) => void;
  preflightOf: (r: RequestRecord) => RequestRecord | undefined;
}

function pathOf(r: RequestRecord): string {
  return r.url.slice(targetOrigin(r).length) || '/';
}

// webRequest calls fetch() and XMLHttpRequest both "xmlhttprequest".
function typeLabel(r: RequestRecord): string {
  if (r.isPreflight) return 'preflight';
  if (techniqueOf(r) === 'jsonp') return 'jsonp';
  if (r.type === 'xmlhttprequest') return r.hook ? r.hook.api : 'fetch/xhr';
  return r.type;
}

export function CredentialIcons({ r }: { r: RequestRecord }) {
  const c = r.credentials;
  return (
    <span class="creds">
      {c.cookiesSent && <span class="tag" title="A Cookie header was sent">cookies</span>}
      {c.authorization === true && <span class="tag" title="An Authorization header was set">auth</span>}
      {c.withCredentials === true && <span class="tag" title="XMLHttpRequest.withCredentials = true">withCredentials</span>}
      {!c.cookiesSent && c.mode === 'include' && <span class="tag" title="Credentials mode 'include': cookies go out when the browser has any">include</span>}
    </span>
  );
}

// A Map: an imported log's kind may be any string, "toString" too.
const WORKER_WORDS = new Map<unknown, string>([['service', 'service worker'], ['shared', 'shared worker'], ['dedicated', 'dedicated worker']]);

/** A gear on requests a worker made (as the browsers' network panels mark them), and a tag on page requests the service worker answered. */
export function WorkerMark({ r }: { r: RequestRecord }) {
  const words = r.worker ? (WORKER_WORDS.get(r.worker.kind) ?? 'worker') : null;
  return (
    <>
      {words !== null && (
        <span class="worker-mark" role="img" aria-label={`made by a ${words}`} title={`Made by a ${words}${r.worker!.inferred ? ' (inferred: the page never made it)' : ''}`}>
          ⚙
        </span>
      )}
      {r.answeredBy && (
        <span class="tag" title="The page's service worker answered this request; the page's own request never reached the network">
          answered by SW
        </span>
      )}
    </>
  );
}

export function OutcomeBadge({ r }: { r: RequestRecord }) {
  const outcome = outcomeOf(r);
  return <span class={`badge badge-${outcome}`}>{outcome}</span>;
}

/** The Why column: the reason in the judging browser's console words, else the first warning. */
export function whyText(r: RequestRecord, browser: Browser): string {
  const v = r.verdict;
  if (!v) return '';
  if (v.reason) return reasonWords(v, browser, loadFacts(r))?.text ?? '';
  if (v.warnings.length) return `⚠ ${warningWords(v.warnings[0]!)}`;
  return '';
}

const COLUMNS: [string, string][] = [
  ['c-method', 'Method'],
  ['c-url', 'URL'],
  ['c-origins', 'Initiator → target'],
  ['c-type', 'Type'],
  ['c-status', 'Status'],
  ['c-outcome', 'Verdict'],
  ['c-reason', 'Why'],
  ['c-flags', 'Preflight / credentials'],
];

/** The element id of a request's row (the grid's active descendant when selected). */
export const rowId = (id: string) => `request-${id}`;

/**
 * A virtualized grid: only the rows in view are in the DOM, whatever the number of records.
 * Assistive technology learns the full count (aria-rowcount) and each row's place in it
 * (aria-rowindex); the grid takes the focus and names the selected row as its active descendant.
 */
export function RequestTable({ rows, selectedId, onOpen, preflightOf }: Props) {
  const { scroller, first, last, onScroll, reveal } = useVirtualRows(rows.length, ROW_HEIGHT);
  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);
  const browser = useContext(JudgingBrowser);

  // Keep the selected row in view when the keyboard moves the selection.
  useEffect(() => {
    if (selectedId !== null) reveal(selectedIndex);
  }, [selectedId]);

  const visible = rows.slice(first, last);

  return (
    <div
      class="table requests"
      role="grid"
      aria-label="Requests"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selectedIndex >= first && selectedIndex < last ? rowId(selectedId!) : undefined}
      tabIndex={0}
      ref={scroller}
      onScroll={onScroll}
    >
      <div class="thead" role="row" aria-rowindex={1}>
        {COLUMNS.map(([c, label]) => (
          <span class={c} role="columnheader" key={c}>
            {label}
          </span>
        ))}
      </div>
      <div class="tbody" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
        {visible.map((r, i) => {
          const preflight = preflightOf(r);
          return (
            <div
              key={r.id}
              id={rowId(r.id)}
              role="row"
              aria-rowindex={first + i + 2}
              aria-selected={r.id === selectedId}
              data-id={r.id}
              class={`row ${r.id === selectedId ? 'selected' : ''} outcome-${outcomeOf(r)}`}
              style={{ top: `${(first + i) * ROW_HEIGHT}px` }}
              onClick={() => onOpen(r.id)}
              title={r.url}
            >
              <span role="gridcell" class="c-method">{r.method}</span>
              <span role="gridcell" class="c-url">{pathOf(r)}</span>
              <span role="gridcell" class="c-origins">
                {r.initiatorOrigin ?? '?'} → {targetOrigin(r)}
              </span>
              <span role="gridcell" class="c-type">
                <WorkerMark r={r} />
                {typeLabel(r)}
              </span>
              <span role="gridcell" class="c-status">{r.status ?? (r.error ? '✕' : '…')}</span>
              <span role="gridcell" class="c-outcome">
                <OutcomeBadge r={r} />
              </span>
              <span role="gridcell" class="c-reason">{whyText(r, browser)}</span>
              <span role="gridcell" class="c-flags">
                {preflight && (
                  <a
                    class="preflight-link"
                    href="#"
                    title="Open the preflight that guarded this request"
                    onClick={(e) => {
                      e.preventDefault();
                      e.stopPropagation();
                      onOpen(preflight.id);
                    }}
                  >
                    ✈ preflight {preflight.status ?? ''}
                  </a>
                )}
                {involvesCredentials(r) && <CredentialIcons r={r} />}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
