// The preflight stage of the CORS protocol, as Chromium and Firefox run it: whether the
// request needed a preflight, and whether the one the browser sent let it through.
import { preflightNeed } from './classify';
import type { Context } from './context';
import { isFailure, isObject, list, str } from './context';
import type { CorsResult } from './cors-result';
import { blockedAt, checkAllowOrigin, failedAt } from './cors-result';
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
    const why = { method: c.method, methodUnsafe: r.need.method, names: r.need.unsafeHeaders, forced: r.need.forced };
    const reached = c.response !== null || c.redirects.length > 0;
    const cached = c.obs.cachedPreflight;
    // No preflight seen, yet the request went out: the cache covered it (unless the source
    // could not show preflights at all).
    if (isObject(cached) || (reached && c.obs.preflightsVisible !== false)) {
      r.preflight = 'cached';
      const by = isObject(cached) ? { preflightId: str(cached.id), maxAge: cached.maxAge } : {};
      r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, code: 'preflight-cached', params: { ...why, ...by } });
    } else {
      r.preflight = 'unknown';
      r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, code: 'preflight-not-observed', params: why });
      r.warnings.push({ code: 'preflight-not-observed', params: why });
    }
  } else {
    r.steps.push({ check: 'preflight', hop: 'preflight', passed: true, code: c.firstCross ? 'simple-request' : 'first-hop-same-origin' });
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
    r.steps.push({ check: 'preflight-redirect', hop: 'preflight', passed: false, code: 'preflight-redirected', params: { value: location ?? '' } });
    blockedAt(r, 'PreflightDisallowedRedirect', 'preflight', location, pfHeaders, status);
    return;
  }
  if (status === null || status < 100 || status > 999) {
    const pfError = str(pf.error) || null;
    if (isFailure(errorKind(pfError))) {
      failedAt(r, 'preflight', pfError);
      return;
    }
    r.steps.push({ check: 'preflight-response', hop: 'preflight', passed: false, code: 'preflight-no-response', params: { error: pfError } });
    blockedAt(r, 'InvalidResponse', 'preflight', pfError, pfHeaders, status);
    return;
  }
  // 7. A CORS check for the request (so with the request's credentials mode, not the
  // preflight's) and then an ok status; 8. otherwise a network error.
  const acc = checkAllowOrigin(c, r, pfHeaders, origin, 'preflight', status);
  if (acc.reason !== null) {
    blockedAt(r, preflightVariant(acc.reason), 'preflight', acc.failedParameter, pfHeaders, status);
    return;
  }
  const ok = status >= 200 && status <= 299;
  r.steps.push({ check: 'preflight-status', hop: 'preflight', passed: ok, code: 'preflight-status', params: { status } });
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
  r.steps.push(
    methodFailed
      ? { check: 'allow-methods', hop: 'preflight', passed: false, code: 'method-not-allowed', params: { method, value: getHeader(pfHeaders, 'access-control-allow-methods') ?? '' } }
      : { check: 'allow-methods', hop: 'preflight', passed: true, code: 'method-allowed', params: { method } },
  );
  if (rules.reason !== null && methodFailed) {
    blockedAt(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
    return;
  }
  r.steps.push(
    rules.reason === null
      ? { check: 'allow-headers', hop: 'preflight', passed: true, code: 'headers-allowed', params: { names: unsafe } }
      : {
          check: 'allow-headers',
          hop: 'preflight',
          passed: false,
          code: 'header-not-allowed',
          params: { names: [rules.failedParameter ?? ''], value: getHeader(pfHeaders, 'access-control-allow-headers') ?? '' },
        },
  );
  if (rules.reason !== null) {
    blockedAt(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
    return;
  }
  if (rules.authorizationByWildcard) {
    r.authorizationByWildcard = true;
    r.warnings.push({ code: 'authorization-wildcard' });
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

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
