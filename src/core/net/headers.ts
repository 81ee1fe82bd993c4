// Header lists as browsers report them (webRequest, HAR): order and duplicates kept, names
// in whatever case the source used. Every helper here tolerates malformed entries, because
// lists come straight from HAR files and other untrusted input.
import { asList } from '../guards';

export interface Header {
  name: string;
  value: string;
}

export type HeaderList = Header[];

/** Lowercased name of an entry, or '' when the entry is not a usable header. */
function nameOf(h: unknown): string {
  if (typeof h !== 'object' || h === null) return '';
  const n = (h as { name?: unknown }).name;
  return typeof n === 'string' ? n : '';
}

function valueOf(h: Header): string {
  const v = (h as { value?: unknown }).value;
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** ASCII case-insensitive name match; `lower` must already be lowercase. Allocation-free (hot path). */
function sameName(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  if (name === lower) return true;
  for (let i = 0; i < name.length; i++) {
    const a = name.charCodeAt(i);
    const b = lower.charCodeAt(i);
    if (a !== b && !(a >= 0x41 && a <= 0x5a && a + 0x20 === b)) return false;
  }
  return true;
}

/** Every value of the header `name` (case-insensitive), in order, trimmed of HTTP whitespace. */
export function getAll(list: HeaderList | null | undefined, name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const h of asList<Header>(list)) {
    if (sameName(nameOf(h), lower)) out.push(trimOws(valueOf(h)));
  }
  return out;
}

/**
 * The header's combined value, as Fetch's "get" and Chromium's HttpResponseHeaders give it:
 * every line's value joined with ", "; null when absent.
 */
export function getHeader(list: HeaderList | null | undefined, name: string): string | null {
  if (!Array.isArray(list)) return null;
  const lower = toLowerAscii(name);
  let out: string | null = null;
  // Indexed loop and inline checks: this is the verdict engine's hottest helper.
  for (let i = 0; i < list.length; i++) {
    const h = list[i] as Header;
    if (typeof h !== 'object' || h === null) continue;
    const n = h.name;
    if (typeof n !== 'string' || !sameName(n, lower)) continue;
    const v = trimOws(valueOf(h));
    out = out === null ? v : `${out}, ${v}`;
  }
  return out;
}

/** Lowercases only when needed: callers mostly pass lowercase literals. */
function toLowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.toLowerCase();
  }
  return s;
}

export function hasHeader(list: HeaderList | null | undefined, name: string): boolean {
  const lower = toLowerAscii(name);
  for (const h of asList<Header>(list)) if (sameName(nameOf(h), lower)) return true;
  return false;
}

/** Number of lines carrying the header (Firefox rejects more than one ACAO line). */
export function countHeader(list: HeaderList | null | undefined, name: string): number {
  const lower = name.toLowerCase();
  let n = 0;
  for (const h of asList<Header>(list)) if (sameName(nameOf(h), lower)) n++;
  return n;
}

const lowerNames = new Map<string, string>();

/**
 * A header name lowercased, memoized: names come from a small vocabulary and the verdict
 * engine lowercases every header of every request, so this saves an allocation per header.
 */
export function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size >= 4096) lowerNames.clear();
    lowerNames.set(name, lower);
  }
  return lower;
}

/** Distinct lowercased header names in first-seen order. */
export function headerNames(list: HeaderList | null | undefined): string[] {
  const seen = new Set<string>();
  for (const h of asList<Header>(list)) {
    const n = nameOf(h);
    if (n !== '') seen.add(lowerName(n));
  }
  return [...seen];
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Strip leading and trailing HTTP whitespace (space, tab, CR, LF). */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isOws(s.charCodeAt(a))) a++;
  while (b > a && isOws(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

// RFC 9110 tchar: "!#$%&'*+-.^_`|~", digits, letters.
const TCHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

/** True when `s` is a non-empty HTTP token (method, header name). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/**
 * Parses a comma-separated token list (Access-Control-Allow-Methods / -Headers /
 * -Expose-Headers, Access-Control-Request-Headers): items trimmed, empty items skipped (as
 * both Chromium and Firefox do). Returns null when an item is not a token; `invalid` then
 * names it, because the verdict quotes it as the failing parameter.
 */
export function parseTokenList(value: string | null): { tokens: string[]; invalid: string | null } {
  const tokens: string[] = [];
  if (value === null || value === '') return { tokens, invalid: null };
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    const item = trimOws(value.slice(start, end));
    if (item !== '') {
      if (!isToken(item)) return { tokens, invalid: item };
      tokens.push(item);
    }
    if (comma === -1) break;
    start = comma + 1;
  }
  return { tokens, invalid: null };
}

/** Lowercased header-name list (ACAH, ACEH, ACRH, Vary); malformed items are dropped. */
export function parseNameList(value: string | null): string[] {
  if (value === null || value === '') return [];
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    const item = trimOws(value.slice(start, end));
    if (item !== '' && isToken(item)) out.push(item.toLowerCase());
    if (comma === -1) break;
    start = comma + 1;
  }
  return out;
}

/** Vary's field names, lowercased; '*' kept as is. */
export function parseVary(list: HeaderList | null | undefined): string[] {
  return parseNameList(getHeader(list, 'vary'));
}
