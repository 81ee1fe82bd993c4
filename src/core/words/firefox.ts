// Firefox's own words for a blocked CORS request: its console lines, verbatim from
// dom/locales/en-US/chrome/security/security.properties, keyed as Firefox keys them.
import type { ReasonCode } from '../cors/reasons';
import { REASONS } from '../cors/reasons';
import type { ConsoleWords } from './words';

const BLOCKED = 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at';

/** %1$S is the URL; %2$S the status code or the failing value. */
const LINES: Readonly<Record<string, string>> = {
  CORSDidNotSucceed2: `${BLOCKED} %1$S. (Reason: CORS request did not succeed). Status code: %2$S.`,
  CORSExternalRedirectNotAllowed: `${BLOCKED} %1$S. (Reason: CORS request external redirect not allowed).`,
  CORSRequestNotHttp: `${BLOCKED} %1$S. (Reason: CORS request not http).`,
  CORSMissingAllowOrigin2: `${BLOCKED} %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: %2$S.`,
  CORSMultipleAllowOriginNotAllowed: `${BLOCKED} %1$S. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`,
  CORSAllowOriginNotMatchingOrigin: `${BLOCKED} %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2$S’).`,
  CORSNotSupportingCredentials: `${BLOCKED} ‘%1$S’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`,
  CORSMethodNotFound: `${BLOCKED} %1$S. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSMissingAllowCredentials: `${BLOCKED} %1$S. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`,
  CORSPreflightDidNotSucceed3: `${BLOCKED} %1$S. (Reason: CORS preflight response did not succeed). Status code: %2$S.`,
  CORSInvalidAllowMethod: `${BLOCKED} %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSInvalidAllowHeader: `${BLOCKED} %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’).`,
  CORSMissingAllowHeaderFromPreflight2: `${BLOCKED} %1$S. (Reason: header ‘%2$S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`,
};

/** The keys whose %2$S is the status code rather than the failing value. */
const WITH_STATUS = new Set(['CORSDidNotSucceed2', 'CORSMissingAllowOrigin2', 'CORSPreflightDidNotSucceed3']);

function line(key: string, url: string, parameter: string | null, status: number | null): string | null {
  const template = LINES[key];
  if (template === undefined) return null;
  const second = WITH_STATUS.has(key) ? (status === null ? '(null)' : String(status)) : (parameter ?? '');
  // A function replacement: `$` in page data must not act as a replacement pattern.
  return template.replace('%1$S', () => url).replace('%2$S', () => second);
}

export const firefoxWords: ConsoleWords = {
  browser: 'firefox',
  key(reason: ReasonCode): string {
    return REASONS[reason].firefoxKey ?? reason;
  },
  reason(reason: ReasonCode, parameter: string | null): string {
    const key = REASONS[reason].firefoxKey;
    const full = key === null ? null : line(key, '', parameter, null);
    const said = full === null ? null : /\(Reason: (.*?)\)\.(?: Status code: .*)?$/.exec(full);
    return said?.[1] ?? REASONS[reason].title;
  },
  consoleLine(reason: ReasonCode, parameter: string | null, url: string, _origin: string | null, status: number | null): string | null {
    const key = REASONS[reason].firefoxKey;
    return key === null ? null : line(key, url, parameter, status);
  },
};
