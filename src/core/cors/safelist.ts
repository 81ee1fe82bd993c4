// Which requests need a preflight and which response headers a page may read: the Fetch
// standard's CORS-safelisted method / request-header / response-header rules, with the
// additions Chromium makes (client hints), and the headers browsers add on their own.
import type { Browser } from '../browser';
import type { HeaderList } from '../net/headers';
import { lowerName, parseNameList } from '../net/headers';

/** GET, HEAD, POST (case-insensitive, as both engines compare when deciding on a preflight). */
export function isSafelistedMethod(method: string): boolean {
  const m = method.length <= 4 ? method.toUpperCase() : '';
  return m === 'GET' || m === 'HEAD' || m === 'POST';
}

// CORS-unsafe request-header byte (Fetch): controls except tab, and "():<>?@[\]{} and DEL.
const UNSAFE_BYTE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) if (c !== 0x09) UNSAFE_BYTE[c] = 1;
for (const ch of '"():<>?@[\\]{}') UNSAFE_BYTE[ch.charCodeAt(0)] = 1;
UNSAFE_BYTE[0x7f] = 1;

function hasUnsafeByte(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 128 && UNSAFE_BYTE[c] === 1) return true;
  }
  return false;
}

/** accept-language / content-language: 0-9 A-Z a-z space * , - . ; = only. */
function isLanguageValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x20 || c === 0x2a || c === 0x2c || c === 0x2d || c === 0x2e || c === 0x3b || c === 0x3d;
    if (!ok) return false;
  }
  return true;
}

const SAFE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** The essence ("type/subtype", lowercased) of a MIME type, or null when it does not parse. */
function mimeEssence(value: string): string | null {
  const semi = value.indexOf(';');
  const essence = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash <= 0 || slash === essence.length - 1 || essence.indexOf('/', slash + 1) !== -1) return null;
  if (/[\s"(),:;<=>?@[\\\]{}]/.test(essence)) return null;
  return essence;
}

/** A simple range: exactly "bytes=N-" or "bytes=N-M" with N <= M (no suffix, no list). */
function isSimpleRange(v: string): boolean {
  const m = /^bytes=(\d+)-(\d*)$/.exec(v);
  if (m === null) return false;
  return m[2] === '' || Number(m[1]) <= Number(m[2]);
}

const DOUBLE_RE = /^\d+(\.\d+)?$/;
const INT_RE = /^\d+$/;
const ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);

/** Chromium's extra safelisted names (client hints, Intervention) with its value rules. */
function chromiumExtraSafelisted(name: string, value: string): boolean | null {
  switch (name) {
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return DOUBLE_RE.test(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return INT_RE.test(value);
    case 'ect':
      return ECT_VALUES.has(value);
    case 'save-data':
      return value.toLowerCase() === 'on';
    case 'intervention':
      return true;
    default:
      return name.startsWith('sec-ch-') ? true : null;
  }
}

/** Byte length of a header value as sent (UTF-8 for anything beyond Latin-1 input). */
function byteLength(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0x7f) n++;
  return n;
}

/** Fetch's "CORS-safelisted request-header" (name, value), per browser. */
export function isSafelistedRequestHeader(name: string, value: string, browser: Browser): boolean {
  return safelistedLower(lowerName(name), value, byteLength(value), browser);
}

/** isSafelistedRequestHeader for a lowercased name whose value's byte length is known (unsafeHeaderNames has both). */
function safelistedLower(n: string, value: string, bytes: number, browser: Browser): boolean {
  if (bytes > 128) return false;
  switch (n) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type': {
      if (hasUnsafeByte(value)) return false;
      const essence = mimeEssence(value);
      return essence !== null && SAFE_CONTENT_TYPES.has(essence);
    }
    case 'range':
      return isSimpleRange(value);
    default:
      return browser === 'chromium' ? chromiumExtraSafelisted(n, value) === true : false;
  }
}

// Forbidden request-header names (Fetch) and others that browsers, not page scripts, add: a
// page cannot set them, so they never make a request "unsafe". Pragma/Cache-Control come from
// DevTools' "Disable cache" and If-* from cache revalidation; a script *could* set those, so
// this is the one guess here, documented in docs/verdicts.md.
const BROWSER_ADDED = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
  'user-agent', 'priority', 'upgrade-insecure-requests', 'x-client-data', 'pragma', 'cache-control',
  'if-none-match', 'if-modified-since', 'purpose', 'sec-purpose',
]);

/** True for request headers (lowercased) a browser adds itself: never "unsafe" author headers. */
function browserAddedLower(n: string): boolean {
  return BROWSER_ADDED.has(n) || n.startsWith('sec-') || n.startsWith('proxy-') || n.charCodeAt(0) === 0x3a;
}

/**
 * Fetch's "CORS-unsafe request-header names": author headers that are not safelisted, plus
 * every safelisted one when their values total more than 1024 bytes; sorted, lowercased,
 * unique (the Access-Control-Request-Headers value). Browser-added headers are skipped.
 */
export function unsafeHeaderNames(headers: HeaderList, browser: Browser): string[] {
  // Arrays, not Sets: request header lists are short, and most requests have no unsafe header.
  const unsafe: string[] = [];
  const safelisted: string[] = [];
  let total = 0;
  for (const h of Array.isArray(headers) ? headers : []) {
    if (typeof h !== 'object' || h === null || typeof h.name !== 'string' || h.name === '') continue;
    const n = lowerName(h.name);
    if (browserAddedLower(n)) continue;
    const value = typeof h.value === 'string' ? h.value : '';
    const bytes = byteLength(value);
    if (safelistedLower(n, value, bytes, browser)) {
      safelisted.push(n);
      total += bytes;
    } else if (!unsafe.includes(n)) {
      unsafe.push(n);
    }
  }
  if (total > 1024) for (const n of safelisted) if (!unsafe.includes(n)) unsafe.push(n);
  return unsafe.length < 2 ? unsafe : unsafe.sort();
}

/** CORS-safelisted response-header names (readable without Access-Control-Expose-Headers). */
const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
]);

const NONE: readonly string[] = [];

/**
 * Splits a CORS response's header names into those the page can read and those hidden
 * from it: safelisted names plus Access-Control-Expose-Headers (`*` only without
 * credentials); Set-Cookie never.
 */
export function exposedResponseHeaders(
  headers: HeaderList,
  exposeHeaders: string | null,
  credentialed: boolean,
): { exposed: string[]; hidden: string[] } {
  const listed = exposeHeaders === null ? NONE : parseNameList(exposeHeaders);
  const wildcard = !credentialed && listed.includes('*');
  const exposed: string[] = [];
  const hidden: string[] = [];
  for (const h of Array.isArray(headers) ? headers : []) {
    if (typeof h !== 'object' || h === null || typeof h.name !== 'string' || h.name === '') continue;
    const n = lowerName(h.name);
    // Header lists are short: linear duplicate checks beat allocating a Set here.
    if (exposed.includes(n) || hidden.includes(n)) continue;
    const forbidden = n === 'set-cookie' || n === 'set-cookie2';
    if (!forbidden && (wildcard || SAFELISTED_RESPONSE_HEADERS.has(n) || listed.includes(n))) exposed.push(n);
    else hidden.push(n);
  }
  return { exposed, hidden };
}
