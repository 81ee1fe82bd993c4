// What kind of request this was, from what an extension or a HAR can observe: resource kind,
// JSONP, request mode, credentials mode, whether a preflight was needed, and the
// preflight-cache model used to tell "simple" from "served by the preflight cache". Where a fact cannot be observed the
// answer says "unknown" rather than guessing.
import type { HeaderList } from '../net/headers';
import { getHeader, hasHeader, parseNameList, parseTokenList } from '../net/headers';
import type { Browser } from '../browser';
import { isSafelistedMethod, unsafeHeaderNames } from './safelist';

export type RequestMode = 'cors' | 'no-cors' | 'navigate' | 'same-origin' | 'websocket';
export type CredentialsMode = 'include' | 'same-origin' | 'omit' | 'unknown';
export type PreflightStatus = 'sent' | 'not-needed' | 'cached' | 'unknown';

/** Resource kinds, normalised over Chrome/Firefox webRequest types and DevTools HAR types. */
export type ResourceKind =
  | 'document'
  | 'subdocument'
  | 'xhr'
  | 'script'
  | 'stylesheet'
  | 'image'
  | 'font'
  | 'media'
  | 'websocket'
  | 'ping'
  | 'beacon'
  | 'csp-report'
  | 'manifest'
  | 'eventsource'
  | 'preflight'
  | 'other';

// Maps, not object literals: a type like "constructor" must not hit Object.prototype.
const KINDS = new Map<string, ResourceKind>(Object.entries({
  main_frame: 'document',
  document: 'document',
  sub_frame: 'subdocument',
  subdocument: 'subdocument',
  xmlhttprequest: 'xhr', // both browsers' webRequest report fetch() as xmlhttprequest
  xhr: 'xhr',
  fetch: 'xhr',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  imageset: 'image',
  font: 'font',
  media: 'media',
  texttrack: 'media',
  websocket: 'websocket',
  ping: 'ping',
  beacon: 'beacon',
  csp_report: 'csp-report',
  cspviolationreport: 'csp-report',
  web_manifest: 'manifest',
  manifest: 'manifest',
  eventsource: 'eventsource',
  preflight: 'preflight',
} satisfies Record<string, ResourceKind>));

export function resourceKind(type: unknown): ResourceKind {
  return typeof type === 'string' ? (KINDS.get(type) ?? KINDS.get(type.toLowerCase()) ?? 'other') : 'other';
}

const JSONP_PARAMS = new Set(['callback', 'cb', 'jsonp', 'jsoncallback', 'jsonpcallback', 'jsonp_callback', '_callback', 'callbackname']);
const JS_IDENTIFIER = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** The callback parameter of a JSONP-looking URL (a script load any site can read), or null. */
export function jsonpParameter(url: string): string | null {
  const q = url.indexOf('?');
  if (q === -1) return null;
  const query = url.slice(q + 1).split('#')[0] ?? '';
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).toLowerCase();
    let value = pair.slice(eq + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (JSONP_PARAMS.has(name) && JS_IDENTIFIER.test(value)) return name;
  }
  return null;
}

/**
 * What the page hook (MAIN-world fetch/XHR wrapper) saw; it wins over inference. Loosely
 * typed (strings) so the hook's wire record fits as is; unknown values are ignored.
 */
export interface HookInfo {
  /** Request mode the page asked for (fetch's `mode`; XHR is always 'cors'). */
  mode?: string;
  /** fetch's `credentials`: include, same-origin, omit. */
  credentials?: string;
  /** XHR's withCredentials; null for fetch. */
  withCredentials?: boolean | null;
  /** True when the page set an Authorization header (Chromium's webRequest never shows it). */
  authorization?: boolean;
  /** Names of the headers the page set itself. */
  headerNames?: string[];
  /** fetch's `redirect` mode. */
  redirect?: 'follow' | 'error' | 'manual';
  /** XHR upload listener or streaming body: forces a preflight. */
  forcePreflight?: boolean;
  /** fetch's `targetAddressSpace` (Chromium local network access). */
  targetAddressSpace?: 'loopback' | 'local' | 'public';
}

export interface ModeInput {
  kind: ResourceKind;
  method: string;
  requestHeaders: HeaderList;
  hook?: HookInfo | null;
  /** The first hop's URL is on another origin than the initiator. */
  crossOrigin: boolean;
  /** A CORS preflight was seen for this request. */
  preflightSeen?: boolean;
  /** The header list lacks what the browser adds (Origin, Sec-Fetch-Mode): see CorsObservation. */
  provisional?: boolean;
}

export type ModeSource = 'hook' | 'sec-fetch-mode' | 'resource-type' | 'origin-header' | 'guessed';

const SEC_FETCH_MODES = new Map<string, RequestMode>(Object.entries({
  cors: 'cors',
  'no-cors': 'no-cors',
  navigate: 'navigate',
  'nested-navigate': 'navigate',
  'same-origin': 'same-origin',
  websocket: 'websocket',
} satisfies Record<string, RequestMode>));

/** The request mode: the hook's report, else Sec-Fetch-Mode, else resource type and Origin. */
export function inferMode(input: ModeInput): { mode: RequestMode; source: ModeSource } {
  const hookMode = typeof input.hook?.mode === 'string' ? SEC_FETCH_MODES.get(input.hook.mode) : undefined;
  if (hookMode !== undefined) return { mode: hookMode, source: 'hook' };
  const sfm = getHeader(input.requestHeaders, 'sec-fetch-mode');
  const fromHeader = sfm === null ? undefined : (SEC_FETCH_MODES.get(sfm) ?? SEC_FETCH_MODES.get(sfm.toLowerCase()));
  if (fromHeader !== undefined) return { mode: fromHeader, source: 'sec-fetch-mode' };
  switch (input.kind) {
    case 'document':
    case 'subdocument':
      return { mode: 'navigate', source: 'resource-type' };
    case 'websocket':
      return { mode: 'websocket', source: 'resource-type' };
    case 'font': // CSS fonts, manifests and EventSource are always fetched in cors mode
    case 'manifest':
    case 'eventsource':
      return { mode: 'cors', source: 'resource-type' };
    default:
      break;
  }
  // A preflight, or a method other than GET/HEAD/POST, happens only in cors mode.
  if (input.preflightSeen === true || !isSafelistedMethod(input.method)) return { mode: 'cors', source: 'origin-header' };
  if (input.kind === 'other') return guessMode(input.requestHeaders);
  // A cross-origin cors request always carries Origin; a no-cors GET never does. POSTs carry
  // it in both modes, so for them only XHR/fetch (cors by default) count as cors.
  const hasOrigin = hasHeader(input.requestHeaders, 'origin');
  const getLike = isGetOrHead(input.method);
  if (input.kind === 'xhr') {
    // Without the browser-added headers, fall back on fetch's and XHR's default: cors.
    if (input.provisional === true && !hasOrigin) return { mode: 'cors', source: 'resource-type' };
    if (hasOrigin || !input.crossOrigin) return { mode: 'cors', source: 'origin-header' };
    return { mode: 'no-cors', source: 'origin-header' };
  }
  if (hasOrigin && getLike) return { mode: 'cors', source: 'origin-header' };
  return { mode: 'no-cors', source: hasOrigin ? 'origin-header' : 'resource-type' };
}

/**
 * No resource type, no Sec-Fetch-Mode and no hook (a HAR recorded on the wire): a guess from
 * what the request carries. A navigation, a form post included, asks for HTML; fetch and XHR
 * send `Accept: *\/*` (or what the script set) and, cross-origin, an Origin header, whatever
 * the method; an element load sends no Origin.
 */
function guessMode(requestHeaders: HeaderList): { mode: RequestMode; source: ModeSource } {
  if (/^\s*text\/html\b/i.test(getHeader(requestHeaders, 'accept') ?? '')) return { mode: 'navigate', source: 'guessed' };
  return { mode: hasHeader(requestHeaders, 'origin') ? 'cors' : 'no-cors', source: 'guessed' };
}

function isGetOrHead(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD';
}

export type CredentialsSource = 'hook' | 'cookie-header' | 'resource-type' | 'none';

/**
 * The credentials mode. Only what is known: the hook's report, a Cookie header on a cors
 * request (then it must have been 'include'), or a fixed rule of the platform (navigations,
 * WebSockets and element loads without `crossorigin` include credentials; CSS fonts use
 * 'same-origin'). Otherwise 'unknown'.
 */
export function inferCredentials(
  mode: RequestMode,
  kind: ResourceKind,
  requestHeaders: HeaderList,
  hook?: HookInfo | null,
): { credentials: CredentialsMode; source: CredentialsSource } {
  const c = hook?.credentials;
  if (c === 'include' || c === 'omit' || c === 'same-origin') return { credentials: c, source: 'hook' };
  if (typeof hook?.withCredentials === 'boolean') {
    return { credentials: hook.withCredentials ? 'include' : 'same-origin', source: 'hook' };
  }
  if (mode === 'navigate' || mode === 'websocket') return { credentials: 'include', source: 'resource-type' };
  if (hasHeader(requestHeaders, 'cookie')) return { credentials: 'include', source: 'cookie-header' };
  if (mode === 'no-cors' && (kind === 'image' || kind === 'script' || kind === 'stylesheet' || kind === 'media')) {
    return { credentials: 'include', source: 'resource-type' };
  }
  if (mode === 'cors' && kind === 'font') return { credentials: 'same-origin', source: 'resource-type' };
  return { credentials: 'unknown', source: 'none' };
}

export interface PreflightNeed {
  required: boolean;
  /** The method is not CORS-safelisted. */
  method: boolean;
  /** Sorted, lowercased unsafe header names (the Access-Control-Request-Headers value). */
  unsafeHeaders: string[];
  forced: boolean;
}

/**
 * Whether a cors-mode cross-origin request needs a preflight (before the preflight cache is
 * consulted). The author's headers come from the hook when it reported them; the observed
 * request headers then only supply values. Chromium's webRequest never shows Authorization,
 * so the hook's `authorization` flag adds it.
 */
export function preflightNeed(
  method: string,
  requestHeaders: HeaderList,
  browser: Browser,
  hook?: HookInfo | null,
): PreflightNeed {
  let headers = requestHeaders;
  if (hook?.headerNames !== undefined && Array.isArray(hook.headerNames)) {
    const wanted = new Set(hook.headerNames.filter((n) => typeof n === 'string').map((n) => n.toLowerCase()));
    headers = [];
    for (const name of wanted) headers.push({ name, value: getHeader(requestHeaders, name) ?? '' });
  }
  let unsafe = unsafeHeaderNames(headers, browser);
  if (hook?.authorization === true && !unsafe.includes('authorization')) unsafe = [...unsafe, 'authorization'].sort();
  const methodUnsafe = !isSafelistedMethod(method);
  const forced = hook?.forcePreflight === true;
  return { required: methodUnsafe || unsafe.length > 0 || forced, method: methodUnsafe, unsafeHeaders: unsafe, forced };
}

/** Preflight-cache lifetime caps: Chromium 2 hours, Firefox 24 hours; default 5 seconds. */
export const MAX_AGE_CAP: Readonly<Record<Browser, number>> = { chromium: 7200, firefox: 86400 };
const DEFAULT_MAX_AGE = 5;

/**
 * Seconds a preflight result is cached for, from Access-Control-Max-Age, per browser:
 * Chromium reads an integer (unparsable: the 5 s default; negative: not cached), Firefox
 * accepts only digits (anything else: not cached). 0 means "not cached".
 */
export function preflightMaxAge(value: string | null, browser: Browser): number {
  if (value === null || value === '') return DEFAULT_MAX_AGE;
  const cap = MAX_AGE_CAP[browser];
  if (browser === 'firefox') return /^\d+$/.test(value) ? Math.min(Number(value), cap) : 0;
  if (!/^[+-]?\d+$/.test(value)) return DEFAULT_MAX_AGE;
  const n = Number(value);
  return n < 0 ? 0 : Math.min(n, cap);
}

interface CacheEntry {
  /** Expiry (ms) per allowed method token / lowercased header name. */
  methods: Map<string, number>;
  headers: Map<string, number>;
  /** The last preflight that filled the entry, and the lifetime it was given (seconds). */
  filledBy: CachedPreflight;
}

/** The preflight whose cached result covered a request: its record id ('' when unknown) and its max-age (seconds). */
export interface CachedPreflight {
  id: string;
  maxAge: number;
}

export interface PreflightCacheQuery {
  origin: string;
  url: string;
  credentials: boolean;
  method: string;
  unsafeHeaders: readonly string[];
  /** Time of the request, in ms (any clock, as long as it matches record()). */
  time: number;
}

/**
 * A model of the browser's CORS preflight cache, keyed by (origin, URL, credentials). Each
 * tab's session (src/core/session/session.ts) owns one: it records every preflight answered
 * 2xx and asks, for a request that needed a preflight and showed none, whether an entry
 * covered it (src/core/session/judge.ts). Chromium replaces an entry on each new preflight; Firefox
 * merges tokens, each with its own expiry. Bounded: the oldest keys go first.
 */
export class PreflightCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly browser: Browser,
    private readonly maxEntries = 1024,
  ) {}

  private static key(origin: string, url: string, credentials: boolean): string {
    return `${credentials ? 'c' : 'a'} ${origin} ${url}`;
  }

  /** Records a preflight's response headers, received at `time` (ms); `id` names the preflight's record. */
  record(origin: string, url: string, credentials: boolean, responseHeaders: HeaderList, time: number, id = ''): void {
    const age = preflightMaxAge(getHeader(responseHeaders, 'access-control-max-age'), this.browser);
    const key = PreflightCache.key(origin, url, credentials);
    if (age <= 0) {
      this.entries.delete(key);
      return;
    }
    const expiry = time + age * 1000;
    const methods = parseTokenList(getHeader(responseHeaders, 'access-control-allow-methods')).tokens;
    const headers = parseNameList(getHeader(responseHeaders, 'access-control-allow-headers'));
    const previous = this.entries.get(key);
    const filledBy = { id, maxAge: age };
    const entry: CacheEntry =
      this.browser === 'firefox' && previous !== undefined ? { ...previous, filledBy } : { methods: new Map(), headers: new Map(), filledBy };
    for (const m of methods) entry.methods.set(m, expiry);
    for (const h of headers) entry.headers.set(h, expiry);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** True when a cached preflight result covers this request's method and unsafe headers. */
  covers(q: PreflightCacheQuery): boolean {
    return this.coveredBy(q) !== null;
  }

  /** The preflight whose cached result covers this request's method and unsafe headers, or null. */
  coveredBy(q: PreflightCacheQuery): CachedPreflight | null {
    const entry = this.entries.get(PreflightCache.key(q.origin, q.url, q.credentials));
    if (entry === undefined) return null;
    const live = (m: Map<string, number>, token: string) => (m.get(token) ?? -Infinity) > q.time;
    // Chromium compares the upper-cased method; Firefox the method as sent.
    const method = this.browser === 'chromium' ? q.method.toUpperCase() : q.method;
    const methodOk =
      isSafelistedMethod(q.method) || live(entry.methods, method) || (!q.credentials && live(entry.methods, '*'));
    if (!methodOk) return null;
    // '*' also covers Authorization: both browsers still allow it (with a deprecation warning).
    const wildcard = !q.credentials && live(entry.headers, '*');
    return wildcard || q.unsafeHeaders.every((h) => live(entry.headers, h.toLowerCase())) ? entry.filledBy : null;
  }

  get size(): number {
    return this.entries.size;
  }
}
