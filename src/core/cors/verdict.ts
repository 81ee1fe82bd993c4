// The CORS verdict engine: from what the session or a HAR observed of one request, what the
// browser did with it and exactly why (docs/verdicts.md). Pure and total: any input, however
// malformed, gives a well-formed verdict; nothing here throws. This file holds the public
// types and the entry; context.ts reads the observation, outcomes.ts and local-network.ts
// decide what needs no CORS run, cors-protocol.ts runs the CORS protocol.
import type { CachedPreflight, CredentialsMode, HookInfo, PreflightStatus, RequestMode } from './classify';
import { readObservation } from './context';
import { corsOutcome } from './cors-protocol';
import { localNetworkCheck } from './local-network';
import { blockedBy, finishBlocked, navigationOutcome, noCorsOutcome, websocketOutcome, simpleOutcome } from './outcomes';
import { redirectsLeave } from './redirects';
import type { HeaderList } from '../net/headers';
import type { AddressSpace } from '../net/origin';
import { isCorsScheme, isLocalScheme } from '../net/origin';
import type { Outcome, ReasonCode } from './reasons';
import type { Browser } from '../browser';
import type { BlockCheckName, DocumentInfo } from '../blocks/block';
import { mixedContentCheck } from '../blocks/mixed-content';

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
  /** The session's preflight cache (classify.ts PreflightCache) says this preflight's cached result covered the request. */
  cachedPreflight?: CachedPreflight | null;
  /**
   * Repeated response header lines reached the source joined with ", " (Firefox's webRequest
   * does so): one Access-Control-Allow-Origin line holding ", " may have been two.
   */
  headerLinesMerged?: boolean;
  /** Recorded on the wire (a proxy's HAR), not by the browser: a response says nothing of what the browser did with it. */
  onTheWire?: boolean;
  /** False when the source could not show preflights at all (a HAR without any OPTIONS entries). */
  preflightsVisible?: boolean;
  /** Server IP address, for the local-network checks: webRequest's `ip`, a HAR's serverIPAddress. */
  remoteAddress?: string | null;
  /**
   * Address space of the initiating document (from the `ip` of its own response); without it
   * the local-network checks take the initiator's space from its host name (IP literal,
   * localhost, .local) or not at all.
   */
  initiatorAddressSpace?: AddressSpace | null;
  /** The document that made the request (for a frame: the one embedding it), when the session saw it load. */
  document?: DocumentInfo | null;
  /** For a popup's first document: the document of the window that opened it. */
  opener?: DocumentInfo | null;
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
  | 'response'
  | BlockCheckName;

/**
 * What a step found, as a code: the wording modules (src/core/words) turn it into a sentence,
 * so judging builds no text.
 */
export type StepCode =
  | 'mode'
  | 'url-invalid'
  | 'navigation'
  | 'local-scheme'
  | 'no-origin'
  | 'same-origin'
  | 'same-origin-hops'
  | 'mode-same-origin'
  | 'scheme-not-cors'
  | 'network-failure'
  | 'websocket'
  | 'websocket-refused'
  | 'no-cors-redirect-mode'
  | 'no-cors'
  | 'local-network-target-mismatch'
  | 'local-network-insecure'
  | 'local-network-denied'
  | 'local-network-granted'
  | 'local-network'
  | 'allow-origin'
  | 'preflight-cached'
  | 'preflight-not-observed'
  | 'simple-request'
  | 'first-hop-same-origin'
  | 'preflight-redirected'
  | 'preflight-no-response'
  | 'preflight-status'
  | 'method-allowed'
  | 'method-not-allowed'
  | 'headers-allowed'
  | 'header-not-allowed'
  | 'redirect'
  | 'redirect-credentials'
  | 'redirect-scheme'
  | 'response-not-saved'
  | 'no-response'
  | 'invalid-status'
  | 'answered-by-worker'
  // The blocks beyond CORS (src/core/blocks).
  | 'corp-same-origin'
  | 'corp-none'
  | 'corp-frame-without-coep'
  | 'corp-cross-origin'
  | 'corp-same-site'
  | 'corp-not-same-site'
  | 'corp-defaulted-by-coep'
  | 'corp-not-same-origin'
  | 'coep-page-without'
  | 'coep-frame-sends'
  | 'coep-frame-missing'
  | 'orb-safelisted'
  | 'orb-never-sniffed'
  | 'orb-never-sniffed-loaded'
  | 'orb-nosniff'
  | 'orb-nosniff-loaded'
  | 'orb-sniffed'
  | 'orb-not-refused'
  | 'orb-sniff-refused'
  | 'mixed-content-upgraded'
  | 'mixed-content-blocked'
  | 'coop-popup-severs'
  | 'coop-opener-severs'
  | 'coop-kept';

/** The facts a step's sentence names; each step code uses the few it needs. */
export interface StepParams {
  /** A header value as seen ('' when absent): ACAO, ACAM, ACAH, Location, a mode. */
  value?: string;
  /** The origin compared against, or the other origin. */
  origin?: string;
  status?: number;
  method?: string;
  /** Header names: the unsafe ones, or the one that failed. */
  names?: readonly string[];
  /** The check ran for a credentialed request. */
  credentialed?: boolean;
  /** A URL scheme, or a URL. */
  scheme?: string;
  url?: string;
  /** 1-based redirect number. */
  index?: number;
  /** The browser's error string. */
  error?: string | null;
  /** Why a preflight was needed: the method is unsafe, an upload listener or stream forced it. */
  methodUnsafe?: boolean;
  forced?: boolean;
  /** Where the request mode was read from. */
  source?: string;
  /** A cross-origin hop after a cross-origin hop: the origin is "null" from here on. */
  tainted?: boolean;
  /** Local-network checks: the address spaces seen. */
  initiatorSpace?: string;
  targetSpace?: string;
  /** The preflight that filled the cache (a record id), and its Access-Control-Max-Age in seconds. */
  preflightId?: string;
  maxAge?: number;
  /** A merged Access-Control-Allow-Origin value read as two lines rather than one. */
  twoLines?: boolean;
  /** The other side's isolation policy: the embedding page's COEP, the opener's COOP. */
  policy?: string;
}

export interface VerdictStep {
  check: CheckName;
  hop: Hop | null;
  passed: boolean;
  /** Absent only in steps read from session logs of older versions, which carry `detail`. */
  code?: StepCode;
  params?: StepParams;
  /** The step in words, as older versions wrote it into session logs; new steps leave it out. */
  detail?: string;
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
  | 'allow-origin-lines-merged'
  | 'engine-error';

export interface VerdictWarning {
  code: WarningCode;
  /** The browser's error, the header value, the need: what the warning's sentence names. */
  params?: StepParams;
  /** The warning in words, as older versions wrote it into session logs; new ones leave it out. */
  text?: string;
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
  /** The mode was guessed from what the request carried (no resource type, no Sec-Fetch-Mode, no hook); absent in older logs. */
  modeGuessed?: boolean;
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

export function computeVerdict(obs: CorsObservation): Verdict {
  try {
    return evaluate(obs);
  } catch (e) {
    // Never reached by design; if a bug slips through, the UI still gets a well-formed verdict.
    return {
      ...baseVerdict('pending', 'cors', 'unknown', 'unknown', null),
      warnings: [{ code: 'engine-error', params: { error: String(e) } }],
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
    modeGuessed: false,
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
    v.warnings.push({ code: 'aborted-after-response', params: { error: c.error } });
  }
  if (c.provisional) {
    v.warnings.push({ code: 'headers-provisional' });
  }
  v.modeGuessed = c.modeSource === 'guessed';
  v.steps.push({ check: 'mode', hop: null, passed: true, code: 'mode', params: { source: c.modeSource } });

  if (target === null) {
    v.outcome = 'failed';
    v.steps.push({ check: 'request', hop: null, passed: false, code: 'url-invalid', params: { url } });
    v.diagnosis = 'The request URL is not a valid absolute URL, so the browser could not send it.';
    return v;
  }
  // https://fetch.spec.whatwg.org/#main-fetch step 12: the first matching branch decides how
  // the request is fetched. Navigations and WebSockets get no CORS check.
  if (mode === 'navigate') return navigationOutcome(c, v);
  // A secure page's insecure request: blocked before the network (images are upgraded instead).
  const mixed = mixedContentCheck({ browser: c.browser, origin, url, type: c.obs.type, firstRedirect: c.redirects[0]?.location ?? null });
  if (mixed !== null) {
    if (!mixed.passed && c.response === null) return blockedBy(c, v, mixed);
    if (mixed.passed) v.steps.push({ check: mixed.check, hop: null, passed: true, code: mixed.code, params: mixed.params });
  }
  if (mode === 'websocket') return websocketOutcome(c, v);

  // Chromium's local-network checks decide before the request is sent.
  const lna = localNetworkCheck(c);
  if (lna !== null) {
    v.steps.push(lna.step);
    if (lna.reason !== null) return finishBlocked(c, v, lna.reason, null, null, lna.parameter);
  }

  // Same origin all the way, or a local scheme (data:, about:, blob:): no CORS check.
  if (isLocalScheme(target.scheme)) {
    return simpleOutcome(c, v, 'same-origin', 'local-scheme', { scheme: target.scheme });
  }
  if (origin === null) {
    v.warnings.push({ code: 'origin-unknown' });
    return simpleOutcome(c, v, 'same-origin', 'no-origin');
  }
  if (!c.firstCross && !redirectsLeave(c.redirects, url, origin)) return simpleOutcome(c, v, 'same-origin', 'same-origin', { origin });

  // Mode "same-origin" and another origin: a network error.
  if (mode === 'same-origin') {
    v.steps.push({ check: 'mode', hop: null, passed: false, code: 'mode-same-origin', params: { url: target.origin, origin } });
    return finishBlocked(c, v, 'DisallowedByMode', null, null, target.origin);
  }
  if (mode === 'no-cors') return noCorsOutcome(c, v);

  // A scheme without CORS (file:, ...): a network error.
  if (c.firstCross && !isCorsScheme(target.scheme, c.browser)) {
    v.steps.push({ check: 'scheme', hop: null, passed: false, code: 'scheme-not-cors', params: { scheme: target.scheme } });
    return finishBlocked(c, v, 'CorsDisabledScheme', null, null, target.scheme);
  }

  // Mode "cors", cross-origin somewhere: the CORS protocol, with or without a preflight.
  return corsOutcome(c, v);
}
