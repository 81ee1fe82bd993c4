// The running result of the CORS protocol for one request. Each stage (preflight.ts,
// redirects.ts, response.ts) adds its steps to it and, when the request ends there, sets its
// outcome; a result still 'pending' goes on to the next stage.
import type { PreflightNeed, PreflightStatus } from './classify';
import type { Context } from './context';
import type { AccessResult } from './cors-check';
import { accessCheck } from './cors-check';
import type { HeaderList } from '../net/headers';
import type { Outcome, ReasonCode } from './reasons';
import type { Hop, VerdictStep, VerdictWarning } from './verdict';

/** The result of the CORS-mode evaluation (run once, or twice when credentials are unknown). */
export interface CorsResult {
  outcome: Outcome;
  reason: ReasonCode | null;
  hop: Hop | null;
  redirectIndex: number | null;
  failedParameter: string | null;
  steps: VerdictStep[];
  warnings: VerdictWarning[];
  /** Some check would have gone differently for a credentialed request. */
  sensitive: boolean;
  preflight: PreflightStatus;
  need: PreflightNeed;
  /** Origin the checks used at the end ("null" once tainted). */
  origin: string | null;
  tainted: boolean;
  /** Response headers and status of the hop that failed (for diagnoses). */
  failedHeaders: HeaderList | null;
  failedStatus: number | null;
  /** Authorization got through only by ACAH '*'. */
  authorizationByWildcard: boolean;
  /** Network failure text, for `failed`. */
  failure: string | null;
  /** The run assumed a credentialed request. */
  include: boolean;
}

export const NO_NEED: PreflightNeed = { required: false, method: false, unsafeHeaders: [], forced: false };

export function newCorsResult(origin: string, include: boolean): CorsResult {
  return {
    outcome: 'pending',
    reason: null,
    hop: null,
    redirectIndex: null,
    failedParameter: null,
    steps: [],
    warnings: [],
    sensitive: false,
    preflight: 'not-needed',
    need: NO_NEED,
    origin,
    tainted: false,
    failedHeaders: null,
    failedStatus: null,
    authorizationByWildcard: false,
    failure: null,
    include,
  };
}

/** What a blocked verdict and a blocked CORS run both say: which check failed, where, on what. */
interface Blockable {
  outcome: Outcome;
  reason: ReasonCode | null;
  hop: Hop | null;
  redirectIndex: number | null;
  failedParameter: string | null;
}

export function markBlocked<T extends Blockable>(
  t: T,
  reason: ReasonCode,
  hop: Hop | null,
  redirectIndex: number | null,
  failedParameter: string | null,
): T {
  t.outcome = 'blocked';
  t.reason = reason;
  t.hop = hop;
  t.redirectIndex = redirectIndex;
  t.failedParameter = failedParameter;
  return t;
}

/** The run is blocked at `hop`, on the response with these headers and status. */
export function blockedAt(
  r: CorsResult,
  reason: ReasonCode,
  hop: Hop | null,
  param: string | null,
  headers: HeaderList | null,
  status: number | null,
  index: number | null = null,
): CorsResult {
  markBlocked(r, reason, hop, index, param);
  r.failedHeaders = headers;
  r.failedStatus = status;
  return r;
}

/** The run ended in a network failure at `hop`, not a CORS check. */
export function failedAt(r: CorsResult, hop: Hop, error: string | null): CorsResult {
  r.outcome = 'failed';
  r.hop = hop;
  r.failure = error;
  return r;
}

/**
 * The CORS check on one hop's response, kept as a step (and as a warning when its reason rests
 * on a guess about merged header lines).
 */
export function checkAllowOrigin(c: Context, r: CorsResult, headers: HeaderList, origin: string, hop: Hop, status: number | null): AccessResult {
  const acc = accessCheck(headers, origin, r.include, c.browser, c.linesMerged);
  r.sensitive ||= acc.credentialSensitive;
  const params = { value: acc.allowOrigin, origin, credentialed: r.include, status: status ?? undefined };
  r.steps.push({ check: 'allow-origin', hop, passed: acc.reason === null, code: 'allow-origin', params });
  if (acc.linesGuessed) {
    r.warnings.push({ code: 'allow-origin-lines-merged', params: { value: acc.allowOrigin, twoLines: acc.reason === 'MultipleAllowOriginValues' } });
  }
  return acc;
}
