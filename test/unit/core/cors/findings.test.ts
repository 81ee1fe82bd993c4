import { describe, expect, it } from 'vitest';
import { computeFindings, type ObservedRequest } from '../../../../src/core/cors/findings';
import { computeVerdict, type CorsObservation } from '../../../../src/core/cors/verdict';
import { APP, hs, obs, preflight, resp } from '../../../support/observations';

let n = 0;
const req = (o: CorsObservation): ObservedRequest => ({ id: `r${++n}`, obs: o, verdict: computeVerdict(o) });
const from = (origin: string, ...lines: string[]) =>
  req(obs({ initiatorOrigin: origin, requestHeaders: hs(`Origin: ${origin}`, 'Cookie: s=1'), response: resp(200, ...lines) }));
const codes = (rs: ObservedRequest[]) => computeFindings(rs).map((f) => f.code);

describe('computeFindings', () => {
  it('reports an origin reflected with credentials once several origins were echoed', () => {
    const rs = ['https://app.lab.test', 'https://evil.test'].map((o) => from(o, `Access-Control-Allow-Origin: ${o}`, 'Access-Control-Allow-Credentials: true', 'Vary: Origin'));
    const f = computeFindings(rs).find((x) => x.code === 'reflected-origin-with-credentials');
    expect(f).toMatchObject({ severity: 'high', confidence: 'firm', subject: 'https://api.lab.test' });
    expect(f?.evidence).toEqual(rs.map((r) => r.id));
    expect(codes([rs[0] as ObservedRequest])).not.toContain('reflected-origin-with-credentials');
  });

  it('reports the null origin allowed', () => {
    expect(codes([from('null', 'Access-Control-Allow-Origin: null', 'Access-Control-Allow-Credentials: true')])).toContain('null-origin-allowed');
  });

  it('reports an http origin trusted by an https resource', () => {
    expect(codes([from('http://app.lab.test', 'Access-Control-Allow-Origin: http://app.lab.test', 'Vary: Origin')])).toContain('http-origin-trusted');
  });

  it('reports a dynamic ACAO without Vary: Origin', () => {
    const f = computeFindings([req(obs())]);
    expect(f.map((x) => x.code)).toEqual(['dynamic-acao-without-vary']);
    expect(f[0]?.confidence).toBe('tentative');
    expect(codes([req(obs({ response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Vary: Accept, Origin') }))])).toEqual([]);
  });

  it('reports ACAO * with ACAC true as info, never as exploitable', () => {
    const f = computeFindings([from(APP, 'Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true')]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'wildcard-with-credentials', severity: 'info' });
    expect(f[0]?.explanation).toMatch(/not an exploitable/);
  });

  it('reports JSONP endpoints', () => {
    const script = req(obs({ url: 'https://other.test/feed?callback=handle', type: 'script', requestHeaders: hs('Cookie: a=1'), response: resp(200) }));
    expect(computeFindings([script])[0]).toMatchObject({ code: 'jsonp-endpoint', severity: 'medium' });
  });

  it('reports a cross-site WebSocket accepted with cookies (CSWSH), not a same-site one', () => {
    const ws = (url: string) => req(obs({ url, type: 'websocket', requestHeaders: hs(`Origin: ${APP}`, 'Cookie: s=1'), response: resp(101) }));
    expect(codes([ws('wss://ws.other.test/s')])).toEqual(['cross-site-websocket']);
    expect(codes([ws('wss://ws.lab.test/s')])).toEqual([]);
  });

  it('reports the cost of repeated preflights with their total time', () => {
    const put = () =>
      req(
        obs({
          method: 'PUT',
          preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT'), { duration: 20 }),
          response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Vary: Origin'),
        }),
      );
    const f = computeFindings([put(), put(), put()]).find((x) => x.code === 'preflight-cost');
    expect(f?.explanation).toMatch(/3 times.*60 ms.*sends no Access-Control-Max-Age.*'Access-Control-Max-Age: 7200' \(Chromium's cap/);
  });

  it("weighs the server's Max-Age against the judging browser's cap", () => {
    const put = (browser: 'chromium' | 'firefox', maxAge: string) =>
      req(
        obs({
          browser,
          method: 'PUT',
          preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', `Access-Control-Max-Age: ${maxAge}`)),
          response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Vary: Origin'),
        }),
      );
    const advice = (browser: 'chromium' | 'firefox', maxAge: string) =>
      computeFindings([put(browser, maxAge), put(browser, maxAge)]).find((x) => x.code === 'preflight-cost')?.explanation;
    expect(advice('chromium', '600')).toContain("sends 'Access-Control-Max-Age: 600', which Chromium keeps 600 s. Send 'Access-Control-Max-Age: 7200'");
    expect(advice('chromium', '86400')).toContain('already sends');
    expect(advice('firefox', '7200')).toContain("which Firefox keeps 7200 s. Send 'Access-Control-Max-Age: 86400' (Firefox's cap)");
    // Firefox reads only digits: '+600' is not cached at all.
    expect(advice('firefox', '+600')).toContain('which Firefox keeps 0 s');
  });
});
