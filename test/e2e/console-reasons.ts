// What the browsers' own consoles say when they block a CORS request, mapped to our reason
import type { Browser } from '../../src/core/browser';
// codes: the browser's word on *why*, for comparing with the engine's verdict.
// Firefox logs the same text for a response and a preflight, so its codes are the base ones.

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

const FIREFOX: Array<[RegExp, string]> = [
  [/Reason: CORS preflight response did not succeed/, 'PreflightInvalidStatus'],
  [/is not allowed according to header ‘Access-Control-Allow-Headers’/, 'HeaderDisallowedByPreflightResponse'],
  [/Did not find method in CORS header ‘Access-Control-Allow-Methods’/, 'MethodDisallowedByPreflightResponse'],
  [/CORS header ‘Access-Control-Allow-Origin’ missing/, 'MissingAllowOriginHeader'],
  [/Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed/, 'MultipleAllowOriginValues'],
  [/CORS header ‘Access-Control-Allow-Origin’ does not match/, 'AllowOriginMismatch'],
  [/Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’/, 'WildcardOriginNotAllowed'],
  [/expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’/, 'InvalidAllowCredentials'],
];

/**
 * The reason the browser's console gave for blocking `url` (the first matching message), or
 * null when it logged none. Chromium names a preflight failure as such; Firefox does not.
 */
export function consoleReason(browser: Browser, messages: string[], url: string): string | null {
  const table = browser === 'chromium' ? CHROMIUM : FIREFOX;
  for (const m of messages) {
    if (!m.includes(url)) continue;
    // Chromium names the URL the request went to first, then "(redirected from ...)".
    if (browser === 'chromium' && !m.includes(`fetch at '${url}'`)) continue;
    for (const [pattern, reason] of table) {
      if (!pattern.test(m)) continue;
      const preflight = browser === 'chromium' && /Response to preflight request/.test(m) && !reason.startsWith('Preflight') && !reason.endsWith('PreflightResponse');
      return preflight ? `Preflight${reason}` : reason;
    }
  }
  return null;
}

/** Firefox names no preflight in its console: compare on the base reason. */
export function baseReason(reason: string): string {
  return /^Preflight(?!InvalidStatus|DisallowedRedirect)/.test(reason) ? reason.slice('Preflight'.length) : reason;
}
