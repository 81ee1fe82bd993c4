// What Origin Lens's background costs a request-heavy page, against the floor any observer with
// extraHeaders pays. One run, three Chromium configurations, each with a fresh profile, launched
// once and warmed up once: (a) no extension, (b) the bare observer (test/bench/observer: the
// same webRequest listeners as src/background/platform.ts, with extraHeaders, that only count),
// (c) the built Origin Lens (dist/chrome). Every round loads test/lab/page/burst.html in each
// configuration, in a rotating order (interleaved, to cancel drift): the page fires N
// cross-origin fetches to the api origin, 6 in flight, and times first start to last completion
// itself (performance.now()); the driver awaits the page's own promise, never a sleep. Origin
// Lens is then waited on until its background has applied and stored the round (its "settled"
// status), so that its batch work does not land in the next configuration's round.
// Target: Origin Lens at most 1.10x the bare observer.
// Run: node build.mjs && node test/bench/run.mjs page-cost
// Knobs: PAGE_COST_ROUNDS (default 15), PAGE_COST_N (500), ORIGIN_LENS_DIST=dir (another build's
// dist, whose chrome/ is used), PAGE_COST_EXTRA="label=dir,..." (more unpacked extensions to
// compare, e.g. observer variants while profiling).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { startLab } from '../lab/server.mjs';
import { PROTOCOL_VERSION as V } from '../../src/core/protocol';
import { CHROMIUM_PATH, chromiumFlags, EXTENSION_DIR, root } from '../e2e/browsers';

const N = Number(process.env.PAGE_COST_N ?? 500);
const ROUNDS = Number(process.env.PAGE_COST_ROUNDS ?? 15);
const CONCURRENCY = 6;
const TARGET = 1.1;

interface Config {
  key: string;
  label: string;
  dir: string | null;
  originLens?: boolean;
}

const configs: Config[] = [
  { key: 'none', label: 'no extension', dir: null },
  { key: 'observer', label: 'bare observer', dir: join(root, 'test', 'bench', 'observer') },
  {
    key: 'originLens',
    label: 'Origin Lens',
    dir: process.env.ORIGIN_LENS_DIST ? join(process.env.ORIGIN_LENS_DIST, 'chrome') : EXTENSION_DIR.chromium,
    originLens: true,
  },
];
for (const extra of (process.env.PAGE_COST_EXTRA ?? '').split(',').filter(Boolean)) {
  const [label, dir] = extra.split('=');
  configs.push({ key: label!, label: label!, dir: dir!, originLens: existsManifestNamed(dir!, 'Origin Lens') });
}

function existsManifestNamed(dir: string, name: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { name: string }).name === name;
  } catch {
    return false;
  }
}

interface Running {
  config: Config;
  context: BrowserContext;
  page: Page;
  profile: string;
  /** The Origin Lens page used to ask its background for its status. */
  control: Page | null;
  times: number[];
}

/** The same flags as the end-to-end tests, plus a debugging port to read the worker's heap. */
async function start(config: Config): Promise<Running> {
  const profile = mkdtempSync(join(tmpdir(), `ol-bench-cost-${config.key}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...chromiumFlags(config.dir), '--remote-debugging-port=0'],
  });
  let control: Page | null = null;
  if (config.dir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    if (config.originLens) {
      const base = worker.url().split('/').slice(0, 3).join('/');
      control = await context.newPage();
      await control.goto(`${base}/panel.html`);
      await control.evaluate(async (v) => {
        for (;;) {
          const s = (await chrome.runtime.sendMessage({ v, type: 'status' })) as { ready: boolean };
          if (s?.ready) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      }, V);
    }
  }
  const page = context.pages().find((p) => p !== control && p.url() === 'about:blank') ?? (await context.newPage());
  return { config, context, page, profile, control, times: [] };
}


/** One page load: navigates, awaits the page's own done promise, returns its figures. */
async function round(r: Running, url: string): Promise<{ ms: number; ok: number; failed: number }> {
  await r.page.goto(url);
  const result = (await r.page.evaluate('window.burstDone')) as { ms: number; ok: number; failed: number };
  if (r.control) {
    // Origin Lens applies events in batches (150 ms) and stores them: wait until it has.
    await r.control.evaluate(async (v) => {
      for (;;) {
        const s = (await chrome.runtime.sendMessage({ v, type: 'status' })) as { settled: boolean };
        if (s?.settled) return;
        await new Promise((res) => setTimeout(res, 20));
      }
    }, V);
  }
  return result;
}

/** The browser's full version (the user agent's is reduced to 156.0.0.0). */
async function browserVersion(r: Running): Promise<string> {
  const [port] = readFileSync(join(r.profile, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  const info = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { Browser: string };
  return info.Browser.replace(/^[^/]*\//, '');
}

/** The extension service worker's JS heap, through the browser's DevTools endpoint. */
async function workerHeap(r: Running): Promise<{ used: number; afterGc: number } | null> {
  if (!r.config.dir) return null;
  const [port, path] = readFileSync(join(r.profile, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const n = ++id;
      pending.set(n, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result as T)));
      ws.send(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  try {
    const { targetInfos } = await send<{ targetInfos: { targetId: string; type: string; url: string }[] }>('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    if (!target) return null;
    const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
    const before = await send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
    await send('HeapProfiler.collectGarbage', {}, sessionId);
    const after = await send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
    return { used: before.usedSize, afterGc: after.usedSize };
  } finally {
    ws.close();
  }
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const began = Date.now();
const lab = await startLab();
const url = `${lab.origins.app}/page/burst.html?n=${N}&c=${CONCURRENCY}`;
const running: Running[] = [];
let version = '';
try {
  for (const config of configs) {
    const r = await start(config);
    running.push(r);
    version ||= await browserVersion(r).catch(() => '');
    // Warm-up: connection set-up, code caches, the extension's first batch.
    const warm = await round(r, url);
    if (warm.ok !== N) throw new Error(`${config.label}: warm-up got ${warm.ok}/${N} ok answers (${warm.failed} failed)`);
  }
  for (let i = 0; i < ROUNDS; i++) {
    // A rotating order: every configuration runs first, second and last about as often.
    for (let j = 0; j < running.length; j++) {
      const r = running[(i + j) % running.length]!;
      const result = await round(r, url);
      if (result.ok !== N) throw new Error(`${r.config.label}: round ${i} got ${result.ok}/${N} ok answers`);
      r.times.push(result.ms);
    }
  }

  // Proof each extension saw the traffic (the observer's counts, Origin Lens's records).
  const seen: string[] = [];
  for (const r of running) {
    if (!r.config.dir) continue;
    if (r.control) {
      const tabId = await r.control.evaluate(async (prefix) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(prefix))?.id ?? -1, url);
      const session = (await r.control.evaluate(({ v, tabId }) => chrome.runtime.sendMessage({ v, type: 'session', tabId }), { v: V, tabId })) as {
        records: { crossOrigin: boolean; verdict: { outcome: string } | null; cookies?: object }[];
      } | null;
      const records = session?.records ?? [];
      const allowed = records.filter((x) => x.crossOrigin && x.verdict?.outcome === 'allowed').length;
      const judged = records.filter((x) => x.cookies !== undefined).length;
      seen.push(`${r.config.label}: ${records.length} records for the last load, ${allowed} cross-origin allowed, ${judged} with a cookie verdict`);
    } else {
      const worker = r.context.serviceWorkers()[0];
      const counts = worker ? await worker.evaluate(() => (globalThis as unknown as { counts?: Record<string, number> }).counts ?? null) : null;
      seen.push(`${r.config.label}: ${counts ? Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') : 'no counts'}`);
    }
  }
  const heaps = new Map<string, { used: number; afterGc: number } | null>();
  for (const r of running) heaps.set(r.config.key, await workerHeap(r).catch(() => null));

  const med = new Map(running.map((r) => [r.config.key, median(r.times)]));
  const fmt = (x: number) => x.toFixed(1);
  const mb = (x: number) => (x / 1024 / 1024).toFixed(1);
  console.log(
    `Chromium ${version}, ${N} cross-origin fetches per load (${CONCURRENCY} in flight), ${ROUNDS} interleaved rounds after 1 warm-up; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log('| configuration | median (ms) | min | max | worker JS heap after the run (MB, after GC) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of running) {
    const heap = heaps.get(r.config.key);
    console.log(
      `| ${r.config.label} | ${fmt(med.get(r.config.key)!)} | ${fmt(Math.min(...r.times))} | ${fmt(Math.max(...r.times))} | ${heap ? `${mb(heap.used)} (${mb(heap.afterGc)})` : '–'} |`,
    );
  }
  const none = med.get('none')!;
  const observer = med.get('observer')!;
  const lens = med.get('originLens')!;
  console.log(`Origin Lens / bare observer:  ${(lens / observer).toFixed(2)}x  (target ≤ ${TARGET.toFixed(2)}x: ${lens / observer <= TARGET ? 'met' : 'NOT met'})`);
  console.log(`bare observer / no extension: ${(observer / none).toFixed(2)}x`);
  console.log(`Origin Lens / no extension:   ${(lens / none).toFixed(2)}x`);
  for (const r of running.slice(3)) console.log(`${r.config.label} / bare observer: ${(med.get(r.config.key)! / observer).toFixed(2)}x`);
  for (const line of seen) console.log(line);
  console.log(`per round (ms): ${running.map((r) => `${r.config.label} [${r.times.map(fmt).join(', ')}]`).join('; ')}`);
  console.log(`took ${((Date.now() - began) / 1000).toFixed(0)} s`);
} finally {
  for (const r of running) {
    await r.context.close().catch(() => undefined);
    rmSync(r.profile, { recursive: true, force: true });
  }
  await lab.close();
}
