// What the browsers' own consoles say when they block a CORS request: the name each gives the
// failure (Chromium's CorsError, as our reason codes; Firefox's security.properties key) and
// its words, for comparing with the engine's verdict in that browser's own terms.
import type { Browser } from '../../src/core/browser';

const CHROMIUM: Array<[RegExp, string]> = [
  [/Response to preflight request doesn't pass access control check: It does not have HTTP ok status/, 'PreflightInvalidStatus'],
  [/Request header field \S+ is not allowed by Access-Control-Allow-Headers/, 'HeaderDisallowedByPreflightResponse'],
  [/Method \S+ is not allowed by Access-Control-Allow-Methods/, 'MethodDisallowedByPreflightResponse'],
  [/No 'Access-Control-Allow-Origin' header is present/, 'MissingAllowOriginHeader'],
  [/'Access-Control-Allow-Origin' header contains multiple values/, 'MultipleAllowOriginValues'],
  [/'Access-Control-Allow-Origin' header has a value .* that is not equal to the supplied origin/, 'AllowOriginMismatch'],
  [/must not be the wildcard '\*' when the request's credentials mode is 'include'/, 'WildcardOriginNotAllowed'],
  [/'Access-Control-Allow-Credentials' header in the response is .* which must be 'true'/, 'InvalidAllowCredentials'],
];

// Firefox logs the same key for a response and a preflight.
const FIREFOX: Array<[RegExp, string]> = [
  [/Reason: CORS preflight response did not succeed/, 'CORSPreflightDidNotSucceed3'],
  [/is not allowed according to header ‘Access-Control-Allow-Headers’/, 'CORSMissingAllowHeaderFromPreflight2'],
  [/Did not find method in CORS header ‘Access-Control-Allow-Methods’/, 'CORSMethodNotFound'],
  [/CORS header ‘Access-Control-Allow-Origin’ missing/, 'CORSMissingAllowOrigin2'],
  [/Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed/, 'CORSMultipleAllowOriginNotAllowed'],
  [/CORS header ‘Access-Control-Allow-Origin’ does not match/, 'CORSAllowOriginNotMatchingOrigin'],
  [/Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’/, 'CORSNotSupportingCredentials'],
  [/expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’/, 'CORSMissingAllowCredentials'],
];

export interface ConsoleReason {
  /** Chromium's CorsError name (with the Preflight prefix where it names the preflight), or Firefox's key. */
  key: string;
  /** The console's words for the reason: after "blocked by CORS policy: " (Chromium), inside "(Reason: …)" (Firefox). */
  text: string;
}

/** The reason the browser's console gave for blocking `url` (the first matching message), or null when it logged none. */
export function consoleReason(browser: Browser, messages: string[], url: string): ConsoleReason | null {
  const table = browser === 'chromium' ? CHROMIUM : FIREFOX;
  for (const m of messages) {
    if (!m.includes(url)) continue;
    // Chromium names the URL the request went to first, then "(redirected from ...)".
    if (browser === 'chromium' && !m.includes(`fetch at '${url}'`)) continue;
    for (const [pattern, key] of table) {
      if (!pattern.test(m)) continue;
      // Firefox's console wraps the line: [JavaScript Error: "… (Reason: …). Status code: 200." {file: …}]
      if (browser === 'firefox') return { key, text: /\(Reason: (.*?)\)\.(?: Status code: \S+\.)?"/.exec(m)?.[1] ?? m };
      const preflight = /Response to preflight request/.test(m) && !key.startsWith('Preflight') && !key.endsWith('PreflightResponse');
      return { key: preflight ? `Preflight${key}` : key, text: m.slice(m.indexOf('blocked by CORS policy: ') + 'blocked by CORS policy: '.length) };
    }
  }
  return null;
}
