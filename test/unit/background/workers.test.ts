// WorkerAttribution in front of the collector, with the browser's tabs and frames faked: which
// tab each worker request goes to, marked how, and what follows it.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetEvent } from '../../../src/core/net/events';
import type { PageChange } from '../../../src/background/page-events';
import type { WorkerReport } from '../../../src/core/session/worker';

const fake = vi.hoisted(() => ({
  tabs: [] as { id?: number }[],
  frames: new Map<number, { frameId: number; url: string }[]>(),
}));
vi.mock('webextension-polyfill', () => ({
  default: {
    tabs: { query: async () => fake.tabs },
    webNavigation: { getAllFrames: async ({ tabId }: { tabId: number }) => fake.frames.get(tabId) ?? null },
  },
}));
const { WorkerAttribution } = await import('../../../src/background/workers');

const APP = 'https://app.lab.test';
const API = 'https://api.lab.test';
const SW = `${APP}/page/workers-sw.js`;
const T = Date.UTC(2026, 0, 1);

type RequestEvent = Extract<NetEvent, { kind: 'request' }>;
const request = (over: Partial<RequestEvent>): RequestEvent => ({
  kind: 'request', id: 'r1', tabId: -1, time: T + 10, frameId: -1, parentFrameId: -1, url: `${API}/x`, method: 'GET', type: 'xmlhttprequest',
  initiator: APP, documentUrl: null, ...over,
});
const complete = (id: string, tabId = -1): NetEvent => ({ kind: 'complete', id, tabId, time: T + 20, status: 200, fromCache: false, ip: null });
const page = (tabId: number, url = `${APP}/page/workers.html`): NetEvent => request({ id: `doc${tabId}`, tabId, frameId: 0, type: 'main_frame', url, initiator: null, time: T });
const reported = (...workers: WorkerReport[]): PageChange => ({ messages: [], websockets: [], requests: [], workers, serviceWorkerFetches: [], loadErrors: [] });
const sw = (time = T): WorkerReport => ({ kind: 'service', url: SW, time, frameId: 0 });

describe('WorkerAttribution', () => {
  let sunk: NetEvent[];
  let recorded: Set<number> | null;
  let w: InstanceType<typeof WorkerAttribution>;
  beforeEach(() => {
    sunk = [];
    recorded = null;
    fake.tabs = [];
    fake.frames.clear();
    w = new WorkerAttribution((e) => sunk.push(e), (tabId) => recorded === null || recorded.has(tabId));
  });
  const where = () => sunk.map((e) => [e.kind, e.id, e.tabId]);

  it("gives a service worker's request to the tab that reported it, under its top frame, marked, and its later events too", () => {
    w.route(page(3));
    w.pageChanged(3, reported(sw()));
    sunk = [];
    w.route(request({}));
    w.route({ kind: 'headers', id: 'r1', tabId: -1, time: T + 15, status: 200, statusLine: 'HTTP/1.1 200 OK', headers: [] });
    w.route(complete('r1'));
    // Followed no more once it ended.
    w.route(complete('r1'));
    expect(where()).toEqual([['request', 'r1', 3], ['headers', 'r1', 3], ['complete', 'r1', 3]]);
    expect(sunk[0]).toMatchObject({ frameId: 0, parentFrameId: -1, documentUrl: null, worker: { kind: 'service', scriptUrl: SW, inferred: false } });
  });

  it("drops a request outside any tab that no tab owns; one made before its worker was reported goes to its origin's tabs, of a worker unknown", () => {
    w.route(page(3));
    w.pageChanged(3, reported(sw(T + 50)));
    sunk = [];
    w.route(request({ initiator: 'https://elsewhere.test' }));
    w.route(complete('r1'));
    expect(sunk).toEqual([]);
    w.route(request({ id: 'r2' }));
    expect(where()).toEqual([['request', 'r2', 3]]);
    expect(sunk[0]).toMatchObject({ worker: { kind: null, scriptUrl: null } });
  });

  it('gives it to every tab that reported the worker, but only those the recording scope takes', () => {
    for (const tabId of [3, 4, 5]) {
      w.route(page(tabId));
      w.pageChanged(tabId, reported(sw()));
    }
    recorded = new Set([3, 5]);
    sunk = [];
    w.route(request({}));
    w.route(complete('r1'));
    expect(where()).toEqual([['request', 'r1', 3], ['request', 'r1', 5], ['complete', 'r1', 3], ['complete', 'r1', 5]]);
    // None recorded: nothing of it, and nothing of what follows.
    recorded = new Set();
    sunk = [];
    w.route(request({ id: 'r2' }));
    w.route(complete('r2'));
    expect(sunk).toEqual([]);
    // A recorded tab that just navigated (its report not in yet) still shows the worker's origin:
    // it gets the request, though only a tab the scope leaves out reported the worker.
    w.route(page(6));
    recorded = new Set([6]);
    sunk = [];
    w.route(request({ id: 'r3' }));
    expect(where()).toEqual([['request', 'r3', 6]]);
  });

  it("passes a tab's own requests on, marking those whose document is a dedicated worker's script (Firefox)", () => {
    const script = `${APP}/page/workers-worker.js`;
    w.route(page(3));
    w.pageChanged(3, reported({ kind: 'dedicated', url: script, time: T, frameId: 0 }));
    sunk = [];
    w.route(request({ id: 'a', tabId: 3, frameId: 0, documentUrl: script }));
    w.route(request({ id: 'b', tabId: 3, frameId: 0, documentUrl: `${APP}/page/workers.html` }));
    w.route(complete('a', 3));
    expect(where()).toEqual([['request', 'a', 3], ['request', 'b', 3], ['complete', 'a', 3]]);
    expect(sunk[0]).toMatchObject({ documentUrl: null, worker: { kind: 'dedicated', scriptUrl: script } });
    expect(sunk[1]).not.toHaveProperty('worker');
    expect(sunk[1]).toMatchObject({ documentUrl: `${APP}/page/workers.html` });
  });

  it('knows which tabs run a worker whose requests come outside any tab, until the tab navigates or closes', () => {
    w.route(page(3));
    w.route(page(4));
    w.pageChanged(3, reported(sw()));
    w.pageChanged(4, reported({ kind: 'dedicated', url: `${APP}/w.js`, time: T, frameId: 0 }));
    expect([w.runsTablessWorkers(3), w.runsTablessWorkers(4)]).toEqual([true, false]);
    w.pageChanged(4, reported({ kind: 'shared', url: `${APP}/s.js`, time: T, frameId: 0 }));
    expect(w.runsTablessWorkers(4)).toBe(true);
    w.route(page(3, 'https://other.test/'));
    w.tabClosed(4);
    expect([w.runsTablessWorkers(3), w.runsTablessWorkers(4)]).toEqual([false, false]);
  });

  it('learns the documents of the tabs already open, top frame first, and gives an unreported worker of their origin its requests', async () => {
    fake.tabs = [{ id: 7 }, {}, { id: 8 }];
    fake.frames.set(7, [{ frameId: 2, url: 'https://widget.test/frame' }, { frameId: 0, url: `${APP}/` }]);
    await w.learnOpenTabs();
    w.route(request({ initiator: 'https://widget.test' }));
    w.route(request({ id: 'r2' }));
    w.route(request({ id: 'r3', initiator: 'https://other.test' }));
    expect(where()).toEqual([['request', 'r1', 7], ['request', 'r2', 7]]);
    expect(sunk[0]).toMatchObject({ worker: { kind: null, scriptUrl: null, inferred: false } });
  });
});
