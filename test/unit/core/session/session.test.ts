import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../src/core/net/events';
import type { RequestHookRecord } from '../../../../src/core/page/records';
import type { RequestRecord } from '../../../../src/core/session/record';
import { TabSession } from '../../../../src/core/session/session';
import { expectedReason, scenarios } from '../../../lab/scenarios.mjs';
import type { Browser } from '../../../../src/core/browser';

interface Fixture {
  browser: Browser;
  events: NetEvent[];
  results: Record<string, { ok: boolean }>;
}

const load = (name: string): Fixture =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'events', `${name}.json`), 'utf8')) as Fixture;

function replay(fixture: Fixture) {
  const tabId = fixture.events.find((e) => e.kind === 'request' && e.type === 'main_frame' && e.url.startsWith('http:'))!.tabId;
  const session = new TabSession(tabId, fixture.browser);
  for (const e of fixture.events) if (e.tabId === tabId) session.apply(e);
  session.takeChanges();
  return session.snapshot().records;
}

const API = 'http://api.lab.test:8710/s/';
const byUrl = (records: RequestRecord[], url: string, preflight = false) =>
  records.filter((r) => r.url === url && r.isPreflight === preflight);

describe.each(['chromium', 'firefox'])('replaying a real %s lab session', (name) => {
  const fixture = load(name);
  const records = replay(fixture);

  it.each(scenarios.map((s) => [s.id, s] as const))('judges %s as the browser did', (_id, s) => {
    const host = { app: 'app.lab.test', api: 'api.lab.test', other: 'other.test' }[s.target];
    const recs = byUrl(records, `http://${host}:8710${s.path ?? `/s/${s.id}`}`);
    expect(recs).toHaveLength(s.repeat ?? 1);
    for (const r of recs) {
      expect(r.verdict?.outcome).toBe(s.expect.outcome);
      if (s.expect.reason) expect(r.verdict?.reason).toBe(expectedReason(s, fixture.browser));
    }
    const sawOk = (fixture.results[s.id] as { ok: boolean }).ok;
    expect(sawOk).toBe(s.expect.outcome !== 'blocked');
  });

  it('keeps one record per request and follows redirects on the same record', () => {
    const [redirected] = byUrl(records, `${API}redirect-cross-origin`);
    expect(redirected).toBeDefined();
    expect(redirected!.redirects).toHaveLength(1);
    expect(redirected!.redirects[0]!.status).toBe(302);
    expect(redirected!.finalUrl).toBe('http://other.test:8710/s/redirect-target-wildcard');
    expect(redirected!.state).toBe('complete');
  });

  it('pairs each preflight with the request it guards', () => {
    const [actual] = byUrl(records, `${API}preflight-allowed`);
    const [preflight] = byUrl(records, `${API}preflight-allowed`, true);
    expect(preflight?.method).toBe('OPTIONS');
    expect(actual?.preflight).toBe(preflight!.id);
    expect(preflight?.preflightFor).toBe(actual!.id);
  });

  it('sees cookies on credentialed requests and infers the include mode', () => {
    const [credentialed] = byUrl(records, `${API}credentialed-allowed`);
    expect(credentialed?.credentials).toMatchObject({ cookiesSent: true, mode: 'include' });
    const [plain] = byUrl(records, `${API}simple-allowed`);
    expect(plain?.credentials.cookiesSent).toBe(false);
  });

  it('flags the JSONP script load and marks same-origin requests', () => {
    expect(records.find((r) => r.url.includes('/jsonp?callback='))?.jsonp).toBe(true);
    expect(records.find((r) => r.url.endsWith('/s/same-origin'))?.crossOrigin).toBe(false);
    expect(byUrl(records, `${API}simple-allowed`)[0]?.crossOrigin).toBe(true);
  });

  it('records the WebSocket handshake with its Origin', () => {
    const ws = records.find((r) => r.type === 'websocket');
    expect(ws?.status).toBe(101);
    expect(ws?.requestHeaders.find((h) => h.name.toLowerCase() === 'origin')?.value).toBe('http://app.lab.test:8710');
  });
});

describe('TabSession', () => {
  const request = (id: string, url: string, type = 'xmlhttprequest', time = 1, frameId = 0): NetEvent => ({
    kind: 'request', id, tabId: 1, time, frameId, parentFrameId: frameId === 0 ? -1 : 0, url, method: 'GET', type,
    initiator: 'http://app.test', documentUrl: null,
  });

  it('evicts the oldest records beyond the cap and counts them', () => {
    const session = new TabSession(1, 'chromium', { maxRequests: 3, preserveLog: false });
    for (let i = 0; i < 5; i++) session.apply(request(String(i), `http://api.test/${i}`));
    const { records, dropped } = session.snapshot();
    expect(records.map((r) => r.id)).toEqual(['2', '3', '4']);
    expect(dropped).toBe(2);
    expect(session.takeChanges().removed).toEqual(expect.arrayContaining(['0', '1']));
  });

  it('starts over on a top-level navigation unless the log is preserved', () => {
    const session = new TabSession(1, 'chromium');
    session.apply(request('a', 'http://api.test/a'));
    session.apply(request('nav', 'http://app.test/next', 'main_frame', 2));
    expect(session.snapshot().records.map((r) => r.id)).toEqual(['nav']);
    expect(session.takeChanges().reset).toBe(true);

    const preserved = new TabSession(1, 'chromium', { maxRequests: 10, preserveLog: true });
    preserved.apply(request('a', 'http://api.test/a'));
    preserved.apply(request('nav', 'http://app.test/next', 'main_frame', 2));
    const state = preserved.snapshot();
    expect(state.records.map((r) => r.id)).toEqual(['a', 'nav']);
    expect(state.navigations).toEqual([{ seq: 1, time: 2, url: 'http://app.test/next' }]);
  });

  describe('links each frame’s page-hook report to its own request when two frames fetch one URL at once', () => {
    const url = 'http://api.test/shared';
    const inFrame = (id: string, frameId: number) => request(id, url, 'xmlhttprequest', 1, frameId);
    const report = (frameId: number, withCredentials: boolean): RequestHookRecord => ({
      url, method: 'GET', time: 1, api: 'xhr', mode: 'cors', credentials: withCredentials ? 'include' : 'same-origin', withCredentials,
      authorization: false, headerNames: [], frameId, frameUrl: frameId === 0 ? 'http://app.test/' : 'http://app.test/frame',
    });
    const linked = (session: TabSession) => ['top', 'framed'].map((id) => [id, session.get(id)?.hook?.frameId, session.get(id)?.credentials.withCredentials]);

    it('when the reports come after the requests', () => {
      const session = new TabSession(1, 'chromium');
      session.apply(inFrame('framed', 5));
      session.apply(inFrame('top', 0));
      session.addHookReport(report(0, true));
      session.addHookReport(report(5, false));
      expect(linked(session)).toEqual([['top', 0, true], ['framed', 5, false]]);
    });

    it('when the reports come first', () => {
      const session = new TabSession(1, 'chromium');
      session.addHookReport(report(0, true));
      session.addHookReport(report(5, false));
      session.apply(inFrame('framed', 5));
      session.apply(inFrame('top', 0));
      expect(linked(session)).toEqual([['top', 0, true], ['framed', 5, false]]);
    });
  });

  it('ignores events of requests it never saw start', () => {
    const session = new TabSession(1, 'chromium');
    session.apply({ kind: 'complete', id: 'x', tabId: 1, time: 1, status: 200, fromCache: false, ip: null });
    expect(session.size).toBe(0);
  });
});
