import { describe, expect, it } from 'vitest';
import { fixPlan, MAX_AGE } from '../../../../src/core/fix/requirements';
import type { RequestRecord } from '../../../../src/core/session/record';
import { CORS_SCENARIOS, scenarioRecords } from '../../../servers/scenario-records';
import { judged, PAGE, record } from '../../../support/records';

const APP = 'http://app.lab.test:8710';
const API = 'http://api.lab.test:8710';
const headers = (lines: Record<string, string>) => Object.entries(lines).map(([name, value]) => ({ name, value }));

describe('the lab session the fix is computed from', () => {
  it('judges every scenario record as the lab expects', () => {
    const records = scenarioRecords([APP], API).filter((r) => !r.isPreflight);
    const byUrl = new Map(CORS_SCENARIOS.map((s) => [`${API}/s/${s.id}`, s]));
    for (const r of records) {
      const s = byUrl.get(r.url)!;
      expect([s.id, r.verdict?.outcome, r.verdict?.reason ?? undefined]).toEqual([s.id, s.expect.outcome, s.expect.reason]);
    }
  });
});

describe('fixPlan', () => {
  it('asks the API for exactly what the lab session needs', () => {
    const plan = fixPlan(scenarioRecords([APP], API));
    expect(plan.unfixable).toEqual([]);
    expect(plan.servers).toHaveLength(1);
    expect(plan.servers[0]).toMatchObject({
      server: API,
      origins: [APP],
      methods: ['DELETE', 'PATCH', 'PUT'],
      requestHeaders: ['x-lab-token'],
      credentials: true,
      exposedHeaders: ['x-request-id'],
      maxAge: MAX_AGE,
    });
    expect(MAX_AGE).toBe(7200);
  });

  it('lists every page origin exactly, sorted, once', () => {
    const plan = fixPlan(scenarioRecords(['http://b.lab.test', APP, 'http://b.lab.test'], API));
    expect(plan.servers[0]!.origins).toEqual([APP, 'http://b.lab.test']);
  });

  it('keeps servers apart', () => {
    const records = judged([
      record({ seq: 0, url: 'https://b.example/x', error: 'net::ERR_FAILED' }),
      record({ seq: 1, url: 'https://a.example/y', method: 'OPTIONS', isPreflight: true, preflightFor: 'r2', status: 404 }),
      record({ seq: 2, url: 'https://a.example/y', method: 'PUT', preflight: 'r1', error: 'net::ERR_FAILED', status: null }),
    ]);
    expect(fixPlan(records).servers.map((s) => [s.server, s.methods, s.requests])).toEqual([
      ['https://a.example', ['PUT'], ['r2']],
      ['https://b.example', [], ['r0']],
    ]);
  });

  it('asks for credentials only when a request was credentialed', () => {
    const records = judged([record({ seq: 0, url: 'https://api.example/x', error: 'net::ERR_FAILED' })]);
    expect(fixPlan(records).servers[0]).toMatchObject({ origins: [PAGE], credentials: false, exposedHeaders: [] });
  });

  it('allows Authorization when the page set it, though webRequest hid it', () => {
    const records = judged([
      record({
        seq: 0,
        url: 'https://api.example/x',
        credentials: { mode: 'same-origin', cookiesSent: false, authorization: true, withCredentials: null },
        error: 'net::ERR_FAILED',
      }),
    ]);
    expect(fixPlan(records).servers[0]!.requestHeaders).toEqual(['authorization']);
  });

  it('exposes what Access-Control-Expose-Headers: * let the page read, by name', () => {
    const records = judged([
      record({
        seq: 0,
        url: 'https://api.example/x',
        responseHeaders: headers({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*', 'Content-Type': 'text/plain', 'X-Total': '3' }),
      }),
    ]);
    expect(fixPlan(records).servers[0]!.exposedHeaders).toEqual(['access-control-allow-origin', 'access-control-expose-headers', 'x-total']);
  });

  it('exposes nothing for a blocked request: the page never read it', () => {
    const records = judged([record({ seq: 0, url: 'https://api.example/x', responseHeaders: headers({ 'X-Total': '3' }), error: 'net::ERR_FAILED' })]);
    expect(fixPlan(records).servers[0]!.exposedHeaders).toEqual([]);
  });

  it("refuses to allow the 'null' origin of a cross-origin redirect, and says why", () => {
    const records = judged([
      record({
        seq: 0,
        url: 'https://api.example/go',
        finalUrl: 'https://other.example/there',
        redirects: [
          {
            url: 'https://api.example/go',
            status: 302,
            requestHeaders: headers({ Origin: PAGE, 'Sec-Fetch-Mode': 'cors' }),
            responseHeaders: headers({ 'Access-Control-Allow-Origin': PAGE, Location: 'https://other.example/there' }),
            location: 'https://other.example/there',
            time: 0,
          },
        ],
        responseHeaders: headers({ 'Access-Control-Allow-Origin': PAGE }),
        error: 'net::ERR_FAILED',
      }),
    ]);
    const plan = fixPlan(records);
    expect(plan.servers).toEqual([]);
    expect(plan.unfixable).toEqual([{ id: 'r0', url: 'https://api.example/go', why: expect.stringContaining("allowing 'null'") }]);
  });

  it('names a blocked request that no response header fixes', () => {
    const records = judged([record({ seq: 0, url: 'https://api.example/x', hook: hookSaying('same-origin'), status: null, error: 'net::ERR_FAILED' })]);
    expect(fixPlan(records).unfixable).toEqual([{ id: 'r0', url: 'https://api.example/x', why: expect.stringContaining('DisallowedByMode') }]);
  });

  it('names a blocked request whose origin is unknown', () => {
    const [blocked] = judged([record({ seq: 0, url: 'https://api.example/x', responseHeaders: [] })]);
    expect(blocked!.verdict?.outcome).toBe('blocked');
    blocked!.verdict = { ...blocked!.verdict!, requestOrigin: null };
    expect(fixPlan([blocked!])).toEqual({ servers: [], unfixable: [{ id: 'r0', url: 'https://api.example/x', why: expect.stringContaining('origin that made it is unknown') }] });
  });

  it('leaves out preflights, same-origin requests and no-cors loads', () => {
    const records = judged([
      record({ seq: 0, url: `${PAGE}/local` }),
      record({ seq: 1, url: 'https://cdn.example/a.png', type: 'image', requestHeaders: headers({ 'Sec-Fetch-Mode': 'no-cors' }) }),
      record({ seq: 2, url: 'https://api.example/x', method: 'OPTIONS', isPreflight: true, preflightFor: 'r9' }),
    ]);
    expect(fixPlan(records)).toEqual({ servers: [], unfixable: [] });
  });
});

describe('fixPlan for blocks beyond CORS', () => {
  const noCors = headers({ 'Sec-Fetch-Mode': 'no-cors' });
  const image = (seq: number, url: string, response: Record<string, string>, error: string, over: Partial<RequestRecord> = {}) =>
    record({ seq, url, type: 'image', requestHeaders: noCors, responseHeaders: headers({ 'Content-Type': 'image/gif', ...response }), error, ...over });
  const isolated = { url: `${PAGE}/`, coep: 'require-corp', coop: 'same-origin', remoteAddress: null };

  it('asks a resource refused by CORP for Cross-Origin-Resource-Policy, cross-origin for another site', () => {
    const plan = fixPlan(judged([image(0, 'https://cdn.other.example/a.gif', { 'Cross-Origin-Resource-Policy': 'same-origin' }, 'net::ERR_BLOCKED_BY_RESPONSE')]));
    expect(plan.unfixable).toEqual([]);
    expect(plan.servers).toEqual([
      expect.objectContaining({ server: 'https://cdn.other.example', cors: false, origins: [], policies: [{ name: 'Cross-Origin-Resource-Policy', value: 'cross-origin' }], requests: ['r0'] }),
    ]);
  });

  it('asks for same-site only when every page that was refused is on the resource’s site', () => {
    const plan = fixPlan(judged([image(0, 'https://img.app.example/a.gif', { 'Cross-Origin-Resource-Policy': 'same-origin' }, 'net::ERR_BLOCKED_BY_RESPONSE')]));
    expect(plan.servers[0]!.policies).toEqual([{ name: 'Cross-Origin-Resource-Policy', value: 'same-site' }]);
  });

  it("fixes COEP's default with CORP on the resource, and a frame without COEP with COEP (and CORP) on the frame", () => {
    const plan = fixPlan(
      judged([
        image(0, 'https://cdn.other.example/a.gif', {}, 'net::ERR_BLOCKED_BY_RESPONSE', { document: isolated }),
        record({ seq: 1, url: 'https://widget.other.example/frame', type: 'sub_frame', requestHeaders: headers({ 'Sec-Fetch-Mode': 'navigate' }), responseHeaders: headers({ 'Content-Type': 'text/html' }), document: isolated }),
      ]),
    );
    expect(plan.servers.map((s) => [s.server, s.policies])).toEqual([
      ['https://cdn.other.example', [{ name: 'Cross-Origin-Resource-Policy', value: 'cross-origin' }]],
      ['https://widget.other.example', [{ name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' }, { name: 'Cross-Origin-Resource-Policy', value: 'cross-origin' }]],
    ]);
  });

  it('asks for the type a script needs where ORB decided by the headers, and names the image it cannot fix', () => {
    const plan = fixPlan(
      judged([
        record({ seq: 0, url: 'https://cdn.other.example/lib.js?v=2', type: 'script', requestHeaders: noCors, responseHeaders: headers({ 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' }), error: 'net::ERR_BLOCKED_BY_ORB' }),
        image(1, 'https://cdn.other.example/doc.pdf', { 'Content-Type': 'application/pdf' }, 'net::ERR_BLOCKED_BY_ORB'),
      ]),
    );
    expect(plan.servers.map((s) => [s.server, s.contentTypes, s.requests])).toEqual([['https://cdn.other.example', [{ path: '/lib.js', type: 'text/javascript' }], ['r0']]]);
    expect(plan.unfixable).toEqual([{ id: 'r1', url: 'https://cdn.other.example/doc.pdf', why: expect.stringContaining('OrbBlockedNeverSniffedMimeType') }]);
  });

  it("asks the opener for same-origin-allow-popups when its own COOP cut the popup off, not the popup's site for anything", () => {
    const popup = (seq: number, opener: string | null, coop: string | null) =>
      record({
        seq,
        url: 'https://login.other.example/auth',
        type: 'main_frame',
        initiatorOrigin: null,
        requestHeaders: headers({ 'Sec-Fetch-Mode': 'navigate' }),
        responseHeaders: headers({ 'Content-Type': 'text/html', ...(coop ? { 'Cross-Origin-Opener-Policy': coop } : {}) }),
        opener: { url: `${PAGE}/`, coep: null, coop: opener, remoteAddress: null },
      });
    const plan = fixPlan(judged([popup(0, 'same-origin', null), popup(1, null, 'same-origin')]));
    expect(plan.servers.map((s) => [s.server, s.policies, s.requests])).toEqual([[PAGE, [{ name: 'Cross-Origin-Opener-Policy', value: 'same-origin-allow-popups' }], ['r0']]]);
  });
});

function hookSaying(mode: string): RequestRecord['hook'] {
  return { url: 'https://api.example/x', method: 'GET', time: 0, api: 'fetch', mode, credentials: 'same-origin', withCredentials: null, authorization: false, headerNames: [] };
}
