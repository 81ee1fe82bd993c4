// The last stage of the CORS protocol: the final response, or what the browser reported
// when none arrived.
import type { Context } from './context';
import { isFailure } from './context';
import type { CorsResult } from './cors-result';
import { blockedAt, checkAllowOrigin, failedAt } from './cors-result';
import { getHeader } from '../net/headers';
import type { Hop } from './verdict';

/**
 * https://fetch.spec.whatwg.org/#http-fetch step 4.4 on the final response: the CORS check
 * (https://fetch.spec.whatwg.org/#concept-cors-check) against the request's origin as the
 * redirects left it. With no response, the browser's error tells a network failure from a
 * refusal whose check the log cannot show.
 */
export function checkResponse(c: Context, r: CorsResult): void {
  const include = r.include;
  const origin = r.origin as string;
  const resp = c.response;
  const behindPreflight = r.need.required && r.preflight !== 'sent';
  if (resp === null) {
    if (isFailure(c.errorKind)) {
      failedAt(r, 'response', c.error);
      return;
    }
    if (c.provisional && c.errorKind === 'refused') {
      // The log lost the response, not the browser: a refusal whose failing check it cannot show.
      r.steps.push({ check: 'response', hop: null, passed: false, code: 'response-not-saved', params: { error: c.error } });
      blockedAt(r, 'UnknownNoResponseSaved', null, c.error, null, null);
      return;
    }
    if (c.errorKind === 'refused' || c.errorKind === 'invalid-response' || c.completed) {
      const hop: Hop = behindPreflight ? 'preflight' : 'response';
      r.steps.push({ check: 'response', hop, passed: false, code: 'no-response', params: { error: c.error } });
      blockedAt(r, 'InvalidResponse', hop, c.error, null, null);
    }
    return; // otherwise pending
  }
  if (!(resp.status >= 100 && resp.status <= 999)) {
    r.steps.push({ check: 'response', hop: 'response', passed: false, code: 'invalid-status', params: { status: resp.status } });
    blockedAt(r, 'InvalidResponse', 'response', c.error ?? String(resp.status), resp.headers, resp.status);
    return;
  }
  const acc = checkAllowOrigin(c, r, resp.headers, origin, 'response', resp.status);
  if (acc.reason !== null) {
    blockedAt(r, acc.reason, 'response', acc.failedParameter, resp.headers, resp.status);
    return;
  }
  // The headers pass, yet the browser reported an error: it failed for another reason.
  if (c.errorKind !== 'none') {
    failedAt(r, 'response', c.error);
    return;
  }
  if (!include && acc.allowOrigin === '*' && getHeader(resp.headers, 'access-control-allow-credentials') === 'true') {
    r.warnings.push({ code: 'wildcard-with-credentials-header' });
  }
  r.outcome = 'allowed';
}
