// The preflight stage of the CORS protocol, as Chromium and Firefox run it: whether the
// request needed a preflight, and whether the one the browser sent let it through.
import type { PreflightNeed } from './classify';
import { preflightNeed } from './classify';
import type { Context } from './context';
import { isFailure, list, str } from './context';
import { accessCheck } from './cors-check';
import type { CorsResult } from './cors-result';
import { blockedAt, failedAt, originStep } from './cors-result';
import type { HeaderList } from '../net/headers';
import { getHeader, parseNameList, parseTokenList } from '../net/headers';
import { errorKind } from '../net/errors';
import type { ReasonCode } from './reasons';
import { preflightVariant } from './reasons';
import type { Browser } from '../browser';
import type { PreflightObservation } from './verdict';

/**
 * https://fetch.spec.whatwg.org/#http-fetch step 4.1: a request that needs a preflight
 * (https://fetch.spec.whatwg.org/#main-fetch step 12 set makeCORSPreflight) and has no
 * preflight-cache entry covering it gets one; a preflight that fails ends the request.
 * The need is judged on the first hop only: a preflight after a redirect is not modelled.
 */
export function checkPreflight(c: Context, r: CorsResult): void {
  if (c.firstCross) r.need = preflightNeed(c.method, c.requestHeaders, c.browser, c.hook);
  const pf = c.preflight;
  if (pf !== null) {
    r.preflight = 'sent';
    corsPreflightFetch(c, r, pf);
  } else if (r.need.required) {
    const why = preflightWhy(r.need, c.method);
    const reached = c.response !== null || c.redirects.length > 0;
    // No preflight seen, yet the request went out: the cache covered it (unless the source
    // could not show preflights at all).
    if (c.obs.preflightCacheHit === true || (reached && c.obs.preflightsVisible !== false)) {
      r.preflight = 'cached';
      r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, detail: `A preflight was needed (${why}) and none was sent: served from the preflight cache.` });
    } else {
      r.preflight = 'unknown';
      r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, detail: `A preflight was needed (${why}) but none was observed.` });
      r.warnings.push({ code: 'preflight-not-observed', text: `A preflight was needed (${why}) but none was observed; its result is unknown.` });
    }
  } else {
    r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, detail: c.firstCross ? 'No preflight needed: a simple request.' : 'No preflight: the first hop is same-origin.' });
  }
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch steps 6-8, on the preflight the browser
 * sent: its response must pass the CORS check and have an ok status, and its
 * Access-Control-Allow-Methods / -Headers must allow the request's method and headers.
 */
function corsPreflightFetch(c: Context, r: CorsResult, pf: PreflightObservation): void {
  const origin = c.origin as string;
  const include = r.include;
  const pfHeaders = list<never>(pf.responseHeaders) as HeaderList;
  const status = typeof pf.status === 'number' ? pf.status : null;
  // 6. The preflight is fetched without following redirects (HTTP-network-or-cache fetch), so
  // a redirect is not an ok status (step 7); both browsers report it as its own reason.
  const location = getHeader(pfHeaders, 'location');
  if (pf.redirected === true || (status !== null && isRedirectStatus(status) && location !== null)) {
    r.steps.push({ check: 'preflight-redirect', hop: 'preflight', passed: false, detail: `The preflight was redirected${location ? ` to ${location}` : ''}; preflights may not redirect.` });
    blockedAt(r, 'PreflightDisallowedRedirect', 'preflight', location, pfHeaders, status);
    return;
  }
  if (status === null || status < 100 || status > 999) {
    const pfError = str(pf.error) || null;
    if (isFailure(errorKind(pfError))) {
      failedAt(r, 'preflight', pfError);
      return;
    }
    r.steps.push({ check: 'preflight-response', hop: 'preflight', passed: false, detail: `The preflight got no valid HTTP response${pfError ? ` (${pfError})` : ''}.` });
    blockedAt(r, 'InvalidResponse', 'preflight', pfError, pfHeaders, status);
    return;
  }
  // 7. A CORS check for the request (so with the request's credentials mode, not the
  // preflight's) and then an ok status; 8. otherwise a network error.
  const acc = accessCheck(pfHeaders, origin, include, c.browser);
  r.sensitive ||= acc.credentialSensitive;
  r.steps.push(originStep(acc.reason === null, 'preflight', acc.allowOrigin, origin, include));
  if (acc.reason !== null) {
    blockedAt(r, preflightVariant(acc.reason), 'preflight', acc.failedParameter, pfHeaders, status);
    return;
  }
  const ok = status >= 200 && status <= 299;
  r.steps.push({ check: 'preflight-status', hop: 'preflight', passed: ok, detail: `Preflight status ${status}${ok ? '' : ': not 2xx'}.` });
  if (!ok) {
    blockedAt(r, 'PreflightInvalidStatus', 'preflight', String(status), pfHeaders, status);
    return;
  }
  // 7.1-7.7. The method and headers the preflight announced, against ACAM / ACAH.
  const pfRequest = list<never>(pf.requestHeaders) as HeaderList;
  const method = getHeader(pfRequest, 'access-control-request-method') ?? c.method;
  const unsafe = requestedHeaders(pfRequest) ?? r.need.unsafeHeaders;
  const rules = preflightRules(pfHeaders, method, unsafe, include, c.browser);
  r.sensitive ||= rules.credentialSensitive;
  const methodFailed = rules.reason === 'MethodDisallowedByPreflightResponse' || rules.reason === 'InvalidAllowMethodsPreflightResponse';
  r.steps.push({
    check: 'allow-methods',
    hop: 'preflight',
    passed: !methodFailed,
    detail: methodFailed
      ? `Method ${method} is not allowed by Access-Control-Allow-Methods: ${getHeader(pfHeaders, 'access-control-allow-methods') ?? '(absent)'}.`
      : `Method ${method} allowed.`,
  });
  if (rules.reason !== null && methodFailed) {
    blockedAt(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
    return;
  }
  r.steps.push({
    check: 'allow-headers',
    hop: 'preflight',
    passed: rules.reason === null,
    detail:
      rules.reason === null
        ? unsafe.length === 0
          ? 'No non-safelisted request headers.'
          : `Headers ${unsafe.join(', ')} allowed.`
        : `Access-Control-Allow-Headers (${getHeader(pfHeaders, 'access-control-allow-headers') ?? 'absent'}) does not allow ${rules.failedParameter}.`,
  });
  if (rules.reason !== null) {
    blockedAt(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
    return;
  }
  if (rules.authorizationByWildcard) {
    r.authorizationByWildcard = true;
    r.warnings.push({
      code: 'authorization-wildcard',
      text: "Authorization is allowed only by 'Access-Control-Allow-Headers: *'. The standard says '*' never covers Authorization; browsers still allow it (Firefox logs CORSAllowHeaderFromPreflightDeprecation) but will stop. List Authorization explicitly.",
    });
  }
}

interface PreflightRuleResult {
  reason: ReasonCode | null;
  failedParameter: string | null;
  /** Authorization passed only because of `Access-Control-Allow-Headers: *`. */
  authorizationByWildcard: boolean;
  credentialSensitive: boolean;
}

function methodAllowed(method: string, allowed: readonly string[], include: boolean, browser: Browser): boolean {
  // Chromium upper-cases the method and compares case-sensitively; Firefox compares as sent.
  const m = browser === 'chromium' ? method.toUpperCase() : method;
  if (m === 'GET' || m === 'HEAD' || m === 'POST') return true;
  return allowed.includes(m) || (!include && allowed.includes('*'));
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch steps 7.1-7.7: the preflight's method and
 * header checks (after the CORS check and the status check). Order differs: Chromium parses
 * both lists (7.1-7.3) before checking either; Firefox parses and checks the methods, then the
 * headers. `Access-Control-Allow-Headers: *` covering Authorization (which step 7.6 forbids) is
 * allowed by both today, with a deprecation warning.
 */
function preflightRules(
  headers: HeaderList,
  method: string,
  unsafeHeaders: readonly string[],
  include: boolean,
  browser: Browser,
): PreflightRuleResult {
  const acam = parseTokenList(getHeader(headers, 'access-control-allow-methods'));
  const acahRaw = getHeader(headers, 'access-control-allow-headers');
  const acah = parseTokenList(acahRaw);
  const allowHeaders = acah.tokens.map((t) => t.toLowerCase());
  const result = (reason: ReasonCode | null, failedParameter: string | null, auth = false): PreflightRuleResult => ({
    reason,
    failedParameter,
    authorizationByWildcard: auth,
    credentialSensitive: acam.tokens.includes('*') || allowHeaders.includes('*'),
  });
  // 7.3. Either list failing to parse is a network error.
  if (acam.invalid !== null) return result('InvalidAllowMethodsPreflightResponse', acam.invalid);
  if (browser === 'chromium' && acah.invalid !== null) return result('InvalidAllowHeadersPreflightResponse', acah.invalid);
  // 7.5. The method: safelisted, listed, or `*` without credentials.
  if (!methodAllowed(method, acam.tokens, include, browser)) return result('MethodDisallowedByPreflightResponse', method);
  if (acah.invalid !== null) return result('InvalidAllowHeadersPreflightResponse', acah.invalid);
  // 7.7. Each unsafe header: listed, or `*` without credentials.
  const wildcard = !include && allowHeaders.includes('*');
  let auth = false;
  for (const name of unsafeHeaders) {
    const n = name.toLowerCase();
    if (allowHeaders.includes(n)) continue;
    if (!wildcard) return result('HeaderDisallowedByPreflightResponse', n);
    if (n === 'authorization') auth = true;
  }
  return result(null, null, auth);
}

/** Unsafe header names as the browser announced them in the preflight (Access-Control-Request-Headers). */
function requestedHeaders(preflightRequestHeaders: HeaderList): string[] | null {
  const v = getHeader(preflightRequestHeaders, 'access-control-request-headers');
  return v === null ? null : parseNameList(v);
}

function preflightWhy(need: PreflightNeed, method: string): string {
  const parts: string[] = [];
  if (need.method) parts.push(`method ${method}`);
  if (need.unsafeHeaders.length > 0) parts.push(`headers ${need.unsafeHeaders.join(', ')}`);
  if (need.forced) parts.push('an upload listener or streamed body');
  return parts.join('; ');
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
