import { describe, expect, it } from 'vitest';
import { MAX_NAME_VALUE_BYTES, parseSetCookie } from '../../../../src/core/cookies/set-cookie';

const NOW = Date.UTC(2026, 10, 28);

describe('parseSetCookie', () => {
  it('reads the attributes browsers act on, case-insensitively', () => {
    const r = parseSetCookie('sid=abc; Path=/api; Domain=.Lab.Test; Secure; HttpOnly; SameSite=none; Partitioned', NOW);
    expect(r).toEqual({
      ok: true,
      cookie: { name: 'sid', size: 6, domain: 'lab.test', path: '/api', secure: true, httpOnly: true, sameSite: 'none', sameSiteInvalid: false, partitioned: true, deletes: false },
    });
  });

  it('treats a missing or unknown SameSite as unspecified, and says when the value was invalid', () => {
    const none = parseSetCookie('a=1', NOW);
    const bad = parseSetCookie('a=1; SameSite=Loose', NOW);
    expect(none.ok && none.cookie.sameSite).toBe('unspecified');
    expect(none.ok && none.cookie.sameSiteInvalid).toBe(false);
    expect(bad.ok && bad.cookie.sameSite).toBe('unspecified');
    expect(bad.ok && bad.cookie.sameSiteInvalid).toBe(true);
  });

  it('gives a line that stores nothing its own reason', () => {
    expect(parseSetCookie('', NOW)).toEqual({ ok: false, name: '', reason: 'NoCookieContent' });
    expect(parseSetCookie('  =  ; Secure', NOW)).toEqual({ ok: false, name: '', reason: 'NoCookieContent' });
    expect(parseSetCookie('a=b\u0001c', NOW)).toEqual({ ok: false, name: 'a', reason: 'DisallowedCharacter' });
    expect(parseSetCookie(`big=${'x'.repeat(MAX_NAME_VALUE_BYTES)}`, NOW)).toEqual({ ok: false, name: 'big', reason: 'NameValuePairExceedsMaxSize' });
  });

  it('reads a pair without "=" as a value with an empty name, as browsers do', () => {
    const r = parseSetCookie('lonely; Path=/', NOW);
    expect(r.ok && r.cookie.name).toBe('');
  });

  it('knows a deleting line by Max-Age or a past Expires, Max-Age first', () => {
    const del = (line: string) => {
      const r = parseSetCookie(line, NOW);
      return r.ok && r.cookie.deletes;
    };
    expect(del('a=1; Max-Age=0')).toBe(true);
    expect(del('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
    expect(del('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60')).toBe(false);
    expect(del('a=1; Max-Age=soon')).toBe(false);
  });

  it('ignores a Path that does not start with a slash and an empty Domain', () => {
    const r = parseSetCookie('a=1; Path=api; Domain=', NOW);
    expect(r.ok && [r.cookie.path, r.cookie.domain]).toEqual([null, null]);
  });
});
