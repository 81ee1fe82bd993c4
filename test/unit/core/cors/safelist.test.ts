import { describe, expect, it } from 'vitest';
import { exposedResponseHeaders, isSafelistedMethod, isSafelistedRequestHeader, unsafeHeaderNames } from '../../../../src/core/cors/safelist';
import { hs } from '../../../support/observations';

describe('CORS-safelisted request headers', () => {
  it.each([
    ['accept', 'application/json', true],
    ['accept', 'text/html(x)', false],
    ['accept-language', 'en-US,en;q=0.9', true],
    ['accept-language', 'en_US', false],
    ['content-language', 'de-DE', true],
    ['content-type', 'text/plain;charset=UTF-8', true],
    ['content-type', 'multipart/form-data; boundary=x', true],
    ['content-type', 'application/x-www-form-urlencoded', true],
    ['content-type', 'application/json', false],
    ['content-type', 'text/plain; x="y"', false],
    ['range', 'bytes=0-', true],
    ['range', 'bytes=5-10', true],
    ['range', 'bytes=-10', false],
    ['range', 'bytes=0-1,3-4', false],
    ['range', 'bytes=10-5', false],
    ['x-custom', '1', false],
  ])('%s: %s -> %s', (name, value, safe) => {
    expect(isSafelistedRequestHeader(name, value, 'chromium')).toBe(safe);
  });

  it('rejects values over 128 bytes', () => {
    expect(isSafelistedRequestHeader('accept', 'a'.repeat(128), 'firefox')).toBe(true);
    expect(isSafelistedRequestHeader('accept', 'a'.repeat(129), 'firefox')).toBe(false);
    expect(isSafelistedRequestHeader('accept', 'é'.repeat(65), 'firefox')).toBe(false);
  });

  it('safelists Chromium client hints with their value rules, not in Firefox', () => {
    expect(isSafelistedRequestHeader('dpr', '2.5', 'chromium')).toBe(true);
    expect(isSafelistedRequestHeader('dpr', 'x', 'chromium')).toBe(false);
    expect(isSafelistedRequestHeader('save-data', 'on', 'chromium')).toBe(true);
    expect(isSafelistedRequestHeader('width', '100', 'firefox')).toBe(false);
  });

  it('treats browser-added headers as never unsafe', () => {
    for (const n of ['Origin', 'Cookie', 'User-Agent', 'Sec-Fetch-Mode', 'sec-ch-ua', 'Referer', ':authority', 'Accept-Encoding', 'Priority']) {
      expect(unsafeHeaderNames([{ name: n, value: 'x' }], 'firefox')).toEqual([]);
    }
    expect(unsafeHeaderNames(hs('Authorization: Bearer x'), 'firefox')).toEqual(['authorization']);
  });

  it('computes sorted, lowercased, unique unsafe names', () => {
    const names = unsafeHeaderNames(hs('X-B: 1', 'Content-Type: application/json', 'x-a: 2', 'X-A: 3', 'Accept: */*', 'Cookie: a', 'User-Agent: x'), 'chromium');
    expect(names).toEqual(['content-type', 'x-a', 'x-b']);
  });

  it('makes every safelisted header unsafe when their values exceed 1024 bytes in total', () => {
    const big = hs(...Array.from({ length: 9 }, (_, i) => `Accept-Language: ${'a'.repeat(120)}${i}`));
    expect(unsafeHeaderNames(hs('Accept: */*'), 'firefox')).toEqual([]);
    expect(unsafeHeaderNames(big, 'firefox')).toEqual(['accept-language']);
  });

  it('knows the safelisted methods', () => {
    expect(['GET', 'head', 'POST'].every(isSafelistedMethod)).toBe(true);
    expect(isSafelistedMethod('PUT')).toBe(false);
  });

  it('exposes safelisted response headers and ACEH names; * only without credentials; never Set-Cookie', () => {
    const headers = hs('Content-Type: a', 'X-A: 1', 'X-B: 2', 'Set-Cookie: s', 'Content-Type: b');
    expect(exposedResponseHeaders(headers, 'x-a, set-cookie', false)).toEqual({ exposed: ['content-type', 'x-a'], hidden: ['x-b', 'set-cookie'] });
    expect(exposedResponseHeaders(headers, '*', false).hidden).toEqual(['set-cookie']);
    expect(exposedResponseHeaders(headers, '*', true).exposed).toEqual(['content-type']);
  });
});
