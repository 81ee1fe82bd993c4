import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../src/core/net/events';
import { TabSession } from '../../../../src/core/session/session';
import { WorkerDirectory, type WorkerReport } from '../../../../src/core/session/worker';
import type { RequestHookRecord } from '../../../../src/core/page/records';
import { stepWords } from '../../../../src/core/words/steps';

const APP = 'https://app.test';
const API = 'https://api.test';
const SW = `${APP}/sw.js`;
const SHARED = `${APP}/shared.js`;
const DEDICATED = `${APP}/worker.js`;
const report = (kind: WorkerReport['kind'], url: string, time = 1000, frameId = 0): WorkerReport => ({ kind, url, time, frameId });

describe('WorkerDirectory: which tabs a request outside any tab belongs to', () => {
  const directory = () => {
    const d = new WorkerDirectory();
    d.document(1, 0, `${APP}/page.html`);
    d.document(2, 0, `${APP}/other.html`);
    d.document(3, 0, 'https://elsewhere.test/');
    return d;
  };

  it('gives it to the tabs whose pages the service worker controls, by its script (Firefox)', () => {
    const d = directory();
    d.report(1, report('service', SW));
    expect(d.owners(SW, APP, 2000)).toEqual({ tabs: [1], worker: { kind: 'service', scriptUrl: SW, inferred: false } });
  });

  it('by its origin where the browser names no script (Chromium), saying which kind only when one fits', () => {
    const d = directory();
    d.report(1, report('service', SW));
    expect(d.owners(null, APP, 2000)?.worker).toEqual({ kind: 'service', scriptUrl: SW, inferred: false });
    d.report(2, report('shared', SHARED, 3000));
    // Before the shared worker started, only the service worker can have made it.
    expect(d.owners(null, APP, 2000)).toMatchObject({ tabs: [1], worker: { kind: 'service' } });
    expect(d.owners(null, APP, 4000)).toEqual({ tabs: [1, 2], worker: { kind: null, scriptUrl: null, inferred: false } });
  });

  it("falls back on every tab with a document of the worker's origin, and on none for other origins", () => {
    const d = directory();
    expect(d.owners(null, APP, 2000)).toEqual({ tabs: [1, 2], worker: { kind: null, scriptUrl: null, inferred: false } });
    expect(d.owners(null, 'https://nobody.test', 2000)).toBeNull();
    expect(d.owners(null, null, 2000)).toBeNull();
    expect(d.owners(null, 'chrome-extension://abc', 2000)).toBeNull();
  });

  it('gives a worker script fetched by a page (Firefox names the page) to that page', () => {
    expect(directory().owners(`${APP}/other.html`, APP, 2000)?.tabs).toEqual([2]);
  });

  it("forgets a tab's workers when its top frame navigates, and the tab when it closes", () => {
    const d = directory();
    d.report(1, report('service', SW));
    d.document(1, 0, `${APP}/next.html`);
    expect(d.owners(SW, APP, 2000)?.worker.kind).toBeNull();
    d.forget(1);
    d.forget(2);
    expect(d.owners(SW, APP, 2000)).toBeNull();
  });

  it('names a dedicated worker the page reported when the browser gives its script as the document', () => {
    const d = directory();
    expect(d.dedicated(1, DEDICATED)).toBeNull();
    d.report(1, report('dedicated', DEDICATED));
    expect(d.dedicated(1, DEDICATED)).toEqual({ kind: 'dedicated', scriptUrl: DEDICATED, inferred: false });
    expect(d.dedicated(1, `${APP}/page.html`)).toBeNull();
    expect(d.dedicated(2, DEDICATED)).toBeNull();
  });
});

// ---- the session's side ----

let n = 0;
function request(url: string, time: number, extra: Partial<Extract<NetEvent, { kind: 'request' }>> = {}): NetEvent {
  return { kind: 'request', id: `r${++n}`, tabId: 1, time, frameId: 0, parentFrameId: -1, url, method: 'GET', type: 'xmlhttprequest', initiator: APP, documentUrl: null, ...extra };
}
const about = (e: NetEvent) => ({ id: e.id, tabId: e.tabId });
const sent = (e: NetEvent, headers = [{ name: 'Origin', value: APP }, { name: 'Sec-Fetch-Mode', value: 'cors' }]): NetEvent => ({ kind: 'send-headers', ...about(e), time: e.time + 1, headers });
const answered = (e: NetEvent, status: number, headers = [{ name: 'Access-Control-Allow-Origin', value: APP }]): NetEvent[] => [
  { kind: 'headers', ...about(e), time: e.time + 2, status, statusLine: `HTTP/1.1 ${status}`, headers },
  { kind: 'complete', ...about(e), time: e.time + 3, status, fromCache: false, ip: null },
];
const hook = (url: string, time: number): RequestHookRecord => ({
  url, method: 'GET', time, api: 'fetch', mode: 'no-cors', credentials: 'include', withCredentials: null, authorization: false, headerNames: [],
});
const swFetch = (url: string, time: number) => ({ url, time, initiator: 'fetch', status: 200, frameId: 0, frameUrl: `${APP}/page.html` });
const service = { kind: 'service', scriptUrl: SW, inferred: false } as const;

function session(browser: 'chromium' | 'firefox', events: NetEvent[]) {
  const s = new TabSession(1, browser);
  s.apply(request(`${APP}/page.html`, 100, { type: 'main_frame', initiator: null }));
  for (const e of events) s.apply(e);
  return s;
}

describe('TabSession: page requests a service worker answered', () => {
  it('makes a record for one the browser never reported (Chromium), linked to the worker\'s request, with its verdict', () => {
    const pass = request(`${API}/data`, 1010, { worker: service });
    const s = session('chromium', [pass, sent(pass), ...answered(pass, 200)]);
    s.addHookReport(hook(`${API}/data`, 1000));
    s.addServiceWorkerFetch(swFetch(`${API}/data`, 1000));
    s.takeChanges();
    const page = [...s.records()].find((r) => r.answeredBy)!;
    expect(page).toMatchObject({ url: `${API}/data`, answeredBy: { requestId: pass.id }, state: 'complete', status: 200, frameId: 0 });
    expect(page.hook?.api).toBe('fetch');
    // fetch(event.request) keeps the page's mode and credentials: the worker's request takes them,
    // and the page got what the worker got.
    expect(s.get(pass.id)!.verdict).toMatchObject({ outcome: 'opaque', mode: 'no-cors', credentials: 'include' });
    expect(page.verdict?.outcome).toBe('opaque');
  });

  it('marks the one the browser reported with no network event (Firefox), and leaves one that went to the network', () => {
    const own = request(`${APP}/answer`, 1000);
    const through = request(`${APP}/through`, 1000);
    const s = session('firefox', [own, through, sent(through), ...answered(through, 200, [])]);
    s.addServiceWorkerFetch(swFetch(`${APP}/answer`, 1001));
    s.addServiceWorkerFetch(swFetch(`${APP}/through`, 1001));
    // Firefox reports every page request: nothing is made for one it did not report.
    s.addServiceWorkerFetch(swFetch(`${APP}/never`, 1001));
    s.takeChanges();
    expect(s.get(own.id)).toMatchObject({ answeredBy: { requestId: null }, state: 'complete', status: 200 });
    expect(s.get(own.id)!.verdict?.steps[0]?.code).toBe('answered-by-worker');
    expect(stepWords(s.get(own.id)!.verdict!.steps[0]!)).toMatch(/made itself/);
    expect(s.get(through.id)!.answeredBy).toBeUndefined();
    expect(s.size).toBe(3);
  });

  it("links the page's request to the worker's one that comes after it", () => {
    const page = request(`${API}/late`, 1000);
    const worker = request(`${API}/late`, 1020, { worker: service });
    const s = session('firefox', [page]);
    s.addServiceWorkerFetch(swFetch(`${API}/late`, 1000));
    s.apply(worker);
    s.takeChanges();
    expect(s.get(page.id)!.answeredBy).toEqual({ requestId: worker.id });
  });
});

describe("TabSession: a dedicated worker's requests", () => {
  it('marks those whose document is the script of a worker the page reported, shown under the frame (Firefox)', () => {
    const r = request(`${API}/w`, 1100, { documentUrl: DEDICATED });
    const s = session('firefox', [r]);
    s.noteWorker(report('dedicated', DEDICATED));
    s.takeChanges();
    expect(s.get(r.id)).toMatchObject({ worker: { kind: 'dedicated', scriptUrl: DEDICATED, inferred: false }, frameUrl: `${APP}/page.html` });
  });

  it('infers fetches (Chromium) and sockets the page never made while a worker of their origin runs, until the page claims them', () => {
    const fetch = request(`${API}/w`, 1100);
    const socket = request('wss://app.test/ws', 1100, { type: 'websocket' });
    const before = request(`${API}/early`, 900);
    const s = session('chromium', [fetch, socket, before]);
    s.noteWorker(report('dedicated', DEDICATED));
    s.takeChanges();
    const inferred = { kind: 'dedicated', scriptUrl: DEDICATED, inferred: true };
    expect(s.get(fetch.id)!.worker).toEqual(inferred);
    expect(s.get(socket.id)!.worker).toEqual(inferred);
    expect(s.get(before.id)!.worker).toBeUndefined();
    s.addHookReport(hook(`${API}/w`, 1100));
    s.claimByPage(socket.id);
    s.takeChanges();
    expect(s.get(fetch.id)!.worker).toBeUndefined();
    expect(s.get(socket.id)!.worker).toBeUndefined();
  });

  it('infers no fetch in Firefox, which names the worker when it made one', () => {
    const fetch = request(`${API}/w`, 1100);
    const s = session('firefox', [fetch]);
    s.noteWorker(report('dedicated', DEDICATED));
    s.takeChanges();
    expect(s.get(fetch.id)!.worker).toBeUndefined();
  });
});

describe("TabSession: a service or shared worker's requests", () => {
  it('learns the kind once the page reports the worker', () => {
    const r = request(`${API}/x`, 1100, { worker: { kind: null, scriptUrl: null, inferred: false } });
    const s = session('chromium', [r]);
    s.noteWorker(report('shared', SHARED));
    s.takeChanges();
    expect(s.get(r.id)!.worker).toEqual({ kind: 'shared', scriptUrl: null, inferred: false });
  });

  it("marks a script fetched with 'Service-Worker: script' as the service worker's", () => {
    const r = request(SW, 1100, { type: 'script', worker: { kind: null, scriptUrl: null, inferred: false } });
    const s = session('chromium', [r, sent(r, [{ name: 'Service-Worker', value: 'script' }])]);
    s.takeChanges();
    expect(s.get(r.id)!.worker).toEqual({ kind: 'service', scriptUrl: SW, inferred: false });
  });

  it("takes Firefox's same-URL redirect before any header (a service worker letting the request go on) as no hop", () => {
    const r = request(`${API}/y`, 1100, { worker: service });
    const s = session('firefox', [r, { kind: 'redirect', ...about(r), time: 1101, status: 307, headers: [], location: `${API}/y` }, sent(r), ...answered(r, 200)]);
    s.takeChanges();
    expect(s.get(r.id)).toMatchObject({ redirects: [], verdict: { outcome: 'allowed', mode: 'cors' } });
  });
});
