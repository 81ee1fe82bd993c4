// HAR 1.2 logs as Chrome's and Firefox's DevTools save them, read into requests (har-records.ts
// turns them into records). Quirks handled: each redirect hop is its own entry (chained back
// into one request here); preflights are separate OPTIONS entries, or absent altogether; Chrome
// adds _resourceType, _initiator and _error, Firefox has none of them; failed requests carry
// status 0. Reading only: HAR export lives beside it (har-export.ts).
import { resourceKind } from '../cors/classify';
import { LogFormatError } from './errors';
import { asList, asObject, asString } from '../guards';
import type { HeaderList } from '../net/headers';
import { getHeader } from '../net/headers';
import { parseUrl, resolveUrl } from '../net/origin';
import type { Browser } from '../browser';
import { cookieVerdictProblem } from '../cookies/check';
import type { CookieVerdict } from '../cookies/verdict';

/** One request of the log: its entry, the entries its redirects led to, and its preflight's entry. */
export interface HarRequest {
  /** "e" + the 1-based position of its first entry in log.entries. */
  id: string;
  /** The request's entries in order: the first, then the one each redirect led to. Never empty. */
  hops: RawEntry[];
  /** The preflight entry paired with it, or null. */
  preflight: RawEntry | null;
  initiatorOrigin: string | null;
  /** URL of the page (log.pages[].title) the entry belongs to, when given. */
  pageUrl: string | null;
}

export interface HarReadResult {
  /** In the order of their first entry (a preflight's included) in log.entries. */
  requests: HarRequest[];
  /** False when the log holds no preflight at all: its browser did not save them. */
  preflightsVisible: boolean;
  warnings: string[];
  creator: { name: string; version: string };
  /** Engine whose rules apply: given by the caller, else guessed from the creator. */
  browser: Browser;
  /**
   * The browser that saved the log, as far as the creator tells (else the rules'); null for a
   * log recorded on the wire (no browser named, no pages: a proxy's), whose header lines are as
   * sent and whose responses say nothing of what the browser made of them.
   */
  recordedBy: Browser | null;
  browserGuessed: boolean;
}

/** One entry of log.entries, normalised. */
export interface RawEntry {
  index: number;
  method: string;
  url: string;
  requestHeaders: HeaderList;
  status: number;
  responseHeaders: HeaderList;
  redirectURL: string;
  error: string | null;
  started: string | null;
  /** When it started; its position in log.entries when the log does not say. */
  startedMs: number;
  /** How long it took (ms), when the log says. */
  time: number | null;
  type: string;
  pageref: string | null;
  serverIP: string | null;
  initiatorUrl: string | null;
  preflight: boolean;
  /** The cookie verdict an Origin Lens export saved in `_originLens.cookies`, when valid. */
  cookies: CookieVerdict | null;
}

function headersOf(v: unknown): HeaderList {
  const out: HeaderList = [];
  for (const h of asList(v)) {
    const o = asObject(h);
    if (o === null || typeof o.name !== 'string') continue;
    out.push({ name: o.name, value: typeof o.value === 'string' ? o.value : String(o.value ?? '') });
  }
  return out;
}

/** Firefox saves no _resourceType; Sec-Fetch-Dest (or the URL, or what came back) tells most of it. */
const DEST_TYPES: Record<string, string> = {
  document: 'main_frame',
  iframe: 'sub_frame',
  frame: 'sub_frame',
  script: 'script',
  style: 'stylesheet',
  image: 'image',
  font: 'font',
  audio: 'media',
  video: 'media',
  track: 'media',
  empty: 'xmlhttprequest',
  websocket: 'websocket',
  manifest: 'manifest',
  report: 'csp_report',
};

function typeOf(e: Record<string, unknown>, url: string, requestHeaders: HeaderList, responseHeaders: HeaderList): string {
  const chrome = asString(e._resourceType);
  if (chrome !== '') return chrome;
  if (/^wss?:/i.test(url)) return 'websocket';
  const dest = getHeader(requestHeaders, 'sec-fetch-dest');
  if (dest !== null && Object.prototype.hasOwnProperty.call(DEST_TYPES, dest)) return DEST_TYPES[dest] as string;
  // Firefox sends Sec-Fetch-Dest only to https: a script or style sheet still shows in its
  // Content-Type (what makes a JSONP load visible in an http: log).
  const mime = (getHeader(responseHeaders, 'content-type') ?? '').toLowerCase();
  if (/^(text|application)\/(x-)?(java|ecma)script\b/.test(mime)) return 'script';
  if (mime.startsWith('text/css')) return 'stylesheet';
  return 'other';
}

export function guessBrowser(creatorName: string): Browser | null {
  if (/firefox|gecko/i.test(creatorName)) return 'firefox';
  if (/webinspector|chrom|edge|opera|brave|electron/i.test(creatorName)) return 'chromium';
  return null;
}

/**
 * Chrome saves only the page's own request headers for a request that never got a response
 * (DevTools: "Provisional headers are shown"): nothing the network stack adds, not even Host.
 */
export function hasProvisionalHeaders(e: RawEntry): boolean {
  if (e.status > 0 || e.requestHeaders.length === 0) return false;
  return !['host', ':authority', 'origin', 'sec-fetch-mode'].some((name) => getHeader(e.requestHeaders, name) !== null);
}

export function isRedirect(e: RawEntry): boolean {
  return e.status >= 300 && e.status <= 399 && e.status !== 304 && locationOf(e) !== null;
}

export function locationOf(e: RawEntry): string | null {
  const raw = e.redirectURL || getHeader(e.responseHeaders, 'location') || '';
  return raw === '' ? null : resolveUrl(raw, e.url);
}

/** Reads a HAR already parsed from JSON. */
export function readHar(data: unknown, options: { browser?: Browser } = {}): HarReadResult {
  const root = asObject(data);
  const log = root === null ? null : asObject(root.log);
  if (log === null) throw new LogFormatError('Not a HAR log: there is no "log" object at the top level.');
  if (!Array.isArray(log.entries)) throw new LogFormatError('Not a HAR log: "log.entries" is missing or is not a list.');
  const warnings: string[] = [];
  const version = asString(log.version);
  if (version !== '' && version !== '1.2' && version !== '1.1') warnings.push(`HAR version ${version}: read as 1.2.`);
  const creatorObj = asObject(log.creator);
  const creator = { name: asString(creatorObj?.name), version: asString(creatorObj?.version) };
  // Chrome and Origin Lens also name the browser in log.browser.
  const guessed = guessBrowser(creator.name) ?? guessBrowser(asString(asObject(log.browser)?.name));
  const browser: Browser = options.browser ?? guessed ?? 'chromium';
  if (options.browser === undefined && guessed === null) {
    warnings.push(`Could not tell the browser from the HAR creator "${creator.name || 'unknown'}": Chromium's rules are applied (use --browser).`);
  }

  const pages = new Map<string, string>();
  for (const p of asList(log.pages)) {
    const page = asObject(p);
    if (page !== null && typeof page.id === 'string') pages.set(page.id, asString(page.title));
  }
  // Pages are documents the browser loaded: a recorder that names no browser and knows no page
  // saw only the wire (mitmproxy, Charles, Fiddler, a corporate proxy).
  const onTheWire = guessed === null && pages.size === 0;
  if (onTheWire) warnings.push('Recorded on the wire (no browser, no pages): request modes are guessed from the request headers, and the log cannot show what the browser did with a response.');

  const raws: RawEntry[] = [];
  log.entries.forEach((value: unknown, index: number) => {
    const e = asObject(value);
    const req = e === null ? null : asObject(e.request);
    const res = e === null ? null : asObject(e.response);
    if (e === null || req === null || typeof req.url !== 'string') {
      warnings.push(`Entry ${index + 1} has no request URL: skipped.`);
      return;
    }
    const url = req.url;
    const method = asString(req.method) || 'GET';
    const requestHeaders = headersOf(req.headers);
    const started = typeof e.startedDateTime === 'string' ? e.startedDateTime : null;
    const startedMs = started === null ? NaN : Date.parse(started);
    const initiator = asObject(e._initiator);
    const responseHeaders = headersOf(res?.headers);
    const type = typeOf(e, url, requestHeaders, responseHeaders);
    const savedCookies = asObject(e._originLens)?.cookies;
    const cookiesProblem = savedCookies === undefined ? null : cookieVerdictProblem(savedCookies);
    if (cookiesProblem !== null) warnings.push(`Entry ${index + 1}: _originLens.cookies${cookiesProblem.field === '' ? '' : `.${cookiesProblem.field}`} ${cookiesProblem.what}: ignored.`);
    raws.push({
      index,
      method,
      url,
      requestHeaders,
      status: typeof res?.status === 'number' && Number.isFinite(res.status) ? res.status : 0,
      responseHeaders,
      redirectURL: asString(res?.redirectURL),
      // Chrome writes _error; Playwright's HAR recorder writes _failureText on the response.
      error: asString(res?._error) || asString(e._error) || asString(res?._failureText) || null,
      started,
      startedMs: Number.isFinite(startedMs) ? startedMs : index,
      time: typeof e.time === 'number' && Number.isFinite(e.time) ? e.time : null,
      type,
      pageref: typeof e.pageref === 'string' ? e.pageref : null,
      serverIP: typeof e.serverIPAddress === 'string' && e.serverIPAddress !== '' ? e.serverIPAddress : null,
      initiatorUrl: initiator !== null && typeof initiator.url === 'string' ? initiator.url : null,
      preflight:
        type === 'preflight' ||
        (method.toUpperCase() === 'OPTIONS' && getHeader(requestHeaders, 'access-control-request-method') !== null),
      cookies: savedCookies === undefined || cookiesProblem !== null ? null : (savedCookies as CookieVerdict),
    });
  });

  // Chain redirect hops: a 3xx entry continues in the next unclaimed entry for its Location.
  const order = [...raws].sort((a, b) => a.startedMs - b.startedMs || a.index - b.index);
  const claimed = new Set<RawEntry>();
  const next = new Map<RawEntry, RawEntry>();
  for (let i = 0; i < order.length; i++) {
    const e = order[i] as RawEntry;
    if (e.preflight || !isRedirect(e)) continue;
    const loc = locationOf(e);
    for (let j = i + 1; j < order.length; j++) {
      const n = order[j] as RawEntry;
      if (!claimed.has(n) && !n.preflight && n.url === loc && n.pageref === e.pageref) {
        claimed.add(n);
        next.set(e, n);
        break;
      }
    }
  }
  const heads = order.filter((e) => !claimed.has(e) && !e.preflight);
  const preflightsVisible = order.some((e) => e.preflight);

  // Pair each preflight with the first request for the same URL and method that starts after it,
  // or up to a second before it: extension-made HARs (ours) time a request from when the browser
  // announced it, which is before its preflight went out.
  const pairedPreflight = new Map<RawEntry, RawEntry>();
  const unpaired: RawEntry[] = [];
  for (const p of order) {
    if (!p.preflight) continue;
    const method = getHeader(p.requestHeaders, 'access-control-request-method') ?? '';
    const match = heads.find(
      (h) =>
        !pairedPreflight.has(h) &&
        h.url === p.url &&
        h.method === method &&
        h.pageref === p.pageref &&
        h.startedMs >= p.startedMs - 1000 &&
        h.startedMs - p.startedMs <= 60_000,
    );
    if (match === undefined) unpaired.push(p);
    else pairedPreflight.set(match, p);
  }

  const requests: HarRequest[] = [];
  const pageUrlOf = (e: RawEntry) => (e.pageref === null ? null : (pages.get(e.pageref) ?? null));
  for (const head of heads) {
    const hops: RawEntry[] = [head];
    for (let n = next.get(head); n !== undefined && hops.length <= 25; n = next.get(n)) hops.push(n);
    const pageUrl = pageUrlOf(head);
    requests.push({ id: `e${head.index + 1}`, hops, preflight: pairedPreflight.get(head) ?? null, initiatorOrigin: initiatorOf(head, pageUrl), pageUrl });
  }
  // A preflight whose request is not in the log (Firefox drops the blocked request, or the
  // log was cut): keep it as the request it announced, so its failure still gets a verdict.
  for (const p of unpaired) {
    const method = getHeader(p.requestHeaders, 'access-control-request-method') ?? 'GET';
    warnings.push(`Preflight ${p.index + 1} (${method} ${p.url}) has no matching request in the log.`);
    const announced: RawEntry = {
      ...p,
      method,
      type: 'xmlhttprequest',
      requestHeaders: p.requestHeaders.filter((h) => h.name.toLowerCase() === 'origin'),
      status: 0,
      responseHeaders: [],
      redirectURL: '',
      error: null,
      preflight: false,
    };
    const pageUrl = pageUrlOf(p);
    requests.push({ id: `e${p.index + 1}`, hops: [announced], preflight: p, initiatorOrigin: initiatorOf(p, pageUrl), pageUrl });
  }
  const firstIndex = (r: HarRequest) => Math.min(r.preflight?.index ?? Infinity, ...r.hops.map((h) => h.index));
  requests.sort((a, b) => firstIndex(a) - firstIndex(b));
  return { requests, preflightsVisible, warnings, creator, browser, recordedBy: guessed ?? (onTheWire ? null : browser), browserGuessed: options.browser === undefined };
}

/**
 * The request's origin: its Origin header (the real one, first hop), else the page's origin,
 * else Chrome's _initiator URL. Frames inside the page may have other origins: the Origin
 * header is the reliable source and is present on every cross-origin CORS request.
 */
function initiatorOf(e: RawEntry, pageUrl: string | null): string | null {
  const header = getHeader(e.requestHeaders, 'origin');
  if (header !== null && header !== '') return header;
  if (resourceKind(e.type) === 'document') return null;
  // Browsers send at least the referrer's origin cross-origin by default (strict-origin-when-cross-origin).
  for (const candidate of [e.initiatorUrl, getHeader(e.requestHeaders, 'referer'), pageUrl]) {
    const parsed = candidate === null ? null : parseUrl(candidate);
    if (parsed !== null && parsed.origin !== 'null') return parsed.origin;
  }
  return null;
}
