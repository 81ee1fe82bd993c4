// Origins without the URL API (src/core runs with lib ES2022 only, and a hand-written parser
// is several times faster than `new URL` in the verdict's hot path). Inputs are mostly URLs
// already serialized by a browser; the parser still follows the WHATWG rules that decide an
// origin (scheme and host case, default ports, IPv4 forms, backslashes, userinfo) and returns
// null instead of throwing on anything it cannot read. Limits: non-ASCII hosts are only
// lowercased (no IDNA), percent-encoded hosts are not decoded.
import { getDomain } from 'tldts';
import type { Browser } from '../browser';

/** A tuple origin; opaque origins are represented by null and serialize as "null". */
export interface Origin {
  scheme: string;
  host: string;
  /** null for the scheme's default port. */
  port: number | null;
}

export interface ParsedUrl {
  scheme: string;
  /** Lowercased host ('' for schemes without one); IPv6 hosts keep their brackets. */
  host: string;
  port: number | null;
  /** True when the URL carries user:pass@ (Fetch refuses such redirect targets). */
  hasCredentials: boolean;
  /** Path, query and fragment as written, "/" when empty for special schemes. */
  rest: string;
  /** The serialized origin: "scheme://host[:port]" or "null" when opaque. */
  origin: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 };
const SPECIAL = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'file']);
// Browsers give these non-special schemes a tuple origin (extension pages).
const EXTENSION_SCHEMES = new Set(['chrome-extension', 'moz-extension', 'safari-web-extension']);
// Forbidden host code points (WHATWG URL) and controls, as a lookup table: this runs per char.
const FORBIDDEN_HOST = new Uint8Array(128);
for (let c = 0; c <= 0x20; c++) FORBIDDEN_HOST[c] = 1;
for (const ch of ' #%/:<>?@[\\]^|') FORBIDDEN_HOST[ch.charCodeAt(0)] = 1;
FORBIDDEN_HOST[0x7f] = 1;

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isSchemeChar(c: number): boolean {
  return isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** WHATWG: drop leading/trailing C0 controls and spaces, and every tab or newline. */
function clean(input: string): string {
  let a = 0;
  let b = input.length;
  while (a < b && input.charCodeAt(a) <= 0x20) a++;
  while (b > a && input.charCodeAt(b - 1) <= 0x20) b--;
  let s = a === 0 && b === input.length ? input : input.slice(a, b);
  if (s.indexOf('\t') !== -1 || s.indexOf('\n') !== -1 || s.indexOf('\r') !== -1) s = s.replace(/[\t\n\r]/g, '');
  return s;
}

/** WHATWG IPv4 number: decimal, 0x hex or 0-prefixed octal; NaN when invalid. */
function ipv4Number(part: string): number {
  if (part === '') return NaN;
  let radix = 10;
  let s = part;
  if (s.length >= 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X')) {
    radix = 16;
    s = s.slice(2);
  } else if (s.length >= 2 && s[0] === '0') {
    radix = 8;
    s = s.slice(1);
  }
  if (s === '') return 0;
  const re = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return re.test(s) ? parseInt(s, radix) : NaN;
}

/**
 * Normalizes a host whose last label is numeric the way browsers do ("127.1" -> "127.0.0.1");
 * returns null when it is such a host but not a valid IPv4 address, and the host unchanged
 * when it is an ordinary domain.
 */
function normalizeIpv4(host: string): string | null {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const last = parts[parts.length - 1] ?? '';
  if (!/^(0x[0-9a-f]*|[0-9]+)$/i.test(last)) return host;
  if (parts.length > 4) return null;
  const nums = parts.map(ipv4Number);
  if (nums.some((n) => Number.isNaN(n))) return null;
  const lastNum = nums.pop() as number;
  if (nums.some((n) => n > 255) || lastNum >= 256 ** (4 - nums.length)) return null;
  let ip = lastNum;
  nums.forEach((n, i) => (ip += n * 256 ** (3 - i)));
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

function parseHost(raw: string): string | null {
  if (raw === '') return null;
  if (raw.charCodeAt(0) === 0x5b) {
    // IPv6: kept as written (lowercased); browsers hand us the compressed form already.
    return raw.charCodeAt(raw.length - 1) === 0x5d && /^\[[0-9a-f:.]+\]$/i.test(raw) ? raw.toLowerCase() : null;
  }
  let ascii = true;
  let upper = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80) ascii = false;
    else if (FORBIDDEN_HOST[c] === 1) return null;
    else if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  const lower = upper || !ascii ? raw.toLowerCase() : raw;
  if (!ascii) return lower;
  const c = lower.charCodeAt(lower.length - 1);
  const mayBeIp = (c >= 0x30 && c <= 0x39) || c === 0x2e || lower.includes('.0x') || lower.startsWith('0x');
  return mayBeIp ? normalizeIpv4(lower) : lower;
}

function parsePort(raw: string, scheme: string): number | null | undefined {
  if (raw === '') return null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = parseInt(raw, 10);
  if (n > 65535) return undefined;
  return DEFAULT_PORTS[scheme] === n ? null : n;
}

function isSlash(c: number, special: boolean): boolean {
  return c === 0x2f || (special && c === 0x5c);
}

function serialize(scheme: string, host: string, port: number | null): string {
  return port === null ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
}

/** Parses an absolute URL; null when it is not one. Never throws. */
export function parseUrl(input: unknown): ParsedUrl | null {
  if (typeof input !== 'string') return null;
  const s = clean(input);
  let scheme: string;
  let i: number;
  // Fast path for the usual lowercase http(s) URL: no scheme scan, no slice.
  if (s.startsWith('https:')) {
    scheme = 'https';
    i = 5;
  } else if (s.startsWith('http:')) {
    scheme = 'http';
    i = 4;
  } else {
    i = 0;
    if (s.length === 0 || !isAlpha(s.charCodeAt(0))) return null;
    while (i < s.length && isSchemeChar(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 0x3a) return null;
    scheme = s.slice(0, i).toLowerCase();
  }
  const after = i + 1;
  if (scheme === 'blob') {
    // A blob URL's origin is the origin of the URL it wraps.
    const inner = parseUrl(s.slice(after));
    const origin = inner && (inner.scheme === 'http' || inner.scheme === 'https') ? inner.origin : 'null';
    return { scheme, host: '', port: null, hasCredentials: false, rest: s.slice(after), origin };
  }
  const special = scheme === 'https' || scheme === 'http' || SPECIAL.has(scheme);
  let p = after;
  if (special) {
    while (p < s.length && isSlash(s.charCodeAt(p), special)) p++;
  } else if (s.charCodeAt(p) === 0x2f && s.charCodeAt(p + 1) === 0x2f) {
    p += 2;
  } else {
    // Opaque-path URL (data:, about:, javascript:, mailto:): opaque origin.
    return { scheme, host: '', port: null, hasCredentials: false, rest: s.slice(after), origin: 'null' };
  }
  let end = p;
  while (end < s.length) {
    const c = s.charCodeAt(end);
    if (isSlash(c, special) || c === 0x3f || c === 0x23) break;
    end++;
  }
  let authority = s.slice(p, end);
  const rest = s.slice(end) || (special ? '/' : '');
  let hasCredentials = false;
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    hasCredentials = at > 0;
    authority = authority.slice(at + 1);
  }
  if (scheme === 'file') {
    const host = authority === '' ? '' : parseHost(authority);
    if (host === null) return null;
    return { scheme, host, port: null, hasCredentials: false, rest, origin: 'null' };
  }
  let hostRaw = authority;
  let portRaw = '';
  const bracket = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > bracket) {
    hostRaw = authority.slice(0, colon);
    portRaw = authority.slice(colon + 1);
  }
  const host = parseHost(hostRaw);
  if (host === null) {
    if (special) return null;
    return { scheme, host: '', port: null, hasCredentials, rest, origin: 'null' };
  }
  const port = parsePort(portRaw, scheme);
  if (port === undefined) return null;
  const tuple = special || EXTENSION_SCHEMES.has(scheme);
  return { scheme, host, port, hasCredentials, rest, origin: tuple ? serialize(scheme, host, port) : 'null' };
}

/** Resolves `ref` (a Location value: absolute, scheme-relative, or relative) against `base`. */
export function resolveUrl(ref: string, base: string): string | null {
  const abs = parseUrl(ref);
  if (abs !== null) return clean(ref);
  const b = parseUrl(base);
  if (b === null || b.origin === 'null') return null;
  const r = clean(ref);
  if (r.startsWith('//') || r.startsWith('\\\\')) return parseUrl(`${b.scheme}:${r}`) ? `${b.scheme}:${r}` : null;
  const prefix = b.origin;
  if (r.startsWith('/') || r.startsWith('\\')) return prefix + r;
  if (r.startsWith('?') || r.startsWith('#')) return prefix + b.rest.replace(r[0] === '?' ? /[?#].*$/ : /#.*$/, '') + r;
  const dir = b.rest.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
  return prefix + (dir || '/') + r;
}

/** The serialized origin of a URL; "null" when it is opaque or unparsable. */
export function originOf(url: unknown): string {
  return parseUrl(url)?.origin ?? 'null';
}

/**
 * Parses a *serialized* origin strictly ("https://a.test:8443", no path, no trailing slash,
 * lowercase, no default port). Returns null for "null" and for anything that is not exactly
 * a serialized tuple origin.
 */
export function parseOrigin(serialized: string): Origin | null {
  return remembered(originCache, serialized, (s) => {
    const u = parseUrl(s);
    return u === null || u.origin === 'null' || u.origin !== s ? null : { scheme: u.scheme, host: u.host, port: u.port };
  });
}

/** Registrable domain (eTLD+1) of a host, or the host itself for IPs, localhost, single labels. */
export function registrableDomain(host: string): string {
  if (host === '' || host.startsWith('[')) return host;
  return remembered(domainCache, host, (h) => getDomain(h, { allowPrivateDomains: true }) ?? h);
}

const originCache = new Map<string, Origin | null>();
const domainCache = new Map<string, string>();

/**
 * `compute(key)`, remembered: a page uses a handful of origins and hosts over and over, and each
 * record asks for them several times (bounded; callers never mutate what they get).
 */
function remembered<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute(key);
  if (cache.size >= 4096) cache.clear();
  cache.set(key, value);
  return value;
}

/** Schemeful same-site, as browsers use for SameSite cookies and Sec-Fetch-Site. */
export function sameSite(a: string, b: string): boolean {
  const oa = parseOrigin(a);
  const ob = parseOrigin(b);
  if (oa === null || ob === null) return false;
  return oa.scheme === ob.scheme && registrableDomain(oa.host) === registrableDomain(ob.host);
}

/** Schemes whose cross-origin requests go through the CORS protocol. */
export function isCorsScheme(scheme: string, browser: Browser): boolean {
  if (scheme === 'http' || scheme === 'https') return true;
  return browser === 'chromium' ? scheme === 'chrome-extension' : scheme === 'moz-extension';
}

/** Schemes fetched locally with a "basic" response and no CORS check (data:, about:, blob:). */
export function isLocalScheme(scheme: string): boolean {
  return scheme === 'data' || scheme === 'about' || scheme === 'blob';
}

function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** Potentially trustworthy origin (secure context): https, wss, loopback, extension pages. */
export function isPotentiallyTrustworthy(serialized: string): boolean {
  const o = parseOrigin(serialized);
  if (o === null) return false;
  if (o.scheme === 'https' || o.scheme === 'wss' || EXTENSION_SCHEMES.has(o.scheme)) return true;
  return isLoopbackHost(o.host);
}

/** IP address spaces of Chromium's local-network-access checks. */
export type AddressSpace = 'loopback' | 'local' | 'public';

/** The address space of an IP literal (with or without brackets); null when not an IP. */
export function addressSpaceOfIp(ip: string): AddressSpace | null {
  const first = ip.charCodeAt(0);
  // Cheap exit for host names: IPs start with a digit, '[' or (bare IPv6) a hex digit or ':'.
  if (!((first >= 0x30 && first <= 0x39) || first === 0x5b || ip.includes(':'))) return null;
  const h = ip.startsWith('[') ? ip.slice(1, -1).toLowerCase() : ip.toLowerCase();
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) {
      return 'local';
    }
    if (a === 100 && b >= 64 && b <= 127) return 'local';
    if (a === 0) return 'local';
    return 'public';
  }
  if (!h.includes(':')) return null;
  if (h === '::1') return 'loopback';
  if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return 'local';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return addressSpaceOfIp(mapped[1] as string);
  return 'public';
}

/**
 * The address space a host name reveals by itself: IP literals, localhost names and `.local`
 * (mDNS) names. null when only DNS could tell.
 */
export function addressSpaceOfHost(host: string): AddressSpace | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.local')) return 'local';
  return addressSpaceOfIp(host);
}
