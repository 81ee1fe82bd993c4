import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressSpaceOfHost, isPotentiallyTrustworthy, originOf, parseOrigin, parseUrl, registrableDomain, resolveUrl, sameSite } from '../../../../src/core/net/origin';

describe('origins', () => {
  it.each([
    ['https://App.Lab.Test:443/x?y#z', 'https://app.lab.test'],
    ['http://app.lab.test:8080', 'http://app.lab.test:8080'],
    ['HTTP://[::1]:80/', 'http://[::1]'],
    ['http://127.1/', 'http://127.0.0.1'],
    ['http://0x7f.0.0.1/', 'http://127.0.0.1'],
    ['https:\\\\app.lab.test\\p', 'https://app.lab.test'],
    ['  https://app.lab.test/\t ', 'https://app.lab.test'],
    ['wss://ws.test/s', 'wss://ws.test'],
    ['blob:https://app.lab.test/uuid', 'https://app.lab.test'],
    ['data:text/plain,hi', 'null'],
    ['file:///etc/hosts', 'null'],
    ['about:blank', 'null'],
    ['chrome-extension://abc/page.html', 'chrome-extension://abc'],
    ['not a url', 'null'],
    ['http://a b/', 'null'],
    ['http://x:99999/', 'null'],
  ])('originOf(%s) = %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });

  it('parses only exact serialized origins', () => {
    expect(parseOrigin('https://app.lab.test')).toEqual({ scheme: 'https', host: 'app.lab.test', port: null });
    expect(parseOrigin('https://app.lab.test/')).toBeNull();
    expect(parseOrigin('https://app.lab.test:443')).toBeNull();
    expect(parseOrigin('null')).toBeNull();
  });

  it('spots credentials in URLs', () => {
    expect(parseUrl('https://u:p@x.test/')?.hasCredentials).toBe(true);
    expect(parseUrl('https://x.test/@')?.hasCredentials).toBe(false);
  });

  it('resolves Location values', () => {
    expect(resolveUrl('/login', 'https://a.test/x/y')).toBe('https://a.test/login');
    expect(resolveUrl('z', 'https://a.test/x/y?q')).toBe('https://a.test/x/z');
    expect(resolveUrl('//b.test/p', 'https://a.test/')).toBe('https://b.test/p');
    expect(resolveUrl('https://c.test/', 'https://a.test/')).toBe('https://c.test/');
  });

  it('compares same-site (registrable domain via the public suffix list)', () => {
    expect(sameSite('https://app.example.co.uk', 'https://api.example.co.uk')).toBe(true);
    expect(sameSite('https://a.github.io', 'https://b.github.io')).toBe(false);
    expect(sameSite('http://app.example.com', 'https://app.example.com')).toBe(false);
    expect(registrableDomain('x.y.example.com')).toBe('example.com');
  });

  it('knows secure contexts and address spaces', () => {
    expect(isPotentiallyTrustworthy('https://a.test')).toBe(true);
    expect(isPotentiallyTrustworthy('http://localhost:3000')).toBe(true);
    expect(isPotentiallyTrustworthy('http://a.test')).toBe(false);
    expect(addressSpaceOfHost('192.168.0.1')).toBe('local');
    expect(addressSpaceOfHost('127.0.0.1')).toBe('loopback');
    expect(addressSpaceOfHost('[::1]')).toBe('loopback');
    expect(addressSpaceOfHost('printer.local')).toBe('local');
    expect(addressSpaceOfHost('8.8.8.8')).toBe('public');
    expect(addressSpaceOfHost('example.com')).toBeNull();
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void originOf(s)), { numRuns: 300 });
  });
});
