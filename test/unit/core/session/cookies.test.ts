// A record's cookie context and verdict: the top-level site from the tab's main_frame record,
// a cross-site frame in between, the credentials mode, and what the jar read afterwards holds.
import { describe, expect, it } from 'vitest';
import type { JarCookie } from '../../../../src/core/cookies/verdict';
import { cookieContext, FrameIndex, namesSetSince, recordCookies } from '../../../../src/core/session/cookies';
import type { RequestRecord } from '../../../../src/core/session/record';
import { TabSession } from '../../../../src/core/session/session';
import { record } from '../../../support/records';

const APP = 'https://app.lab.test';
const API = 'https://api.other.test/cookie/echo';
const NOW = Date.UTC(2026, 10, 28);

const page = record({ seq: 0, url: `${APP}/page.html`, type: 'main_frame', frameId: 0, parentFrameId: -1, initiatorOrigin: null });
const frame = record({ seq: 1, url: 'https://widget.test/frame.html', type: 'sub_frame', frameId: 5, parentFrameId: 0 });
const fetchFrom = (frameId: number, over: Partial<RequestRecord> = {}) =>
  record({ seq: 2, url: API, frameId, credentials: { mode: 'include', cookiesSent: true, authorization: false, withCredentials: null }, ...over });

const held = (name: string, over: Partial<JarCookie> = {}): JarCookie => ({ name, domain: 'api.other.test', hostOnly: true, path: '/', secure: true, sameSite: 'none', partitionKey: null, ...over });

describe('cookieContext', () => {
  it('takes the top-level origin from the tab’s main_frame record, and the credentials mode the verdict inferred', () => {
    const r = fetchFrom(0);
    const ctx = cookieContext(r, new FrameIndex([page, frame, r]), 'chromium');
    expect(ctx).toMatchObject({ topLevelOrigin: APP, crossSiteAncestor: false, topLevelNavigation: false, credentials: 'include', initiator: 'https://app.example' });
  });

  it('sees a cross-site frame between the top and the request, and a sub_frame load from its parent', () => {
    const inFrame = fetchFrom(5);
    const frames = new FrameIndex([page, frame, inFrame]);
    expect(cookieContext(inFrame, frames, 'chromium').crossSiteAncestor).toBe(true);
    expect(cookieContext(frame, frames, 'chromium').crossSiteAncestor).toBe(false);
  });

  it('makes a navigation its own top level, and leaves an unknown credentials mode unknown', () => {
    const ctx = cookieContext(page, new FrameIndex([page]), 'firefox');
    expect([ctx.topLevelOrigin, ctx.topLevelNavigation]).toEqual([APP, true]);
    const unknown = fetchFrom(0, { credentials: { mode: 'unknown', cookiesSent: false, authorization: 'unknown', withCredentials: null } });
    expect(cookieContext(unknown, new FrameIndex([page]), 'chromium').credentials).toBeNull();
  });

  it('uses the frame the page was in when the request was made, not a later navigation of it', () => {
    const later = record({ seq: 9, url: 'https://api.other.test/', type: 'main_frame', frameId: 0, parentFrameId: -1 });
    const r = fetchFrom(0);
    expect(cookieContext(r, new FrameIndex([page, r, later]), 'chromium').topLevelOrigin).toBe(APP);
  });
});

describe('recordCookies', () => {
  const ctxOf = (r: RequestRecord) => cookieContext(r, new FrameIndex([page, r]), 'chromium');

  it('matches the Cookie header to the jar and gives each Set-Cookie line, Firefox’s newline-joined ones too, its result', () => {
    const r = fetchFrom(0, {
      requestHeaders: [{ name: 'Cookie', value: 'chips=1' }],
      responseHeaders: [{ name: 'Set-Cookie', value: 'a=1; SameSite=None; Secure; Partitioned\nb=2; SameSite=None' }],
    });
    const jar = [held('chips', { partitionKey: 'https://lab.test' }), held('login', { sameSite: 'lax' })];
    expect(recordCookies(r, ctxOf(r), jar, new Set(), NOW)).toEqual({
      sent: [{ name: 'chips', partitioned: true }],
      withheld: [{ name: 'login', reason: 'SameSiteLax' }],
      set: [
        { name: 'a', stored: true, reason: null },
        { name: 'b', stored: false, reason: 'SameSiteNoneInsecure' },
      ],
    });
  });

  it('does not count as held back a cookie set since the request started', () => {
    const r = fetchFrom(0, { requestHeaders: [{ name: 'Origin', value: APP }] });
    expect(recordCookies(r, ctxOf(r), [held('later')], new Set(['later']), NOW)?.withheld).toEqual([]);
  });

  it('says the Cookie header was not seen when the request never sent its headers, and the jar when it was not read', () => {
    const r = fetchFrom(0, { requestHeaders: [], state: 'error' });
    expect(recordCookies(r, ctxOf(r), null, new Set(), NOW)?.unknown).toEqual(['jar', 'request-cookies']);
  });

  it('judges each redirect hop’s Set-Cookie against that hop, a navigation’s as the top level of its moment', () => {
    const nav = record({
      seq: 0,
      url: 'https://api.other.test/login',
      finalUrl: `${APP}/back`,
      type: 'main_frame',
      initiatorOrigin: APP,
      credentials: { mode: 'include', cookiesSent: false, authorization: 'unknown', withCredentials: null },
      redirects: [{ url: 'https://api.other.test/login', status: 302, requestHeaders: [{ name: 'Host', value: 'api.other.test' }], responseHeaders: [{ name: 'Set-Cookie', value: 'sid=1; SameSite=Lax' }], location: `${APP}/back`, time: 0 }],
      responseHeaders: [{ name: 'Set-Cookie', value: 'back=1; Domain=other.test' }],
    });
    const set = recordCookies(nav, cookieContext(nav, new FrameIndex([nav]), 'chromium'), [], new Set(), NOW)?.set;
    expect(set).toEqual([
      { name: 'sid', stored: true, reason: null },
      { name: 'back', stored: false, reason: 'InvalidDomain' },
    ]);
  });
});

describe('namesSetSince', () => {
  it('gives each request the names set by responses from its start on', () => {
    const setter = (seq: number, line: string) => record({ seq, url: API, responseHeaders: [{ name: 'set-cookie', value: line }] });
    const [a, b, c] = [setter(1, 'early=1'), setter(2, 'mine=1'), setter(3, 'late=1')];
    const since = namesSetSince([a, b, c], [b]);
    expect([...since.get(b)!].sort()).toEqual(['late', 'mine']);
  });
});

describe('TabSession.setCookies', () => {
  it('gives the record its verdict as a change, and a page-hook report linked later has it made again', () => {
    const session = new TabSession(1, 'firefox');
    session.apply({ kind: 'request', id: 'f', tabId: 1, time: NOW, frameId: 0, parentFrameId: -1, url: API, method: 'GET', type: 'xmlhttprequest', initiator: APP, documentUrl: null });
    session.takeChanges();
    session.setCookies('f', { sent: [], withheld: [{ name: 'sid', reason: 'UnknownError' }], set: [] });
    expect(session.takeChanges().updated.map((r) => [r.id, r.cookies?.withheld.length])).toEqual([['f', 1]]);
    session.addHookReport({ url: API, method: 'GET', time: NOW, api: 'fetch', mode: 'cors', credentials: 'same-origin', withCredentials: null, authorization: false, headerNames: [] });
    const [again] = session.takeChanges().updated;
    expect([again?.credentials.mode, again?.cookies]).toEqual(['same-origin', undefined]);
  });

  it('adds the verdict to the size the budget reads, as the JSON of the record with it', () => {
    const session = new TabSession(1, 'firefox');
    session.apply({ kind: 'request', id: 'f', tabId: 1, time: NOW, frameId: 0, parentFrameId: -1, url: API, method: 'GET', type: 'xmlhttprequest', initiator: APP, documentUrl: null });
    session.apply({ kind: 'complete', id: 'f', tabId: 1, time: NOW, status: 200, fromCache: false, ip: null });
    session.takeChanges();
    const size = () => JSON.stringify(session.get('f')).length;
    session.setCookies('f', { sent: [{ name: 'sid', partitioned: false }], withheld: [], set: [] });
    expect(session.bytes).toBe(size());
    session.setCookies('f', { sent: [], withheld: [{ name: 'sid', reason: 'UnknownError' }, { name: 'pref', reason: 'SameSiteLax' }], set: [] });
    session.takeChanges();
    expect(session.bytes).toBe(size());
  });
});
