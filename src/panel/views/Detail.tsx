import { toCurl } from '../../core/net/curl';
import type { HeaderList } from '../../core/net/headers';
import { useContext } from 'preact/hooks';
import type { VerdictStep } from '../../core/cors/verdict';
import { stepWords, warningWords } from '../../core/words/steps';
import { consoleWords, loadFacts, reasonWords } from '../../core/words/words';
import { JudgingBrowser } from '../judging-browser';
import type { RequestRecord } from '../../core/session/record';
import { readDocument, type DocumentInfo } from '../../core/blocks/block';
import { crossOriginIsolated } from '../../core/blocks/coep';
import { documentInfo } from '../../core/session/build';
import { Cookies } from './Cookies';
import type { ComponentChildren } from 'preact';
import { copy } from '../clipboard';
import { CredentialIcons, OutcomeBadge } from './RequestTable';

function Headers({ title, headers, highlight, hidden }: { title: string; headers: HeaderList; highlight?: string | null; hidden?: Set<string> }) {
  return (
    <section class="headers">
      <h4>{title}</h4>
      {headers.length === 0 ? (
        <p class="muted">none seen</p>
      ) : (
        <dl>
          {headers.map((h, i) => {
            const name = h.name.toLowerCase();
            const failing = highlight !== undefined && highlight !== null && (h.value === highlight || name === highlight.toLowerCase());
            const isHidden = hidden?.has(name) ?? false;
            return (
              <div key={i} class={`header ${failing ? 'failing' : ''} ${isHidden ? 'hidden-header' : ''}`}>
                <dt>{h.name}</dt>
                <dd>
                  {h.value}
                  {isHidden && <span class="note" title="The page's script cannot read this response header"> (hidden from script)</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </section>
  );
}

function Exchange({ title, r, failing }: { title: string; r: RequestRecord; failing: string | null }) {
  const hidden = new Set(r.verdict?.hiddenHeaders.map((h) => h.toLowerCase()) ?? []);
  // The Fetch standard never sends a request whose preflight failed: say so, not "none seen".
  const notSent = r.verdict?.hop === 'preflight' && r.verdict.outcome === 'blocked' && r.status === null;
  if (notSent) {
    return (
      <div class="exchange">
        <h3>
          {title}: {r.method} not sent
        </h3>
        <p class="muted">The browser stopped at the failed preflight: this request never went out{r.error ? ` (${r.error})` : ''}.</p>
      </div>
    );
  }
  return (
    <div class="exchange">
      <h3>
        {title}: {r.method} {r.status ?? r.error ?? 'pending'}
        <button class="small" onClick={() => copy(toCurl(r.method, r.finalUrl, r.requestHeaders))} title="Copy this request as a curl command">
          Copy as cURL
        </button>
      </h3>
      <Headers title="Request headers" headers={r.requestHeaders} highlight={failing} />
      <Headers title="Response headers" headers={r.responseHeaders} highlight={failing} hidden={r.isPreflight ? undefined : hidden} />
    </div>
  );
}

/** A page's isolation: its COOP and COEP, and whether they make it cross-origin isolated. */
function Isolation({ label, doc }: { label: string; doc: DocumentInfo }) {
  return (
    <p class="muted isolation">
      {label} {doc.url}: Cross-Origin-Opener-Policy {doc.coop ?? 'none'} · Cross-Origin-Embedder-Policy {doc.coep ?? 'none'} ·
      crossOriginIsolated {String(crossOriginIsolated(doc))}
    </p>
  );
}

/** For a request served by the preflight cache: a link to the preflight that filled it. */
function CachedBy({ step, onOpen }: { step: VerdictStep; onOpen: (id: string) => void }) {
  const id = step.code === 'preflight-cached' ? step.params?.preflightId : undefined;
  if (id === undefined || id === '') return null;
  return (
    <>
      {' '}
      <a href="#" onClick={(e) => (e.preventDefault(), onOpen(id))}>
        open that preflight
      </a>
    </>
  );
}

/** `fix`: the fix in the user's own stack, shown under the header lines. */
export function Detail({ r, preflight, onClose, onOpen, fix }: { r: RequestRecord; preflight: RequestRecord | undefined; onClose: () => void; onOpen: (id: string) => void; fix?: ComponentChildren }) {
  const v = r.verdict;
  const browser = useContext(JudgingBrowser);
  const reason = v ? reasonWords(v, browser, loadFacts(r)) : null;
  // The status the console line names: the preflight's when the preflight failed.
  const status = v?.hop === 'preflight' ? (preflight?.status ?? null) : r.status;
  const line = v?.reason ? consoleWords(browser).consoleLine(v.reason, v.failedParameter, r.finalUrl, r.initiatorOrigin, status, loadFacts(r)) : null;
  // Read from a file perhaps: shown only when well-formed.
  const made = readDocument(r.document);
  const opener = readDocument(r.opener);
  return (
    <aside class="detail" aria-label="Request details" tabIndex={0}>
      <header>
        <button class="close" onClick={onClose} title="Close (Esc)" aria-label="Close the details">
          ✕
        </button>
        <h2>
          <OutcomeBadge r={r} /> {r.method} <span class="url">{r.url}</span>
        </h2>
        <p class="muted">
          from {r.initiatorOrigin ?? 'an unknown origin'} · {r.type}
          {r.frameUrl && r.frameId !== 0 ? ` · frame ${r.frameUrl}` : ''} <CredentialIcons r={r} />
        </p>
        {(r.type === 'main_frame' || r.type === 'sub_frame') && r.status !== null && <Isolation label="This page," doc={documentInfo(r)} />}
        {made && <Isolation label={r.type === 'sub_frame' ? 'Embedded by' : 'Made by'} doc={made} />}
        {opener && <Isolation label="Opened by" doc={opener} />}
        {r.isPreflight && r.preflightFor && (
          <p>
            This is the preflight of{' '}
            <a href="#" onClick={(e) => (e.preventDefault(), onOpen(r.preflightFor!))}>
              the request it guarded
            </a>
            .
          </p>
        )}
      </header>

      {v && (
        <section class="verdict">
          {reason ? (
            <>
              <h3 class="reason">
                {v.reason}
                {browser === 'firefox' && reason.firefoxKey ? ` (${reason.firefoxKey})` : ''}: {reason.text}
              </h3>
              {line && (
                <p class="muted console-line" title={`What ${browser === 'firefox' ? 'Firefox' : 'Chromium'}'s console says`}>
                  {line}
                </p>
              )}
              {v.hop && <p>Failed on: {v.hop === 'redirect' ? `redirect hop ${(v.redirectIndex ?? 0) + 1}` : v.hop}</p>}
              {v.failedParameter !== null && (
                <p>
                  Offending value: <code class="failing">{v.failedParameter}</code>
                </p>
              )}
            </>
          ) : (
            <h3>{v.outcome === 'allowed' ? 'The page may read this response.' : v.outcome}</h3>
          )}
          {v.diagnosis && <p class="diagnosis">{v.diagnosis}</p>}
          {v.fix.length > 0 && (
            <div class="fix">
              <h4>Fix: the server must send</h4>
              <pre>{v.fix.join('\n')}</pre>
              <button class="small" onClick={() => copy(v.fix.join('\n'))}>
                Copy header lines
              </button>
            </div>
          )}
          {fix}
          {v.warnings.map((w) => (
            <p class="warning" key={w.code}>
              ⚠ {warningWords(w)}
            </p>
          ))}
          {reason && (
            <p>
              <a href={reason.mdn} target="_blank" rel="noreferrer noopener">
                Read about this error on MDN ({reason.mdn.slice(reason.mdn.lastIndexOf('/') + 1)})
              </a>
            </p>
          )}
          <h4>The checks, in the order the browser makes them</h4>
          <ol class="steps">
            {v.steps.map((s, i) => (
              <li key={i} class={s.passed ? 'pass' : 'fail'}>
                <span class="mark">{s.passed ? '✓' : '✕'}</span> <b>{s.check}</b>
                {s.hop ? ` (${s.hop})` : ''}: {stepWords(s, v)}
                <CachedBy step={s} onOpen={onOpen} />
              </li>
            ))}
          </ol>
          <p class="muted">
            Mode {v.mode}
            {v.modeGuessed ? ' (guessed from the request headers)' : ''} · credentials {v.credentials} · preflight {v.preflight}
          </p>
        </section>
      )}

      {!r.isPreflight && <Cookies r={r} />}

      <div class="exchanges">
        {preflight && <Exchange title="Preflight" r={preflight} failing={v?.hop === 'preflight' ? v.failedParameter : null} />}
        <Exchange title={preflight ? 'Actual request' : 'Request'} r={r} failing={v?.hop !== 'preflight' ? v?.failedParameter ?? null : null} />
      </div>

      {r.redirects.length > 0 && (
        <section class="redirects">
          <h3>Redirects</h3>
          <ol>
            {r.redirects.map((h, i) => (
              <li key={i}>
                {h.status} {h.url} → {h.location}
                <Headers title="Response headers" headers={h.responseHeaders} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  );
}
