import { describe, expect, it } from 'vitest';
import { inferCredentials, inferMode, jsonpParameter, PreflightCache, preflightMaxAge, preflightNeed, resourceKind } from '../../../../src/core/cors/classify';
import { hs } from '../../../support/observations';

describe('request classification', () => {
  it('maps resource types of both browsers and HAR', () => {
    expect(resourceKind('xmlhttprequest')).toBe('xhr');
    expect(resourceKind('fetch')).toBe('xhr');
    expect(resourceKind('main_frame')).toBe('document');
    expect(resourceKind('Document')).toBe('document');
    expect(resourceKind('constructor')).toBe('other');
    expect(resourceKind(undefined)).toBe('other');
  });

  it('finds the callback parameter of a JSONP URL', () => {
    expect(jsonpParameter('https://x.test/a?callback=cb_1')).toBe('callback');
    expect(jsonpParameter('https://x.test/a?jsonp=jQuery123.done')).toBe('jsonp');
    expect(jsonpParameter('https://x.test/a?cb=1a')).toBeNull();
    expect(jsonpParameter('https://x.test/a?page=2')).toBeNull();
  });

  it('lets the hook win, then Sec-Fetch-Mode, then the resource type and Origin', () => {
    const base = { kind: 'xhr' as const, method: 'GET', requestHeaders: hs('Sec-Fetch-Mode: cors'), crossOrigin: true };
    expect(inferMode({ ...base, hook: { mode: 'no-cors' } })).toEqual({ mode: 'no-cors', source: 'hook' });
    expect(inferMode(base)).toEqual({ mode: 'cors', source: 'sec-fetch-mode' });
    expect(inferMode({ ...base, requestHeaders: hs() }).mode).toBe('no-cors');
    expect(inferMode({ ...base, requestHeaders: hs('Origin: https://a.test') }).mode).toBe('cors');
    expect(inferMode({ ...base, kind: 'other', method: 'PATCH', requestHeaders: hs() }).mode).toBe('cors');
    expect(inferMode({ ...base, kind: 'image', requestHeaders: hs() }).mode).toBe('no-cors');
    expect(inferMode({ ...base, kind: 'font', requestHeaders: hs() }).mode).toBe('cors');
  });

  it('infers credentials only from facts', () => {
    expect(inferCredentials('cors', 'xhr', hs()).credentials).toBe('unknown');
    expect(inferCredentials('cors', 'xhr', hs('Cookie: a=1'))).toEqual({ credentials: 'include', source: 'cookie-header' });
    expect(inferCredentials('cors', 'xhr', hs(), { withCredentials: false }).credentials).toBe('same-origin');
    expect(inferCredentials('cors', 'xhr', hs(), { credentials: 'omit' }).credentials).toBe('omit');
    expect(inferCredentials('navigate', 'document', hs()).credentials).toBe('include');
    expect(inferCredentials('cors', 'font', hs()).credentials).toBe('same-origin');
  });

  it('decides whether a preflight is needed', () => {
    expect(preflightNeed('GET', hs('Accept: */*'), 'chromium').required).toBe(false);
    expect(preflightNeed('PUT', hs(), 'chromium')).toMatchObject({ required: true, method: true });
    expect(preflightNeed('GET', hs('X-A: 1'), 'chromium').unsafeHeaders).toEqual(['x-a']);
    expect(preflightNeed('GET', hs(), 'chromium', { authorization: true }).unsafeHeaders).toEqual(['authorization']);
    expect(preflightNeed('GET', hs('Content-Type: application/json', 'X-B: 1'), 'chromium', { headerNames: ['content-type'] }).unsafeHeaders).toEqual(['content-type']);
    expect(preflightNeed('POST', hs(), 'firefox', { forcePreflight: true }).required).toBe(true);
  });

  it('parses Access-Control-Max-Age per browser', () => {
    expect(preflightMaxAge(null, 'chromium')).toBe(5);
    expect(preflightMaxAge('86400', 'chromium')).toBe(7200);
    expect(preflightMaxAge('86400', 'firefox')).toBe(86400);
    expect(preflightMaxAge('100000', 'firefox')).toBe(86400);
    expect(preflightMaxAge('abc', 'chromium')).toBe(5);
    expect(preflightMaxAge('abc', 'firefox')).toBe(0);
    expect(preflightMaxAge('-1', 'chromium')).toBe(0);
  });
});

describe('PreflightCache', () => {
  const O = 'https://app.lab.test';
  const U = 'https://api.lab.test/x';
  const q = { origin: O, url: U, credentials: false, method: 'PUT', unsafeHeaders: ['content-type'], time: 1000 };

  it('covers a request until max-age expires', () => {
    const c = new PreflightCache('chromium');
    c.record(O, U, false, hs('Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: Content-Type', 'Access-Control-Max-Age: 10'), 0);
    expect(c.covers(q)).toBe(true);
    expect(c.covers({ ...q, time: 10_001 })).toBe(false);
    expect(c.covers({ ...q, method: 'DELETE' })).toBe(false);
    expect(c.covers({ ...q, credentials: true })).toBe(false);
  });

  it('defaults to 5 s and caps by browser', () => {
    const c = new PreflightCache('chromium');
    c.record(O, U, false, hs('Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type'), 0);
    expect(c.covers({ ...q, time: 4_999 })).toBe(true);
    expect(c.covers({ ...q, time: 5_001 })).toBe(false);
    const f = new PreflightCache('firefox');
    f.record(O, U, false, hs('Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type', 'Access-Control-Max-Age: 86400'), 0);
    expect(f.covers({ ...q, time: 80_000_000 })).toBe(true);
  });

  it("honours '*' only without credentials; Chromium replaces entries, Firefox merges them", () => {
    const c = new PreflightCache('chromium');
    c.record(O, U, true, hs('Access-Control-Allow-Methods: *', 'Access-Control-Allow-Headers: *'), 0);
    expect(c.covers({ ...q, credentials: true })).toBe(false);
    const chromium = new PreflightCache('chromium');
    const firefox = new PreflightCache('firefox');
    for (const cache of [chromium, firefox]) {
      cache.record(O, U, false, hs('Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type'), 0);
      cache.record(O, U, false, hs('Access-Control-Allow-Methods: DELETE'), 10);
    }
    expect(chromium.covers(q)).toBe(false);
    expect(firefox.covers(q)).toBe(true);
  });

  it('stays bounded', () => {
    const c = new PreflightCache('chromium', 3);
    for (let i = 0; i < 10; i++) c.record(O, `${U}${i}`, false, hs(), 0);
    expect(c.size).toBe(3);
  });
});
