// Soak: eight tabs of mixed traffic for a working day (8 hours), compressed. The real Collector
// (src/background/collector.ts) runs in Node on a simulated clock: its timers (150 ms batches,
// deferred writes) fire in simulated time, so a day takes minutes. Traffic is the recorded
// webRequest sequences of the lab (test/fixtures/events, both browsers) replayed with fresh
// ids, plus postMessage batches through the page-hook store. Storage is a store that keeps the
// JSON length of every record it is given (what IndexedDB holds, before its own compression).
// Every simulated hour: the heap after a GC, requests and bytes stored, drops. Fails when the
// requests stored ever exceed the budget (checked every simulated second). Bundled and run by
// test/bench/run.mjs: `node test/bench/run.mjs soak` (`-- --hours N` for a shorter day).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from 'webextension-polyfill';
import { Collector } from '../../src/background/collector';
import { PageEventStore } from '../../src/background/page-events';
import type { PageSave, SessionChange, SessionStore } from '../../src/background/persist';
import type { NetEvent } from '../../src/core/net/events';
import { PAGE_WIRE_VERSION } from '../../src/core/page/records';
import { versioned } from '../../src/core/protocol';
import { DEFAULT_SETTINGS } from '../../src/core/session/settings';

const hoursAt = process.argv.indexOf('--hours');
const HOURS = hoursAt < 0 ? 8 : Number(process.argv[hoursAt + 1]);
if (!(HOURS > 0)) throw new Error('--hours takes a positive number');
const T0 = Date.UTC(2026, 0, 5, 9);
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// ---- the simulated clock: the collector's setTimeout and Date.now run on it ----

let now = T0;
const timers = new Map<number, { at: number; fn: () => void }>();
let nextTimer = 1;
globalThis.setTimeout = ((fn: () => void, ms?: number) => {
  const id = nextTimer++;
  timers.set(id, { at: now + Math.max(0, ms ?? 0), fn });
  return id;
}) as unknown as typeof setTimeout;
globalThis.clearTimeout = ((id: number) => void timers.delete(id)) as unknown as typeof clearTimeout;
Date.now = () => now;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs every timer due by `t`, in order, letting the store's promises settle after each. */
async function advanceTo(t: number): Promise<void> {
  for (;;) {
    let due: [number, { at: number; fn: () => void }] | null = null;
    for (const entry of timers) if (entry[1].at <= t && (due === null || entry[1].at < due[1].at)) due = entry;
    if (due === null) break;
    timers.delete(due[0]);
    now = due[1].at;
    due[1].fn();
    await turn();
  }
  now = t;
}

// ---- storage that measures ----

interface SessionMetaKept {
  dropped: number;
  droppedForBudget?: number;
}
/** What the store holds: JSON length of each request and page record, by tab; each tab's meta. */
const kept = { requests: new Map<number, Map<string, number>>(), pages: new Map<number, Map<string, number>>(), metas: new Map<number, SessionMetaKept>() };
const storedTotals = { requests: 0, requestBytes: 0, pageBytes: 0 };

function keep(kind: 'requests' | 'pages', tabId: number, id: string, value: unknown): void {
  let tab = kept[kind].get(tabId);
  if (!tab) kept[kind].set(tabId, (tab = new Map()));
  const bytes = JSON.stringify(value).length;
  const before = tab.get(id);
  if (kind === 'requests') {
    storedTotals.requests += before === undefined ? 1 : 0;
    storedTotals.requestBytes += bytes - (before ?? 0);
  } else storedTotals.pageBytes += bytes - (before ?? 0);
  tab.set(id, bytes);
}
function forget(kind: 'requests' | 'pages', tabId: number, id?: string): void {
  const tab = kept[kind].get(tabId);
  if (!tab) return;
  for (const key of id === undefined ? [...tab.keys()] : [id]) {
    const bytes = tab.get(key);
    if (bytes === undefined) continue;
    tab.delete(key);
    if (kind === 'requests') {
      storedTotals.requests--;
      storedTotals.requestBytes -= bytes;
    } else storedTotals.pageBytes -= bytes;
  }
}

const store = {
  load: async () => new Map(),
  save: async (changes: SessionChange[], pages: PageSave[] = []) => {
    for (const c of changes) {
      if (c.reset) forget('requests', c.meta.tabId);
      for (const id of c.removed) forget('requests', c.meta.tabId, id);
      for (const r of c.updated) keep('requests', c.meta.tabId, r.id, r);
      kept.metas.set(c.meta.tabId, c.meta);
    }
    for (const p of pages) {
      if (p.reset) forget('pages', p.tabId);
      for (const m of p.messages) keep('pages', p.tabId, m.id, m);
      for (const w of p.websockets) keep('pages', p.tabId, w.id, w);
    }
  },
  deleteTab: async (tabId: number) => {
    forget('requests', tabId);
    forget('pages', tabId);
    kept.metas.delete(tabId);
  },
} as unknown as SessionStore;

// ---- traffic: the lab's recorded request sequences, one "visit" each ----

/** Each request's events, times relative to its first, from both browsers' recordings. */
const requests: NetEvent[][] = [];
for (const browser of ['chromium', 'firefox']) {
  const { events } = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'events', `${browser}.json`), 'utf8')) as { events: NetEvent[] };
  const byId = new Map<string, NetEvent[]>();
  for (const e of events) {
    let list = byId.get(e.id);
    if (!list) byId.set(e.id, (list = []));
    list.push(e);
  }
  for (const list of byId.values()) {
    const first = list[0]!;
    // Navigations are the tabs' own (below); the recording's extension pages are not traffic.
    if (first.kind !== 'request' || first.type === 'main_frame' || !first.url.startsWith('http')) continue;
    requests.push(list.map((e) => ({ ...e, time: e.time - first.time })));
  }
}

let nextId = 0;
/** One visit: every recorded request, 40 ms apart, with fresh ids. */
function visit(collector: Collector, tabId: number, t: number): number {
  requests.forEach((events, i) => {
    const id = String(nextId++);
    for (const e of events) collector.enqueue({ ...e, id, tabId, time: t + i * 40 + e.time } as NetEvent);
  });
  return requests.length;
}

function navigate(collector: Collector, tabId: number, t: number): void {
  const id = String(nextId++);
  const url = `https://app${tabId}.example/page/${t}`;
  collector.enqueue({ kind: 'request', id, tabId, time: t, frameId: 0, parentFrameId: -1, url, method: 'GET', type: 'main_frame', initiator: null, documentUrl: null });
  collector.enqueue({ kind: 'headers', id, tabId, time: t + 30, status: 200, statusLine: 'HTTP/1.1 200 OK', headers: [{ name: 'Content-Type', value: 'text/html' }] });
  collector.enqueue({ kind: 'complete', id, tabId, time: t + 40, status: 200, fromCache: false, ip: '127.0.0.1' });
}

/** A batch of `n` postMessage receipts, as the bridge delivers them. */
function messages(pages: PageEventStore, tabId: number, t: number, n: number): void {
  const events = Array.from({ length: n }, (_, i) => ({
    k: 'msg',
    side: 'receive',
    channel: 'window',
    t: t + i,
    origin: 'https://widget.example',
    target: null,
    peer: 'self',
    preview: `{"type":"tick","seq":${i},"payload":{"user":"u${tabId}","items":[1,2,3]}}`,
    size: 64,
    trusted: true,
    listeners: [{ location: { url: `https://app${tabId}.example/app.js`, line: 10, column: 4 }, readOrigin: true, readSource: false, check: 'yes' }],
  }));
  pages.accept(tabId, 0, `https://app${tabId}.example/`, JSON.stringify({ v: PAGE_WIRE_VERSION, events }));
}

/** What each tab does: a visit (the lab's request mix) every `every` s, a navigation every `navigate` min (never: a single-page app). */
const TABS = [
  { tabId: 1, what: 'inspected, preserve log', every: 30, navigate: 30, inspected: true, preserve: true },
  { tabId: 2, what: 'inspected', every: 120, navigate: 10, inspected: true, preserve: false },
  { tabId: 3, what: 'web mail (single-page app)', every: 40, navigate: null, inspected: false, preserve: false },
  { tabId: 4, what: 'dashboard (single-page app)', every: 20, navigate: null, inspected: false, preserve: false },
  { tabId: 5, what: 'chat (single-page app)', every: 60, navigate: null, inspected: false, preserve: false },
  { tabId: 6, what: 'news, reloads', every: 90, navigate: 5, inspected: false, preserve: false },
  { tabId: 7, what: 'docs, browsing', every: 60, navigate: 2, inspected: false, preserve: false },
  { tabId: 8, what: 'CI dashboard (single-page app)', every: 30, navigate: null, inspected: false, preserve: false },
];

async function main(): Promise<void> {
  const pages = new PageEventStore();
  const collector = new Collector('chromium', store, pages, { panelOpened: () => undefined, panelClosed: () => undefined });
  await collector.restore();
  collector.setMaxRequests(DEFAULT_SETTINGS.maxRequests);
  collector.setBudget(DEFAULT_SETTINGS);
  for (const tab of TABS.filter((t) => t.inspected)) {
    const listeners: ((m: unknown) => void)[] = [];
    const port = { name: 'panel', postMessage: () => undefined, onMessage: { addListener: (f: (m: unknown) => void) => listeners.push(f) }, onDisconnect: { addListener: () => undefined } };
    collector.connect(port as unknown as Runtime.Port);
    for (const m of [{ type: 'subscribe', tabId: tab.tabId }, { type: 'set-preserve-log', preserve: tab.preserve }]) for (const f of listeners) f(versioned(m));
  }
  await advanceTo(now);

  console.log(`${TABS.length} tabs, ${requests.length} requests a visit, ${HOURS} simulated hours; budget ${DEFAULT_SETTINGS.maxTotalRequests.toLocaleString('en')} requests / ${DEFAULT_SETTINGS.maxTotalBytes / MB} MB, per tab ${DEFAULT_SETTINGS.maxRequests.toLocaleString('en')}`);
  for (const tab of TABS) console.log(`  tab ${tab.tabId}: ${tab.what}: a visit every ${tab.every} s${tab.navigate ? `, navigates every ${tab.navigate} min` : ''}`);
  console.log('\n| hour | requests seen | requests stored | their MB | page records MB | dropped: per-tab cap / budget | heap after GC (MB) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');

  const started = performance.now();
  let seen = 0;
  const worst = { requests: 0, requestBytes: 0, pageBytes: 0, heap: 0 };
  let over = false;
  const baseHeap = (gc(), process.memoryUsage().heapUsed);
  for (let s = 1; s <= HOURS * 3600; s++) {
    const t = T0 + s * 1000;
    for (const tab of TABS) {
      if (tab.navigate && s % (tab.navigate * 60) === 0) navigate(collector, tab.tabId, t);
      if (s % tab.every === 0) {
        seen += visit(collector, tab.tabId, t);
        messages(pages, tab.tabId, t, 5);
      }
    }
    await advanceTo(t);
    if (storedTotals.requests > DEFAULT_SETTINGS.maxTotalRequests || storedTotals.requestBytes > DEFAULT_SETTINGS.maxTotalBytes) over = true;
    worst.requests = Math.max(worst.requests, storedTotals.requests);
    worst.requestBytes = Math.max(worst.requestBytes, storedTotals.requestBytes);
    worst.pageBytes = Math.max(worst.pageBytes, storedTotals.pageBytes);
    if (s % 3600 === 0) {
      gc();
      const heap = process.memoryUsage().heapUsed;
      worst.heap = Math.max(worst.heap, heap);
      const metas = [...kept.metas.values()];
      const dropped = metas.reduce((n, m) => n + m.dropped, 0);
      const forBudget = metas.reduce((n, m) => n + (m.droppedForBudget ?? 0), 0);
      console.log(
        `| ${s / 3600} | ${seen.toLocaleString('en')} | ${storedTotals.requests.toLocaleString('en')} | ${(storedTotals.requestBytes / MB).toFixed(1)} | ${(storedTotals.pageBytes / MB).toFixed(1)} | ${(dropped - forBudget).toLocaleString('en')} / ${forBudget.toLocaleString('en')} | ${(heap / MB).toFixed(1)} |`,
      );
    }
  }
  const perTab = TABS.map((tab) => `${tab.tabId}: ${(kept.requests.get(tab.tabId)?.size ?? 0).toLocaleString('en')}`).join(', ');
  console.log(
    `\nmost stored: ${worst.requests.toLocaleString('en')} requests, ${(worst.requestBytes / MB).toFixed(1)} MB of requests, ${(worst.pageBytes / MB).toFixed(1)} MB of page records; ` +
      `heap after GC at most ${(worst.heap / MB).toFixed(1)} MB (${(baseHeap / MB).toFixed(1)} MB before traffic)`,
  );
  console.log(`requests stored per tab at the end: ${perTab}`);
  console.log(`simulated ${HOURS} h in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (over) {
    console.error('FAIL: the requests stored exceeded the budget');
    process.exitCode = 1;
  }
}

await main();
