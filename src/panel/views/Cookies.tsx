import { useContext } from 'preact/hooks';
import type { Browser } from '../../core/browser';
import { COOKIE_REASON_INFO, type CookieReason } from '../../core/cookies/reasons';
import type { CookieUnknown } from '../../core/cookies/verdict';
import type { RequestRecord } from '../../core/session/record';
import { JudgingBrowser } from '../judging-browser';

const UNKNOWN_WORDS: Record<CookieUnknown, string> = {
  jar: 'the cookies the browser holds (the cookies API could not be read: a private window, or the permission is missing), so no cookie is listed as held back',
  'request-cookies': 'the Cookie header the request went out with',
};

/** Why a cookie stayed home or was not stored, what to change, and in Firefox its console key and message. */
function Reason({ name, reason, browser }: { name: string; reason: CookieReason; browser: Browser }) {
  const info = COOKIE_REASON_INFO[reason];
  const firefox = browser === 'firefox' ? info.firefox : null;
  return (
    <>
      <b>{reason}</b>: {info.title}. <span class="cookie-fix">{info.fix}</span>
      {firefox && (
        <span class="muted">
          {' '}
          Firefox console: <code>{firefox.key}</code> “{firefox.text.replace('%1$S', name)}”
        </span>
      )}
    </>
  );
}

/** The detail's credentials section: the credentials mode, the cookies sent and held back, and what each Set-Cookie did. */
export function Cookies({ r }: { r: RequestRecord }) {
  const browser = useContext(JudgingBrowser);
  const c = r.cookies;
  const named = (name: string) => <code>{name === '' ? '(no name)' : name}</code>;
  return (
    <section class="cookies" aria-label="Credentials and cookies">
      <h3>Credentials and cookies</h3>
      <p class="muted">Credentials mode {r.credentials.mode}</p>
      {c === undefined ? (
        <p class="muted">No cookie verdict: Origin Lens reads the cookie jar once the tab's requests go quiet; a file saved by another tool has none.</p>
      ) : (
        <>
          {c.unknown?.map((u) => (
            <p class="muted" key={u}>
              Not seen: {UNKNOWN_WORDS[u]}.
            </p>
          ))}
          <h4>Sent ({c.sent.length})</h4>
          {c.sent.length === 0 ? (
            <p class="muted">none</p>
          ) : (
            <ul class="cookie-list">
              {c.sent.map((s, i) => (
                <li key={i}>
                  {named(s.name)}
                  {s.partitioned ? ' (from this top-level site’s partition)' : ''}
                </li>
              ))}
            </ul>
          )}
          <h4>Held back ({c.withheld.length})</h4>
          {c.withheld.length === 0 ? (
            <p class="muted">none</p>
          ) : (
            <ul class="cookie-list">
              {c.withheld.map((w, i) => (
                <li key={i} class="withheld">
                  {named(w.name)}: <Reason name={w.name} reason={w.reason} browser={browser} />
                </li>
              ))}
            </ul>
          )}
          {c.set.length > 0 && (
            <>
              <h4>Set-Cookie ({c.set.length})</h4>
              <ul class="cookie-list">
                {c.set.map((s, i) => (
                  <li key={i} class={s.stored ? '' : 'withheld'}>
                    {named(s.name)}: {s.stored ? 'stored' : 'refused'}
                    {s.reason !== null && (
                      <>
                        {' '}
                        (<Reason name={s.name} reason={s.reason} browser={browser} />)
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
