// The CORS verdict engine: from what the collector or a HAR observed of one request, what the
// browser did with it and exactly why (docs/verdicts.md). Pure and total: any input, however
// malformed, gives a well-formed verdict; nothing here throws.
import type { HookInfo, PreflightNeed, PreflightStatus, RequestMode, CredentialsMode } from './classify';
import { inferCredentials, inferMode, preflightNeed, resourceKind } from './classify';
import { accessCheck, preflightRules, requestedHeaders } from './check';
import type { DiagnosisInput } from './diagnose';
import { diagnose } from './diagnose';
import type { HeaderList } from '../net/headers';
import { getHeader, headerNames } from '../net/headers';
import type { ErrorKind } from '../net/errors';
import { describeError, errorKind } from '../net/errors';
import type { AddressSpace, ParsedUrl } from '../net/origin';
import {
  addressSpaceOfHost,
  addressSpaceOfIp,
  isCorsScheme,
  isLocalScheme,
  isPotentiallyTrustworthy,
  parseOrigin,
  parseUrl,
  resolveUrl,
} from '../net/origin';
import type { Outcome, ReasonCode } from './reasons';
import { preflightVariant } from './reasons';
import type { Browser } from '../browser';
import { exposedResponseHeaders } from './safelist';


/** One redirect response of the request (webRequest onBeforeRedirect / a 3xx HAR entry). */
export interface RedirectObservation {
  /** The URL that answered with the redirect. */
  url: string;
  status: number;
  responseHeaders: HeaderList;
  /** Where it pointed (absolute, or as the Location header said). */
  location: string;
}

/** The CORS preflight (OPTIONS) the browser sent for this request, when one was seen. */
export interface PreflightObservation {
  url: string;
  /** HTTP status; null when no HTTP response arrived. */
  status: number | null;
  responseHeaders: HeaderList;
  /** The preflight's own request headers (Access-Control-Request-Method/-Headers), when seen. */
  requestHeaders?: HeaderList;
  /** Raw browser error, or null. */
  error: string | null;
  /** The preflight was answered with a redirect (which browsers refuse to follow). */
  redirected: boolean;
  /** How long it took (ms), when known; used by the preflight-cost finding. */
  duration?: number | null;
}

/**
 * Everything the collector or the HAR reader can observe of one request. Fields a source
 * cannot know are null / absent; the engine then answers "unknown" rather than guessing.
 */
export interface CorsObservation {
  /** Which engine's rules to apply where Chromium and Firefox differ. */
  browser: Browser;
  /** The URL first requested (redirects list the later hops). */
  url: string;
  method: string;
  /** webRequest resource type (main_frame, xmlhttprequest, script, ...) or a HAR _resourceType. */
  type: string;
  /** Serialized origin of the initiator ("null" when opaque); null when unknown. */
  initiatorOrigin: string | null;
  /** Request headers as sent (first hop); order and duplicates kept. */
  requestHeaders: HeaderList;
  /**
   * Only the page's own request headers are known ("Provisional headers are shown" in Chrome's
   * DevTools, for a request that never got a response): Origin, Cookie and Sec-Fetch-* are
   * missing from the list, so their absence proves nothing.
   */
  requestHeadersProvisional?: boolean;
  /** What the page's own fetch/XHR wrapper reported, when it saw the call. */
  hook?: HookInfo | null;
  redirects: RedirectObservation[];
  /** The final response, or null when none arrived (yet). */
  response: { status: number; headers: HeaderList } | null;
  /** Raw browser error ('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', ...), or null. */
  error: string | null;
  /** The browser reported the request finished (Firefox also does so for CORS-blocked simple requests). */
  completed: boolean;
  /** The paired preflight, null when none was seen. */
  preflight: PreflightObservation | null;
  /** The session's preflight cache (classify.ts PreflightCache) says a cached preflight covered this request. */
  preflightCacheHit?: boolean | null;
  /** False when the source could not show preflights at all (a HAR without any OPTIONS entries). */
  preflightsVisible?: boolean;
  /**
   * Server IP address, for the local-network checks. Only the HAR reader sets it (from
   * serverIPAddress); the live session does not pass webRequest's `ip` on yet.
   */
  remoteAddress?: string | null;
  /**
   * Address space of the initiating document. No source sets it yet (the live session could,
   * from the `ip` of the document's own response); without it the local-network checks take
   * the initiator's space from its host name (IP literal, localhost, .local) or not at all.
   */
  initiatorAddressSpace?: AddressSpace | null;
}

export type Hop = 'preflight' | 'redirect' | 'response';

export type CheckName =
  | 'request'
  | 'mode'
  | 'scheme'
  | 'local-network'
  | 'preflight'
  | 'preflight-redirect'
  | 'preflight-response'
  | 'allow-origin'
  | 'preflight-status'
  | 'allow-methods'
  | 'allow-headers'
  | 'redirect-location'
  | 'response';

export interface VerdictStep {
  check: CheckName;
  hop: Hop | null;
  passed: boolean;
  detail: string;
}

export type WarningCode =
  | 'authorization-wildcard'
  | 'wildcard-with-credentials-header'
  | 'credentials-unknown'
  | 'origin-unknown'
  | 'browser-reported-success'
  | 'browser-disagrees'
  | 'preflight-not-observed'
  | 'headers-provisional'
  | 'aborted-after-response'
  | 'engine-error';

export interface VerdictWarning {
  code: WarningCode;
  text: string;
}

export interface Verdict {
  outcome: Outcome;
  /** Set for `blocked`; null otherwise. */
  reason: ReasonCode | null;
  /** The header value, method or header name that failed. */
  failedParameter: string | null;
  /** Where it failed. */
  hop: Hop | null;
  /** Index into `redirects` when hop is 'redirect'. */
  redirectIndex: number | null;
  /** Exact response header lines the server must send (empty when the fix is not a header). */
  fix: string[];
  /** The root cause in plain words (docs/verdicts.md, "Diagnoses"). */
  diagnosis: string | null;
  warnings: VerdictWarning[];
  mode: RequestMode;
  credentials: CredentialsMode;
  preflight: PreflightStatus;
  /** The origin the CORS checks compared against ("null" after a cross-origin redirect); null when unknown. */
  requestOrigin: string | null;
  /** Response header names the page can read / cannot read (lowercased). */
  exposedHeaders: string[];
  hiddenHeaders: string[];
  /** Every check made, in order, for a step-by-step explanation. */
  steps: VerdictStep[];
}

// ---- input sanitising: the observation may come from anywhere ----

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The request's serialized origin: the initiator, else the first Origin header. */
function requestOriginOf(initiator: unknown, headers: HeaderList): string | null {
  const raw = typeof initiator === 'string' && initiator !== '' ? initiator : getHeader(headers, 'origin');
  if (raw === null || raw === '') return null;
  if (raw === 'null') return 'null';
  if (parseOrigin(raw) !== null) return raw; // already a serialized origin (the usual case; cached)
  const parsed = parseUrl(raw);
  return parsed === null ? null : parsed.origin;
}

/** Facts shared by every branch, computed once. */
interface Context {
  browser: Browser;
  url: string;
  method: string;
  target: ParsedUrl | null;
  requestHeaders: HeaderList;
  hook: HookInfo | null;
  origin: string | null;
  firstCross: boolean;
  mode: RequestMode;
  credentials: CredentialsMode;
  error: string | null;
  errorKind: ErrorKind;
  completed: boolean;
  response: { status: number; headers: HeaderList } | null;
  redirects: RedirectObservation[];
  preflight: PreflightObservation | null;
  /** Only provisional request headers are known (see CorsObservation). */
  provisional: boolean;
  obs: CorsObservation;
}

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

const NO_NEED: PreflightNeed = { required: false, method: false, unsafeHeaders: [], forced: false };

const MODE_SOURCE_WORDS: Record<string, string> = {
  hook: "the page's fetch/XHR call",
  'sec-fetch-mode': 'the Sec-Fetch-Mode header',
  'resource-type': 'the resource type',
  'origin-header': 'the resource type and Origin header',
};

// mode -> source -> credentials -> text. Nested maps keyed by the (interned) literal values:
// the step text is built once per combination, never per verdict.
const modeDetails = new Map<string, Map<string, Map<string, string>>>();

function modeDetail(mode: RequestMode, source: string, credentials: CredentialsMode): string {
  let bySource = modeDetails.get(mode);
  if (bySource === undefined) modeDetails.set(mode, (bySource = new Map()));
  let byCredentials = bySource.get(source);
  if (byCredentials === undefined) bySource.set(source, (byCredentials = new Map()));
  let d = byCredentials.get(credentials);
  if (d === undefined) {
    d = `Request mode '${mode}', from ${MODE_SOURCE_WORDS[source] ?? source}; credentials '${credentials}'.`;
    byCredentials.set(credentials, d);
  }
  return d;
}

export function computeVerdict(obs: CorsObservation): Verdict {
  try {
    return evaluate(obs);
  } catch (e) {
    // Never reached by design; if a bug slips through, the UI still gets a well-formed verdict.
    return {
      ...baseVerdict('pending', 'cors', 'unknown', 'unknown', null),
      warnings: [{ code: 'engine-error', text: `The verdict engine failed on this request: ${String(e)}` }],
    };
  }
}

function baseVerdict(
  outcome: Outcome,
  mode: RequestMode,
  credentials: CredentialsMode,
  preflight: PreflightStatus,
  requestOrigin: string | null,
): Verdict {
  return {
    outcome,
    reason: null,
    failedParameter: null,
    hop: null,
    redirectIndex: null,
    fix: [],
    diagnosis: null,
    warnings: [],
    mode,
    credentials,
    preflight,
    requestOrigin,
    exposedHeaders: [],
    hiddenHeaders: [],
    steps: [],
  };
}

function evaluate(rawObs: CorsObservation): Verdict {
  const obs: CorsObservation = isObject(rawObs) ? rawObs : ({} as CorsObservation);
  const browser: Browser = obs.browser === 'firefox' ? 'firefox' : 'chromium';
  const url = str(obs.url);
  const method = str(obs.method) || 'GET';
  const requestHeaders = list<{ name: string; value: string }>(obs.requestHeaders);
  const hook = isObject(obs.hook) ? (obs.hook as HookInfo) : null;
  const target = parseUrl(url);
  const isWs = target !== null && (target.scheme === 'ws' || target.scheme === 'wss');
  const kind = isWs ? 'websocket' : resourceKind(obs.type);
  const origin = requestOriginOf(obs.initiatorOrigin, requestHeaders);
  const firstCross = origin !== null && (origin === 'null' || target === null || target.origin !== origin);
  const pf = isObject(obs.preflight) ? obs.preflight : null;
  const provisional = obs.requestHeadersProvisional === true;
  const inferred = inferMode({ kind, method, requestHeaders, hook, crossOrigin: firstCross, preflightSeen: pf !== null, provisional });
  // A ws:/wss: URL is a WebSocket handshake whatever the headers say.
  const { mode, source } = isWs && inferred.source !== 'hook' ? { mode: 'websocket' as const, source: 'resource-type' as const } : inferred;
  const { credentials } = inferCredentials(mode, kind, requestHeaders, hook);
  const error = str(obs.error) || null;
  const resp = isObject(obs.response) ? obs.response : null;
  const response =
    resp === null ? null : { status: typeof resp.status === 'number' ? resp.status : 0, headers: list<never>(resp.headers) };
  // A load cancelled after its response arrived (navigation away, AbortController, a body
  // nobody read) was already judged on that response: the page's fetch had resolved.
  const abortedAfterResponse = response !== null && response.status > 0 && errorKind(error) === 'aborted';
  const rawRedirects = list<unknown>(obs.redirects);
  // Copy only when some entry is malformed (hot path: usually an empty array).
  const redirects = (rawRedirects.every(isObject) ? rawRedirects : rawRedirects.filter(isObject)) as unknown as RedirectObservation[];
  const c: Context = {
    browser,
    url,
    method,
    target,
    requestHeaders,
    hook,
    origin,
    firstCross,
    mode,
    credentials,
    error,
    errorKind: abortedAfterResponse ? 'none' : errorKind(error),
    completed: obs.completed === true,
    response,
    redirects,
    preflight: pf,
    provisional,
    obs,
  };

  const v = baseVerdict('pending', mode, credentials, 'not-needed', origin);
  if (abortedAfterResponse) {
    v.warnings.push({ code: 'aborted-after-response', text: `The response arrived, then the load was cancelled (${error}): the verdict is the response's.` });
  }
  if (provisional) {
    v.warnings.push({
      code: 'headers-provisional',
      text: 'Only provisional request headers were saved (the request got no response): Origin, Cookie and Sec-Fetch-* are unknown, so the mode and credentials are inferred from the request type.',
    });
  }
  v.steps.push({ check: 'mode', hop: null, passed: true, detail: modeDetail(mode, source, credentials) });

  if (target === null) {
    v.outcome = 'failed';
    v.steps.push({ check: 'request', hop: null, passed: false, detail: `The URL "${url}" cannot be parsed.` });
    v.diagnosis = 'The request URL is not a valid absolute URL, so the browser could not send it.';
    return v;
  }
  if (mode === 'navigate') return simpleOutcome(c, v, 'navigation', 'A document navigation: no CORS check applies.');
  if (mode === 'websocket') return websocketOutcome(c, v);

  const lna = localNetworkCheck(c);
  if (lna !== null) {
    v.steps.push(lna.step);
    if (lna.reason !== null) return finishBlocked(c, v, lna.reason, null, null, lna.parameter);
  }

  if (isLocalScheme(target.scheme)) {
    return simpleOutcome(c, v, 'same-origin', `A ${target.scheme}: URL is fetched locally: no CORS check applies.`);
  }
  if (origin === null) {
    v.warnings.push({
      code: 'origin-unknown',
      text: "The initiator's origin is unknown and the request carried no Origin header, so it was not a cross-origin CORS request.",
    });
    return simpleOutcome(c, v, 'same-origin', 'No initiator origin and no Origin header: treated as same-origin.');
  }
  if (!firstCross && !redirectsLeave(redirects, url, origin)) return simpleOutcome(c, v, 'same-origin', `Same origin (${origin}): no CORS check applies.`);

  if (mode === 'same-origin') {
    v.steps.push({ check: 'mode', hop: null, passed: false, detail: `Mode 'same-origin' but ${target.origin} is another origin than ${origin}.` });
    return finishBlocked(c, v, 'DisallowedByMode', null, null, target.origin);
  }
  if (mode === 'no-cors') return noCorsOutcome(c, v);

  if (firstCross && !isCorsScheme(target.scheme, browser)) {
    v.steps.push({ check: 'scheme', hop: null, passed: false, detail: `The ${target.scheme}: scheme does not support CORS.` });
    return finishBlocked(c, v, 'CorsDisabledScheme', null, null, target.scheme);
  }

  // cors mode, cross-origin somewhere: run the protocol. The credentials mode changes the
  // checks; when it is unknown, assume the fetch/XHR default (no credentials cross-origin)
  // unless the browser refused a request that passes that way: then a credentialed run that
  // fails explains what the browser did.
  let run = evaluateCors(c, credentials === 'include');
  if (credentials === 'unknown' && run.sensitive && c.errorKind === 'refused' && run.outcome !== 'blocked') {
    const withCredentials = evaluateCors(c, true);
    if (withCredentials.outcome === 'blocked') {
      run = withCredentials;
      run.warnings.push({
        code: 'credentials-unknown',
        text: `The credentials mode was not observable. Without credentials the headers pass, but the browser refused the request (${c.error}): it must have been credentialed.`,
      });
    }
  }
  return finishCors(c, v, run);
}

/** Outcomes with no CORS check: pending / failed from the browser's events, else `outcome`. */
function simpleOutcome(c: Context, v: Verdict, outcome: Outcome, detail: string): Verdict {
  v.steps.push({ check: 'request', hop: null, passed: true, detail });
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

/** Errors that end a request for reasons other than CORS headers. */
function isFailure(kind: ErrorKind): boolean {
  return kind === 'network' || kind === 'aborted' || kind === 'blocked-other';
}

function networkFailure(c: Context, v: Verdict, hop: Hop, error: string | null = c.error): Verdict {
  v.outcome = 'failed';
  v.hop = hop;
  const what = error === null ? 'no response arrived' : describeError(error);
  v.steps.push({ check: 'response', hop, passed: false, detail: `${error ?? 'Failed'}: ${what}.` });
  let d = `The ${hop === 'preflight' ? 'preflight' : 'request'} failed below HTTP: ${what}${error ? ` (${error})` : ''}. This is not a CORS header problem.`;
  if (c.browser === 'firefox' && c.mode === 'cors' && errorKind(error) === 'network') {
    d += " Firefox's console still reports it as 'CORS request did not succeed' (CORSDidNotSucceed2).";
  }
  v.diagnosis = d;
  return v;
}

/** WebSocket handshakes: no CORS; the server alone decides by checking Origin. */
function websocketOutcome(c: Context, v: Verdict): Verdict {
  const wsAsHttp = c.target === null ? null : parseUrl(c.url.replace(/^ws/i, 'http'));
  const cross = c.origin !== null && wsAsHttp !== null && wsAsHttp.origin !== c.origin;
  v.steps.push({
    check: 'request',
    hop: null,
    passed: true,
    detail: 'WebSocket handshakes are not subject to CORS; the server must check the Origin header itself.',
  });
  if (c.errorKind !== 'none') return networkFailure(c, v, 'response');
  if (c.response === null) {
    if (c.completed) v.outcome = 'failed';
    return v;
  }
  if (c.response.status !== 101) {
    v.outcome = 'failed';
    v.hop = 'response';
    v.steps.push({ check: 'response', hop: 'response', passed: false, detail: `Handshake answered ${c.response.status}, not 101.` });
    v.diagnosis = `The server refused the WebSocket handshake (status ${c.response.status}); if it checks Origin, ${c.origin ?? 'the page origin'} is not on its list.`;
    return v;
  }
  v.outcome = cross ? 'allowed' : 'same-origin';
  return v;
}

function noCorsOutcome(c: Context, v: Verdict): Verdict {
  const redirect = c.hook?.redirect;
  if (redirect === 'error' || redirect === 'manual') {
    v.steps.push({ check: 'mode', hop: null, passed: false, detail: `A 'no-cors' request with redirect mode '${redirect}'.` });
    return finishBlocked(c, v, 'NoCorsRedirectModeNotFollow', null, null, redirect);
  }
  v.steps.push({
    check: 'request',
    hop: null,
    passed: true,
    detail: "Cross-origin 'no-cors' load: it goes through, and the page gets an opaque response it cannot read.",
  });
  if (c.errorKind !== 'none') return networkFailure(c, v, 'response');
  if (c.response === null && !c.completed) return v;
  v.outcome = 'opaque';
  v.hiddenHeaders = headerNames(c.response?.headers);
  const d = diagnose(diagnosisInput(c, v, null));
  v.diagnosis = d.diagnosis;
  return v;
}

const SPACE_RANK: Record<AddressSpace, number> = { loopback: 0, local: 1, public: 2 };

/**
 * Chromium's local-network-access checks, as far as they are observable: the target's address
 * space comes from the server IP (or an IP literal / localhost / .local host name), the
 * initiator's from the observation's initiatorAddressSpace or its own host name. With neither known, only the browser's
 * ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS error reveals the check.
 */
function localNetworkCheck(c: Context): { step: VerdictStep; reason: ReasonCode | null; parameter: string | null } | null {
  if (c.browser !== 'chromium' || c.target === null) return null;
  const remote = typeof c.obs.remoteAddress === 'string' ? addressSpaceOfIp(c.obs.remoteAddress) : null;
  const targetSpace = remote ?? addressSpaceOfHost(c.target.host);
  const initOrigin = c.origin === null ? null : parseOrigin(c.origin);
  const declared = c.obs.initiatorAddressSpace;
  const initSpace =
    declared === 'loopback' || declared === 'local' || declared === 'public'
      ? declared
      : initOrigin === null
        ? null
        : addressSpaceOfHost(initOrigin.host);
  const hookTarget = c.hook?.targetAddressSpace;
  const blockedByBrowser = c.errorKind === 'local-network';
  const morePrivate =
    targetSpace !== null && initSpace !== null && SPACE_RANK[targetSpace] < SPACE_RANK[initSpace];
  if (!blockedByBrowser && !morePrivate && hookTarget === undefined) return null;
  const spaces = `initiator ${initSpace ?? 'unknown'}, target ${targetSpace ?? 'unknown'}`;
  const step = (passed: boolean, detail: string): VerdictStep => ({ check: 'local-network', hop: null, passed, detail: `${detail} (${spaces}).` });
  const secure = c.origin !== null && isPotentiallyTrustworthy(c.origin);
  const mismatch = hookTarget !== undefined && targetSpace !== null && hookTarget !== targetSpace;
  const gotThrough = c.response !== null && c.errorKind === 'none';
  if (mismatch && !gotThrough) {
    return { step: step(false, `The request declared targetAddressSpace '${hookTarget}'`), reason: 'InvalidLocalNetworkAccess', parameter: targetSpace };
  }
  if (blockedByBrowser || (morePrivate && c.response === null && c.errorKind === 'refused')) {
    if (!secure) {
      return { step: step(false, 'A non-secure page asked for a more private address space'), reason: 'InsecureLocalNetwork', parameter: targetSpace };
    }
    return { step: step(false, 'Local network access was not granted'), reason: 'LocalNetworkAccessPermissionDenied', parameter: targetSpace };
  }
  return { step: step(true, gotThrough ? 'Local network request went through (permission granted)' : 'Local network request'), reason: null, parameter: null };
}

function finishBlocked(
  c: Context,
  v: Verdict,
  reason: ReasonCode,
  hop: Hop | null,
  redirectIndex: number | null,
  failedParameter: string | null,
): Verdict {
  v.outcome = 'blocked';
  v.reason = reason;
  v.hop = hop;
  v.redirectIndex = redirectIndex;
  v.failedParameter = failedParameter;
  const d = diagnose(diagnosisInput(c, v, null));
  v.diagnosis = d.diagnosis;
  v.fix = d.fix;
  return v;
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The CORS protocol for a cors-mode request that is cross-origin somewhere. Pure. */
function evaluateCors(c: Context, include: boolean): CorsResult {
  const origin = c.origin as string;
  const r: CorsResult = {
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
  // 1. Preflight.
  if (c.firstCross) r.need = preflightNeed(c.method, c.requestHeaders, c.browser, c.hook);
  const pf = c.preflight;
  if (pf !== null) {
    r.preflight = 'sent';
    const pfHeaders = list<never>(pf.responseHeaders) as HeaderList;
    const status = typeof pf.status === 'number' ? pf.status : null;
    const location = getHeader(pfHeaders, 'location');
    if (pf.redirected === true || (status !== null && isRedirectStatus(status) && location !== null)) {
      r.steps.push({ check: 'preflight-redirect', hop: 'preflight', passed: false, detail: `The preflight was redirected${location ? ` to ${location}` : ''}; preflights may not redirect.` });
      return fail(r, 'PreflightDisallowedRedirect', 'preflight', location, pfHeaders, status);
    }
    if (status === null || status < 100 || status > 999) {
      const pfError = str(pf.error) || null;
      if (isFailure(errorKind(pfError))) return failed(r, 'preflight', pfError);
      r.steps.push({ check: 'preflight-response', hop: 'preflight', passed: false, detail: `The preflight got no valid HTTP response${pfError ? ` (${pfError})` : ''}.` });
      return fail(r, 'InvalidResponse', 'preflight', pfError, pfHeaders, status);
    }
    const acc = accessCheck(pfHeaders, origin, include, c.browser);
    r.sensitive ||= acc.credentialSensitive;
    r.steps.push(originStep(acc.reason === null, 'preflight', acc.allowOrigin, origin, include));
    if (acc.reason !== null) return fail(r, preflightVariant(acc.reason), 'preflight', acc.failedParameter, pfHeaders, status);
    const ok = status >= 200 && status <= 299;
    r.steps.push({ check: 'preflight-status', hop: 'preflight', passed: ok, detail: `Preflight status ${status}${ok ? '' : ': not 2xx'}.` });
    if (!ok) return fail(r, 'PreflightInvalidStatus', 'preflight', String(status), pfHeaders, status);
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
    if (rules.reason !== null && methodFailed) return fail(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
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
    if (rules.reason !== null) return fail(r, rules.reason, 'preflight', rules.failedParameter, pfHeaders, status);
    if (rules.authorizationByWildcard) {
      r.authorizationByWildcard = true;
      r.warnings.push({
        code: 'authorization-wildcard',
        text: "Authorization is allowed only by 'Access-Control-Allow-Headers: *'. The standard says '*' never covers Authorization; browsers still allow it (Firefox logs CORSAllowHeaderFromPreflightDeprecation) but will stop. List Authorization explicitly.",
      });
    }
  } else if (r.need.required) {
    const why = preflightWhy(r.need, c.method);
    const reached = c.response !== null || c.redirects.length > 0;
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

  // 2. Redirects: the CORS check runs on each cross-origin redirect response.
  if (c.redirects.length > 20) return failed(r, 'redirect', 'net::ERR_TOO_MANY_REDIRECTS');
  let crossed = c.firstCross;
  let hopUrl = c.url;
  let hopParsed = c.target as ParsedUrl;
  for (let i = 0; i < c.redirects.length; i++) {
    const hop = c.redirects[i] as RedirectObservation;
    const u = str(hop.url) || hopUrl;
    const parsed = parseUrl(u) ?? hopParsed;
    const headers = list<never>(hop.responseHeaders) as HeaderList;
    const status = typeof hop.status === 'number' ? hop.status : 0;
    crossed ||= parsed.origin !== origin;
    const current = r.tainted ? 'null' : origin;
    if (crossed) {
      const acc = accessCheck(headers, current, include, c.browser);
      r.sensitive ||= acc.credentialSensitive;
      r.steps.push(originStep(acc.reason === null, 'redirect', acc.allowOrigin, current, include, status));
      if (acc.reason !== null) return fail(r, acc.reason, 'redirect', acc.failedParameter, headers, status, i);
    }
    const raw = str(hop.location) || getHeader(headers, 'location') || '';
    const loc = resolveUrl(raw, u);
    const locParsed = loc === null ? null : parseUrl(loc);
    if (loc === null || locParsed === null) return failed(r, 'redirect', 'net::ERR_INVALID_REDIRECT');
    if (locParsed.hasCredentials && locParsed.origin !== origin) {
      r.steps.push({ check: 'redirect-location', hop: 'redirect', passed: false, detail: `Redirect ${i + 1} points to a URL with credentials (user:pass@).` });
      return fail(r, 'RedirectContainsCredentials', 'redirect', loc, headers, status, i);
    }
    if ((crossed || locParsed.origin !== origin) && !isCorsScheme(locParsed.scheme, c.browser) && !isLocalScheme(locParsed.scheme)) {
      r.steps.push({ check: 'redirect-location', hop: 'redirect', passed: false, detail: `Redirect ${i + 1} points to a ${locParsed.scheme}: URL, which does not support CORS.` });
      return fail(r, 'CorsDisabledScheme', 'redirect', locParsed.scheme, headers, status, i);
    }
    const taints = !r.tainted && locParsed.origin !== parsed.origin && origin !== parsed.origin;
    if (taints) r.tainted = true;
    r.steps.push({
      check: 'redirect-location',
      hop: 'redirect',
      passed: true,
      detail: `Redirect ${i + 1} (${status}) to ${loc}${taints ? ': a cross-origin hop after a cross-origin hop, so the request\'s origin is now "null"' : ''}.`,
    });
    crossed ||= locParsed.origin !== origin;
    hopUrl = loc;
    hopParsed = locParsed;
  }
  r.origin = r.tainted ? 'null' : origin;
  if (!crossed) {
    r.outcome = 'same-origin';
    return r;
  }

  // 3. The final response.
  const resp = c.response;
  const behindPreflight = r.need.required && r.preflight !== 'sent';
  if (resp === null) {
    if (isFailure(c.errorKind)) return failed(r, 'response', c.error);
    if (c.provisional && c.errorKind === 'refused') {
      // The log lost the response, not the browser: a refusal whose failing check it cannot show.
      r.steps.push({ check: 'response', hop: null, passed: false, detail: `The browser refused the request (${c.error}); the log saved no response to check.` });
      r.outcome = 'blocked';
      return r;
    }
    if (c.errorKind === 'refused' || c.errorKind === 'invalid-response' || c.completed) {
      const hop: Hop = behindPreflight ? 'preflight' : 'response';
      r.steps.push({ check: 'response', hop, passed: false, detail: `No response to check${c.error ? `; the browser reported ${c.error}` : ''}.` });
      return fail(r, 'InvalidResponse', hop, c.error, null, null);
    }
    return r; // pending
  }
  if (!(resp.status >= 100 && resp.status <= 999)) {
    r.steps.push({ check: 'response', hop: 'response', passed: false, detail: `No valid HTTP status (${resp.status}).` });
    return fail(r, 'InvalidResponse', 'response', c.error ?? String(resp.status), resp.headers, resp.status);
  }
  const acc = accessCheck(resp.headers, r.origin, include, c.browser);
  r.sensitive ||= acc.credentialSensitive;
  r.steps.push(originStep(acc.reason === null, 'response', acc.allowOrigin, r.origin, include, resp.status));
  if (acc.reason !== null) return fail(r, acc.reason, 'response', acc.failedParameter, resp.headers, resp.status);
  if (c.errorKind !== 'none') return failed(r, 'response', c.error);
  if (!include && acc.allowOrigin === '*' && getHeader(resp.headers, 'access-control-allow-credentials') === 'true') {
    r.warnings.push({
      code: 'wildcard-with-credentials-header',
      text: "The response sends 'Access-Control-Allow-Origin: *' with 'Access-Control-Allow-Credentials: true'. Browsers never accept that pair for credentialed requests: it only works here because this request carried none.",
    });
  }
  r.outcome = 'allowed';
  return r;
}

function fail(
  r: CorsResult,
  reason: ReasonCode,
  hop: Hop | null,
  param: string | null,
  headers: HeaderList | null,
  status: number | null,
  index: number | null = null,
): CorsResult {
  r.outcome = 'blocked';
  r.reason = reason;
  r.hop = hop;
  r.failedParameter = param;
  r.failedHeaders = headers;
  r.failedStatus = status;
  r.redirectIndex = index;
  return r;
}

function failed(r: CorsResult, hop: Hop, error: string | null): CorsResult {
  r.outcome = 'failed';
  r.hop = hop;
  r.failure = error;
  return r;
}

function preflightWhy(need: PreflightNeed, method: string): string {
  const parts: string[] = [];
  if (need.method) parts.push(`method ${method}`);
  if (need.unsafeHeaders.length > 0) parts.push(`headers ${need.unsafeHeaders.join(', ')}`);
  if (need.forced) parts.push('an upload listener or streamed body');
  return parts.join('; ');
}

function originStep(passed: boolean, hop: Hop, acao: string, origin: string, include: boolean, status?: number): VerdictStep {
  const where = hop === 'preflight' ? 'Preflight' : hop === 'redirect' ? `Redirect (${status})` : `Response (${status})`;
  const seen = acao === '' ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${acao}`;
  return {
    check: 'allow-origin',
    hop,
    passed,
    detail: `${where}: ${seen}; request origin ${origin}${include ? ', with credentials' : ''}.`,
  };
}

function finishCors(c: Context, v: Verdict, run: CorsResult): Verdict {
  v.steps.push(...run.steps);
  v.warnings.push(...run.warnings);
  v.preflight = run.preflight;
  v.requestOrigin = run.origin;
  if (run.outcome === 'same-origin') return simpleOutcome(c, v, 'same-origin', 'Every hop stayed on the same origin.');
  if (run.outcome === 'failed') return networkFailure(c, v, run.hop ?? 'response', run.failure);
  v.outcome = run.outcome;
  v.reason = run.reason;
  v.hop = run.hop;
  v.redirectIndex = run.redirectIndex;
  v.failedParameter = run.failedParameter;
  if (run.outcome === 'allowed' && c.response !== null) {
    const include = c.credentials === 'include';
    const exposure = exposedResponseHeaders(c.response.headers, getHeader(c.response.headers, 'access-control-expose-headers'), include);
    v.exposedHeaders = exposure.exposed;
    v.hiddenHeaders = exposure.hidden;
  }
  if (run.outcome === 'blocked') {
    if (c.completed && c.errorKind === 'none') {
      v.warnings.push(
        c.browser === 'firefox'
          ? { code: 'browser-reported-success', text: 'Firefox reported this request as completed with no error, as it does for CORS-blocked requests; the page still got a network error.' }
          : { code: 'browser-disagrees', text: 'Chromium reported no error for this request; the inferred mode or credentials may be wrong.' },
      );
    }
  }
  if (run.outcome === 'blocked' && run.reason === null) {
    v.diagnosis = `The browser refused this request (${c.error}), but the log holds neither its response nor the headers the browser added, so which CORS check failed cannot be told. The browser console names it; Origin Lens records it live.`;
    return v;
  }
  const d = diagnose(diagnosisInput(c, v, run));
  v.diagnosis = d.diagnosis;
  v.fix = d.fix;
  return v;
}

/** True when some redirect hop or target is on another origin than `origin`. */
function redirectsLeave(redirects: RedirectObservation[], url: string, origin: string): boolean {
  let current = url;
  for (const hop of redirects) {
    const from = str(hop.url) || current;
    const to = resolveUrl(str(hop.location) || getHeader(list<never>(hop.responseHeaders), 'location') || '', from);
    if (originOfOrNull(from) !== origin || to === null || originOfOrNull(to) !== origin) return true;
    current = to;
  }
  return false;
}

function originOfOrNull(url: string): string | null {
  return parseUrl(url)?.origin ?? null;
}

function diagnosisInput(c: Context, v: Verdict, run: CorsResult | null): DiagnosisInput {
  const need = run?.need ?? NO_NEED;
  const index = v.redirectIndex;
  const hop = index === null ? c.redirects[0] : c.redirects[index];
  const redirectTarget = hop === undefined ? null : resolveUrl(str(hop.location), str(hop.url) || c.url);
  const kind = resourceKind(c.obs.type);
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
    scripted: kind === 'xhr' || (c.hook !== null && c.hook.mode !== undefined),
    xhr: c.hook?.withCredentials === true || c.hook?.withCredentials === false,
    url: c.url,
  };
}
