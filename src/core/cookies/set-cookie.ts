// Parsing a Set-Cookie line the way browsers do (RFC 6265bis, "Parse a Set-Cookie string"):
// lenient on attributes, strict on what makes the whole line void. A line that stores nothing
// gets its own reason and costs no other line anything.
import type { HeaderList } from '../net/headers';
import { utf8Length } from '../page/preview';
import type { CookieReason } from './reasons';

export type SameSiteValue = 'strict' | 'lax' | 'none' | 'unspecified';

export interface SetCookie {
  name: string;
  /** Byte length of name and value together (the value itself is a secret, never kept here). */
  size: number;
  /** The Domain attribute, lowercased without its leading dot; null when absent. */
  domain: string | null;
  /** The Path attribute when it starts with "/"; null otherwise (the default path applies). */
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSiteValue;
  /** The SameSite attribute was present with a value neither Strict, Lax nor None. */
  sameSiteInvalid: boolean;
  partitioned: boolean;
  /** Max-Age <= 0 or an Expires in the past: the line deletes the cookie. */
  deletes: boolean;
}

export type ParsedSetCookie = { ok: true; cookie: SetCookie } | { ok: false; name: string; reason: CookieReason };

/** Name and value together may hold at most this many bytes (both engines). */
export const MAX_NAME_VALUE_BYTES = 4096;

// Control characters other than horizontal tab make browsers ignore the whole line.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function trimWsp(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** One Set-Cookie header line. `now` (ms) decides whether an Expires date lies in the past. */
function nameValue(line: string): { semi: number; name: string; value: string } {
  const semi = line.indexOf(';');
  const pair = semi < 0 ? line : line.slice(0, semi);
  const eq = pair.indexOf('=');
  // Without "=" the whole pair is the value of a cookie with an empty name.
  return { semi, name: eq < 0 ? '' : trimWsp(pair.slice(0, eq)), value: eq < 0 ? trimWsp(pair) : trimWsp(pair.slice(eq + 1)) };
}

/** The name of the cookie a Set-Cookie line sets. */
export function setCookieName(line: string): string {
  return nameValue(line).name;
}

export function parseSetCookie(line: string, now: number): ParsedSetCookie {
  const { semi, name, value } = nameValue(line);
  if (CONTROL.test(line)) return { ok: false, name, reason: 'DisallowedCharacter' };
  if (name === '' && value === '') return { ok: false, name, reason: 'NoCookieContent' };
  const size = utf8Length(name) + utf8Length(value);
  if (size > MAX_NAME_VALUE_BYTES) return { ok: false, name, reason: 'NameValuePairExceedsMaxSize' };

  const cookie: SetCookie = {
    name,
    size,
    domain: null,
    path: null,
    secure: false,
    httpOnly: false,
    sameSite: 'unspecified',
    sameSiteInvalid: false,
    partitioned: false,
    deletes: false,
  };
  let maxAge: number | null = null;
  let expires: number | null = null;
  for (const part of semi < 0 ? [] : line.slice(semi + 1).split(';')) {
    const at = part.indexOf('=');
    const key = trimWsp(at < 0 ? part : part.slice(0, at)).toLowerCase();
    const val = at < 0 ? '' : trimWsp(part.slice(at + 1));
    switch (key) {
      case 'domain':
        // The last Domain attribute wins; an empty one is ignored (6265bis 5.6.3).
        if (val !== '') cookie.domain = (val.startsWith('.') ? val.slice(1) : val).toLowerCase();
        break;
      case 'path':
        cookie.path = val.startsWith('/') ? val : null;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'partitioned':
        cookie.partitioned = true;
        break;
      case 'samesite': {
        const v = val.toLowerCase();
        if (v === 'strict' || v === 'lax' || v === 'none') {
          cookie.sameSite = v;
          cookie.sameSiteInvalid = false;
        } else {
          cookie.sameSite = 'unspecified';
          cookie.sameSiteInvalid = true;
        }
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(val)) maxAge = Number(val);
        break;
      case 'expires': {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
        break;
      }
      default:
        break;
    }
  }
  // Max-Age takes precedence over Expires.
  cookie.deletes = maxAge !== null ? maxAge <= 0 : expires !== null && expires <= now;
  return { ok: true, cookie };
}

/** The Set-Cookie lines of a response: Firefox's webRequest joins them into one header with newlines. */
export function setCookieLines(headers: HeaderList): string[] {
  const lines: string[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of h.value.split('\n')) if (line.trim() !== '') lines.push(line);
  }
  return lines;
}
