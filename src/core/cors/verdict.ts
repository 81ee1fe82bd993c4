// The CORS verdict engine: from what the session or a HAR observed of one request, what the
// browser did with it and exactly why (docs/verdicts.md). Pure and total: any input, however
// malformed, gives a well-formed verdict; nothing here throws. This file holds the public
// types and the entry; context.ts reads the observation, outcomes.ts and local-network.ts
// decide what needs no CORS run, cors-protocol.ts runs the CORS protocol.
import type { CredentialsMode, HookInfo, PreflightStatus, RequestMode } from './classify';
import { readObservation } from './context';
import { corsOutcome } from './cors-protocol';
import { localNetworkCheck } from './local-network';
import { finishBlocked, noCorsOutcome, simpleOutcome, websocketOutcome } from './outcomes';
import { redirectsLeave } from './redirects';
import type { HeaderList } from '../net/headers';
import type { AddressSpace } from '../net/origin';
import { isCorsScheme, isLocalScheme } from '../net/origin';
import type { Outcome, ReasonCode } from './reasons';
import type { Browser } from '../browser';

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
  const c = readObservation(rawObs);
  const { mode, credentials, origin, target, url } = c;
  const v = baseVerdict('pending', mode, credentials, 'not-needed', origin);
  if (c.abortedAfterResponse) {
    v.warnings.push({ code: 'aborted-after-response', text: `The response arrived, then the load was cancelled (${c.error}): the verdict is the response's.` });
  }
  if (c.provisional) {
    v.warnings.push({
      code: 'headers-provisional',
      text: 'Only provisional request headers were saved (the request got no response): Origin, Cookie and Sec-Fetch-* are unknown, so the mode and credentials are inferred from the request type.',
    });
  }
  v.steps.push({ check: 'mode', hop: null, passed: true, detail: modeDetail(mode, c.modeSource, credentials) });

  if (target === null) {
    v.outcome = 'failed';
    v.steps.push({ check: 'request', hop: null, passed: false, detail: `The URL "${url}" cannot be parsed.` });
    v.diagnosis = 'The request URL is not a valid absolute URL, so the browser could not send it.';
    return v;
  }
  // https://fetch.spec.whatwg.org/#main-fetch step 12: the first matching branch decides how
  // the request is fetched. Navigations and WebSockets get no CORS check.
  if (mode === 'navigate') return simpleOutcome(c, v, 'navigation', 'A document navigation: no CORS check applies.');
  if (mode === 'websocket') return websocketOutcome(c, v);

  // Chromium's local-network checks decide before the request is sent.
  const lna = localNetworkCheck(c);
  if (lna !== null) {
    v.steps.push(lna.step);
    if (lna.reason !== null) return finishBlocked(c, v, lna.reason, null, null, lna.parameter);
  }

  // Same origin all the way, or a local scheme (data:, about:, blob:): no CORS check.
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
  if (!c.firstCross && !redirectsLeave(c.redirects, url, origin)) return simpleOutcome(c, v, 'same-origin', `Same origin (${origin}): no CORS check applies.`);

  // Mode "same-origin" and another origin: a network error.
  if (mode === 'same-origin') {
    v.steps.push({ check: 'mode', hop: null, passed: false, detail: `Mode 'same-origin' but ${target.origin} is another origin than ${origin}.` });
    return finishBlocked(c, v, 'DisallowedByMode', null, null, target.origin);
  }
  if (mode === 'no-cors') return noCorsOutcome(c, v);

  // A scheme without CORS (file:, ...): a network error.
  if (c.firstCross && !isCorsScheme(target.scheme, c.browser)) {
    v.steps.push({ check: 'scheme', hop: null, passed: false, detail: `The ${target.scheme}: scheme does not support CORS.` });
    return finishBlocked(c, v, 'CorsDisabledScheme', null, null, target.scheme);
  }

  // Mode "cors", cross-origin somewhere: the CORS protocol, with or without a preflight.
  return corsOutcome(c, v);
}
