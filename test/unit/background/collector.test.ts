import type { Runtime } from 'webextension-polyfill';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Collector } from '../../../src/background/collector';
import { PageEventStore } from '../../../src/background/page-events';
import type { SessionChange, SessionStore } from '../../../src/background/persist';
import type { NetEvent } from '../../../src/core/net/events';
import { PAGE_WIRE_VERSION } from '../../../src/core/page/records';
import { versioned, type BackgroundToPanel } from '../../../src/core/protocol';
import type { RequestRecord } from '../../../src/core/session/record';
import type { SessionState } from '../../../src/core/session/session';
import { syntheticRecords } from '../../support/records';

type Kept = Awaited<ReturnType<SessionStore['load']>>;

/** A store whose kept sessions come back when the test says so, as IndexedDB's may come late. */
function slowStore() {
  let release!: (kept: Kept) => void;
  const loaded = new Promise<Kept>((resolve) => (release = resolve));
  const store = { load: () => loaded, save: async () => undefined, deleteTab: async () => undefined } as unknown as SessionStore;
  return { store, release };
}

/** A collector with nothing kept from before, restored and ready. */
async function restoredCollector(pages: PageEventStore): Promise<Collector> {
  const { store, release } = slowStore();
  release(new Map());
  const collector = new Collector('chromium', store, pages, { panelOpened: () => undefined, panelClosed: () => undefined });
  await collector.restore();
  return collector;
}

/** A panel's port: what the collector sends it, and a way to say something to the collector. */
function panelPort() {
  const sent: { type: string; session?: SessionState }[] = [];
  const onMessage: ((m: unknown) => void)[] = [];
  const port = {
    name: 'origin-lens-panel',
    postMessage: (m: { type: string }) => sent.push(m),
    onMessage: { addListener: (f: (m: unknown) => void) => onMessage.push(f) },
    onDisconnect: { addListener: () => undefined },
  } as unknown as Runtime.Port;
  return { port, sent, say: (m: unknown) => onMessage.forEach((f) => f(m)) };
}

describe('Collector', () => {
  it('sends a panel that subscribes while the worker wakes its snapshot only once the kept records are back', async () => {
    const { store, release } = slowStore();
    const collector = new Collector('chromium', store, new PageEventStore(), { panelOpened: () => undefined, panelClosed: () => undefined });
    const restoring = collector.restore();
    const panel = panelPort();
    collector.connect(panel.port);
    // A message without this protocol version is not heard.
    panel.say({ type: 'subscribe', tabId: 2 });
    panel.say(versioned({ type: 'subscribe', tabId: 1 }));
    await Promise.resolve();
    expect(panel.sent).toEqual([]);

    const records = syntheticRecords(3);
    const state: SessionState = { tabId: 1, pageUrl: 'https://app.example/', startedAt: 0, records, navigations: [], dropped: 0 };
    release(new Map([[1, { state, preserveLog: false, page: null }]]));
    await restoring;
    await Promise.resolve();
    expect(panel.sent.map((m) => m.type)).toEqual(['snapshot']);
    expect(panel.sent[0]!.session!.records.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
  });
});

describe('Collector: WebSocket handshakes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("links a socket to its handshake with the server's answer, even when the page reports the socket first", async () => {
    vi.useFakeTimers();
    const pages = new PageEventStore();
    const collector = await restoredCollector(pages);
    const url = 'wss://api.example/live';
    const t = Date.UTC(2026, 0, 1);
    const request: NetEvent = { kind: 'request', id: 'ws1', tabId: 1, time: t, frameId: 0, parentFrameId: -1, url, method: 'GET', type: 'websocket', initiator: 'https://app.example', documentUrl: null };
    collector.enqueue(request);
    collector.enqueue({ kind: 'send-headers', id: 'ws1', tabId: 1, time: t, headers: [{ name: 'Origin', value: 'https://app.example' }] });
    await vi.runOnlyPendingTimersAsync();
    // The page hook reports the socket before the server has answered the handshake.
    pages.accept(1, 0, 'https://app.example/', JSON.stringify({ v: PAGE_WIRE_VERSION, events: [{ k: 'ws-new', sid: 1, t, url, protocols: [] }] }));
    await vi.runOnlyPendingTimersAsync();
    expect(pages.forTab(1).websockets[0]!.handshake.status).toBeNull();
    collector.enqueue({ kind: 'headers', id: 'ws1', tabId: 1, time: t + 5, status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', headers: [] });
    await vi.runOnlyPendingTimersAsync();
    expect(pages.forTab(1).websockets[0]!.handshake).toEqual({ origin: 'https://app.example', status: 101, requestId: 'ws1' });
  });
});

describe('Collector: live updates', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a quiet page its changes on the next task, and batches them while the page is busy', async () => {
    vi.useFakeTimers();
    const collector = await restoredCollector(new PageEventStore());
    const panel = panelPort();
    collector.connect(panel.port);
    panel.say(versioned({ type: 'subscribe', tabId: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    const updates = () => panel.sent.filter((m) => m.type === 'update').length;
    const t = Date.UTC(2026, 0, 1);
    const request = (id: string): NetEvent => ({ kind: 'request', id, tabId: 1, time: t, frameId: 0, parentFrameId: -1, url: `https://api.example/${id}`, method: 'GET', type: 'xmlhttprequest', initiator: 'https://app.example', documentUrl: null });

    collector.enqueue(request('quiet'));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates()).toBe(1);

    // A burst: its events go out in one batch, then the page counts as busy.
    for (let i = 0; i < 120; i++) collector.enqueue(request(`burst${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates()).toBe(2);
    collector.enqueue(request('during'));
    await vi.advanceTimersByTimeAsync(100);
    expect(updates()).toBe(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(updates()).toBe(3);
    // The window after a busy one is batched from its start.
    collector.enqueue(request('next'));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates()).toBe(3);
    await vi.advanceTimersByTimeAsync(150);
    expect(updates()).toBe(4);

    // Quiet again: the next change goes out at once.
    await vi.advanceTimersByTimeAsync(1000);
    collector.enqueue(request('after'));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates()).toBe(5);
  });
});

describe('Collector: the budget and a full storage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const T = Date.UTC(2026, 0, 1);
  const finished = (tabId: number, id: string, time: number): NetEvent[] => [
    { kind: 'request', id, tabId, time, frameId: 0, parentFrameId: -1, url: `https://api.example/${id}`, method: 'GET', type: 'xmlhttprequest', initiator: 'https://app.example', documentUrl: null },
    { kind: 'complete', id, tabId, time: time + 1, status: 200, fromCache: false, ip: null },
  ];

  /** A store that keeps what it is given by tab/id, or throws a quota error while `full`. */
  function memoryStore() {
    const kept = new Map<string, RequestRecord>();
    const state = { full: false, attempts: 0 };
    const save = async (changes: SessionChange[]) => {
      state.attempts++;
      if (state.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      for (const c of changes) {
        if (c.reset) for (const key of kept.keys()) if (key.startsWith(`${c.meta.tabId}/`)) kept.delete(key);
        for (const id of c.removed) kept.delete(`${c.meta.tabId}/${id}`);
        for (const r of c.updated) kept.set(`${c.meta.tabId}/${r.id}`, r);
      }
    };
    const store = { load: async () => new Map(), save, deleteTab: async () => undefined } as unknown as SessionStore;
    return { store, kept, state };
  }

  async function started(store: SessionStore) {
    vi.useFakeTimers();
    const collector = new Collector('chromium', store, new PageEventStore(), { panelOpened: () => undefined, panelClosed: () => undefined });
    await collector.restore();
    const panel = panelPort();
    collector.connect(panel.port);
    panel.say(versioned({ type: 'subscribe', tabId: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    const updates = () => panel.sent.filter((m): m is BackgroundToPanel['update'] & { type: 'update' } => m.type === 'update');
    return { collector, updates };
  }

  it('keeps the inspected tab and evicts the other tab first, counted for the budget, in memory and in storage', async () => {
    const { store, kept } = memoryStore();
    const { collector } = await started(store);
    collector.setBudget({ maxTotalRequests: 3, maxTotalBytes: Infinity });
    // The inspected tab 1 is the older one: it still keeps everything.
    for (const e of [...finished(1, 'a', T), ...finished(1, 'b', T + 10), ...finished(2, 'c', T + 20), ...finished(2, 'd', T + 30)]) collector.enqueue(e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.snapshot(1)!.records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(collector.snapshot(2)).toMatchObject({ records: [{ id: 'd' }], dropped: 1, droppedForBudget: 1 });
    expect([...kept.keys()].sort()).toEqual(['1/a', '1/b', '2/d']);
  });

  it('goes on recording in memory when storage is full, says so, and writes everything once there is room again', async () => {
    const { store, kept, state } = memoryStore();
    state.full = true;
    const { collector, updates } = await started(store);
    for (const e of finished(1, 'a', T)) collector.enqueue(e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.attempts).toBe(1);
    expect(updates().at(-1)).toMatchObject({ storageFull: true });
    expect(collector.settled).toBe(false);

    for (const e of finished(1, 'b', T + 10)) collector.enqueue(e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.snapshot(1)!.records.map((r) => r.id)).toEqual(['a', 'b']);
    // No write is tried again before the retry interval.
    expect(state.attempts).toBe(1);

    state.full = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect([...kept.keys()]).toEqual(['1/a', '1/b']);
    expect(updates().at(-1)).toMatchObject({ storageFull: false });
    expect(collector.settled).toBe(true);
  });
});
