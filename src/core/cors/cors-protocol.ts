// The CORS protocol for a cors-mode request that is cross-origin somewhere, in the order the
// browser runs it: the preflight (preflight.ts), each redirect (redirects.ts), the final
// response (response.ts); then the verdict, its diagnosis and what the page may read.
import type { Context } from './context';
import type { CorsResult } from './cors-result';
import { newCorsResult } from './cors-result';
import { diagnose } from './diagnose';
import { getHeader } from '../net/headers';
import { diagnosisInput, networkFailure, simpleOutcome } from './outcomes';
import { checkPreflight } from './preflight';
import { followRedirects } from './redirects';
import { checkResponse } from './response';
import { exposedResponseHeaders } from './safelist';
import type { Verdict } from './verdict';

/**
 * https://fetch.spec.whatwg.org/#main-fetch step 12, the two cors-mode branches. The
 * credentials mode changes the checks; when it is unknown, assume the fetch/XHR default (no
 * credentials cross-origin) unless the browser refused a request that passes that way: then
 * a credentialed run that fails explains what the browser did.
 */
export function corsOutcome(c: Context, v: Verdict): Verdict {
  let run = corsFetch(c, c.credentials === 'include');
  if (c.credentials === 'unknown' && run.sensitive && c.errorKind === 'refused' && run.outcome !== 'blocked') {
    const withCredentials = corsFetch(c, true);
    if (withCredentials.outcome === 'blocked') {
      run = withCredentials;
      run.warnings.push({ code: 'credentials-unknown', params: { error: c.error } });
    }
  }
  return finishCors(c, v, run);
}

/**
 * https://fetch.spec.whatwg.org/#http-fetch for the request and its redirects, as one run with
 * `include` credentials or without. Each stage ends the run by setting its outcome.
 */
function corsFetch(c: Context, include: boolean): CorsResult {
  const r = newCorsResult(c.origin as string, include);
  checkPreflight(c, r);
  if (r.outcome !== 'pending') return r;
  const crossed = followRedirects(c, r);
  if (r.outcome !== 'pending') return r;
  if (!crossed) {
    r.outcome = 'same-origin';
    return r;
  }
  checkResponse(c, r);
  return r;
}

function finishCors(c: Context, v: Verdict, run: CorsResult): Verdict {
  v.steps.push(...run.steps);
  v.warnings.push(...run.warnings);
  v.preflight = run.preflight;
  v.requestOrigin = run.origin;
  if (run.outcome === 'same-origin') return simpleOutcome(c, v, 'same-origin', 'same-origin-hops');
  if (run.outcome === 'failed') return networkFailure(c, v, run.hop ?? 'response', run.failure);
  v.outcome = run.outcome;
  v.reason = run.reason;
  v.hop = run.hop;
  v.redirectIndex = run.redirectIndex;
  v.failedParameter = run.failedParameter;
  // https://fetch.spec.whatwg.org/#main-fetch step 14.1: what Access-Control-Expose-Headers lets the page read.
  if (run.outcome === 'allowed' && c.response !== null) {
    const include = c.credentials === 'include';
    const exposure = exposedResponseHeaders(c.response.headers, getHeader(c.response.headers, 'access-control-expose-headers'), include);
    v.exposedHeaders = exposure.exposed;
    v.hiddenHeaders = exposure.hidden;
  }
  if (run.outcome === 'blocked') {
    // A recorder on the wire saw the response, not the browser's decision: nothing to disagree with.
    if (c.completed && c.errorKind === 'none' && c.obs.onTheWire !== true) {
      v.warnings.push({ code: c.browser === 'firefox' ? 'browser-reported-success' : 'browser-disagrees' });
    }
  }
  const d = diagnose(diagnosisInput(c, v, run));
  v.diagnosis = d.diagnosis;
  v.fix = d.fix;
  return v;
}
