// The outcomes no CORS check decides: network failures, WebSocket handshakes, no-cors
// (opaque) loads, navigations and same-origin requests; and the blocked verdicts decided
// before the CORS protocol runs (mode, scheme, local network) or beside it (core/blocks:
// CORP, COEP, ORB, mixed content, COOP).
import type { Context } from './context';
import { str } from './context';
import type { CorsResult } from './cors-result';
import { markBlocked, NO_NEED } from './cors-result';
import type { DiagnosisInput } from './diagnose';
import { diagnose, opaqueDiagnosis } from './diagnose';
import { resourceKind } from './classify';
import { headerNames } from '../net/headers';
import { describeError, errorKind } from '../net/errors';
import { parseUrl, resolveUrl } from '../net/origin';
import type { Outcome, ReasonCode } from './reasons';
import { exposedResponseHeaders } from './safelist';
import type { Hop, StepCode, StepParams, Verdict } from './verdict';
import type { BlockCheck } from '../blocks/block';
import { navigationChecks, noCorsChecks } from '../blocks/loads';

/** Outcomes with no CORS check: pending / failed from the browser's events, else `outcome`. */
export function simpleOutcome(c: Context, v: Verdict, outcome: Outcome, code: StepCode, params?: StepParams): Verdict {
  v.steps.push({ check: 'request', hop: null, passed: true, code, params });
  if (c.errorKind !== 'none') return networkFailure(c, v, 'response');
  if (c.response === null && !c.completed) return v;
  v.outcome = outcome;
  if (outcome === 'same-origin') {
    const exposure = exposedResponseHeaders(c.response?.headers ?? [], '*', false);
    v.exposedHeaders = exposure.exposed;
    v.hiddenHeaders = exposure.hidden;
  }
  return v;
}

export function networkFailure(c: Context, v: Verdict, hop: Hop, error: string | null = c.error): Verdict {
  v.outcome = 'failed';
  v.hop = hop;
  const what = error === null ? 'no response arrived' : describeError(error);
  v.steps.push({ check: 'response', hop, passed: false, code: 'network-failure', params: { error } });
  let d = `The ${hop === 'preflight' ? 'preflight' : 'request'} failed below HTTP: ${what}${error ? ` (${error})` : ''}. This is not a CORS header problem.`;
  if (c.browser === 'firefox' && c.mode === 'cors' && errorKind(error) === 'network') {
    d += " Firefox's console still reports it as 'CORS request did not succeed' (CORSDidNotSucceed2).";
  }
  v.diagnosis = d;
  return v;
}

/** WebSocket handshakes: no CORS; the server alone decides by checking Origin. */
export function websocketOutcome(c: Context, v: Verdict): Verdict {
  const wsAsHttp = c.target === null ? null : parseUrl(c.url.replace(/^ws/i, 'http'));
  const cross = c.origin !== null && wsAsHttp !== null && wsAsHttp.origin !== c.origin;
  v.steps.push({ check: 'request', hop: null, passed: true, code: 'websocket' });
  if (c.errorKind !== 'none') return networkFailure(c, v, 'response');
  if (c.response === null) {
    if (c.completed) v.outcome = 'failed';
    return v;
  }
  if (c.response.status !== 101) {
    v.outcome = 'failed';
    v.hop = 'response';
    v.steps.push({ check: 'response', hop: 'response', passed: false, code: 'websocket-refused', params: { status: c.response.status } });
    v.diagnosis = `The server refused the WebSocket handshake (status ${c.response.status}); if it checks Origin, ${c.origin ?? 'the page origin'} is not on its list.`;
    return v;
  }
  v.outcome = cross ? 'allowed' : 'same-origin';
  return v;
}

/** https://fetch.spec.whatwg.org/#main-fetch step 12, mode "no-cors": an opaque response. */
export function noCorsOutcome(c: Context, v: Verdict): Verdict {
  // 12 ("no-cors") 1. A redirect mode other than "follow" is a network error.
  const redirect = c.hook?.redirect;
  if (redirect === 'error' || redirect === 'manual') {
    v.steps.push({ check: 'mode', hop: null, passed: false, code: 'no-cors-redirect-mode', params: { value: redirect } });
    return finishBlocked(c, v, 'NoCorsRedirectModeNotFollow', null, null, redirect);
  }
  v.steps.push({ check: 'request', hop: null, passed: true, code: 'no-cors' });
  const checks = noCorsChecks(c);
  addPassed(v, checks);
  const refusal = checks.find((check) => !check.passed);
  if (refusal !== undefined) return blockedBy(c, v, refusal);
  if (c.errorKind !== 'none') return networkFailure(c, v, 'response');
  if (c.response === null && !c.completed) return v;
  v.outcome = 'opaque';
  v.hiddenHeaders = headerNames(c.response?.headers);
  v.diagnosis = opaqueDiagnosis(scripted(c));
  return v;
}

/** A document navigation: no CORS, but a frame's COEP and CORP and a popup's COOP. */
export function navigationOutcome(c: Context, v: Verdict): Verdict {
  const checks = navigationChecks(c);
  const refusal = checks.find((check) => !check.passed);
  if (refusal === undefined) {
    simpleOutcome(c, v, 'navigation', 'navigation');
    addPassed(v, checks);
    return v;
  }
  v.steps.push({ check: 'request', hop: null, passed: true, code: 'navigation' });
  addPassed(v, checks);
  return blockedBy(c, v, refusal);
}

function addPassed(v: Verdict, checks: BlockCheck[]): void {
  for (const check of checks) if (check.passed) v.steps.push({ check: check.check, hop: null, passed: true, code: check.code, params: check.params });
}

/** A verdict blocked by a check beyond CORS, with that check's diagnosis and fix. */
export function blockedBy(c: Context, v: Verdict, check: BlockCheck): Verdict {
  const hop: Hop | null = c.response === null ? null : 'response';
  v.steps.push({ check: check.check, hop, passed: false, code: check.code, params: check.params });
  markBlocked(v, check.reason!, hop, null, check.parameter);
  v.diagnosis = check.diagnosis;
  v.fix = check.fix;
  return v;
}

/** A verdict blocked before (or without) a CORS run, with its diagnosis and fix. */
export function finishBlocked(
  c: Context,
  v: Verdict,
  reason: ReasonCode,
  hop: Hop | null,
  redirectIndex: number | null,
  failedParameter: string | null,
): Verdict {
  markBlocked(v, reason, hop, redirectIndex, failedParameter);
  const d = diagnose(diagnosisInput(c, v, null));
  v.diagnosis = d.diagnosis;
  v.fix = d.fix;
  return v;
}

/** fetch/XHR, not an element load. */
function scripted(c: Context): boolean {
  return resourceKind(c.obs.type) === 'xhr' || (c.hook !== null && c.hook.mode !== undefined);
}

/** What diagnose() needs to know of the request, its verdict and its CORS run (if any). */
export function diagnosisInput(c: Context, v: Verdict, run: CorsResult | null): DiagnosisInput {
  const need = run?.need ?? NO_NEED;
  const index = v.redirectIndex;
  const hop = index === null ? c.redirects[0] : c.redirects[index];
  const redirectTarget = hop === undefined ? null : resolveUrl(str(hop.location), str(hop.url) || c.url);
  return {
    browser: c.browser,
    outcome: v.outcome,
    reason: v.reason,
    hop: v.hop,
    failedParameter: v.failedParameter,
    origin: run?.origin ?? c.origin,
    pageOrigin: c.origin,
    tainted: run?.tainted ?? false,
    include: run?.include ?? c.credentials === 'include',
    method: c.method,
    methodUnsafe: need.method,
    unsafeHeaders: need.unsafeHeaders,
    failedStatus: run?.failedStatus ?? null,
    failedHeaders: run?.failedHeaders ?? null,
    redirectTarget,
    redirected: c.redirects.length > 0,
    scripted: scripted(c),
    xhr: c.hook?.withCredentials === true || c.hook?.withCredentials === false,
    url: c.url,
  };
}
