// The panel with 100,000 requests, measured in real Chromium on the built extension: a session
// log of 100,000 judged records (test/support/records.ts, exported as the panel exports it) is
// imported into the offline panel (panel.html without ?tabId) through its file input, then
//   (1) import: from the file input's change event to the first rows in the DOM (the
//       "Requests (N)" tab and the first .row, seen by a MutationObserver); how many .row
//       elements the DOM holds; the page's JS heap (CDP Runtime.getHeapUsage), as imported and
//       after a GC;
//   (2) filter: "api7.example/missing" typed one character at a time into the filter box (value
//       set, then an input event), each keystroke checked for the right count; then the box
//       cleared;
//   (3) scroll: the table's scrollTop set to the middle, the end, a quarter, three quarters and
//       the top, each timed until the row that belongs at the top is in the DOM, where it belongs;
//   (4) live: a live panel (panel.html?tabId=…, its port to the background replaced by one the
//       bench feeds) gets the same records as its snapshot, then LIVE_UPDATES updates as the
//       collector sends them under load: LIVE_BATCH new pending records and the previous
//       update's ones finished. Each is timed from the port message to the "Requests (N)" tab
//       showing the new count (the model, the filter and Preact's render: the panel's script),
//       and to the double requestAnimationFrame.
// Each of them is timed to three points: the state in the DOM (MutationObserver, or the next
// task: handler, filter and Preact's render done); the next frame painted (requestAnimationFrame,
// then a task); and the double requestAnimationFrame, which the targets use (it adds up to one
// frame interval, 16.7 ms, to the painted figure).
// Every timing is taken in the page (performance.now()), never across CDP; every wait is on a
// DOM state or an event. Counts are checked against src/panel/filter.ts run here in Node.
// One warm-up round, then ROUNDS rounds, each in a fresh panel page; medians (and maxima).
// Targets (double rAF, medians): first rows painted ≤ 1000 ms after the import; a keystroke
// painted ≤ 50 ms; and the rows in the DOM bounded (≤ 100, whatever the number of records).
// Over-target figures are reported, not fatal: the script fails only when the bench breaks.
// Run: node build.mjs && node test/bench/run.mjs panel   (ORIGIN_LENS_DIST=dir for another build;
// PANEL_BENCH_N, PANEL_BENCH_ROUNDS to change the size and the number of rounds)
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { findingsFor } from '../../src/core/session/judge';
import { toSessionLog } from '../../src/core/log/session-log';
import { exportText } from '../../src/panel/download';
import { DEFAULT_FILTER, RecordFilter } from '../../src/panel/filter';
import { ROW_HEIGHT } from '../../src/panel/views/RequestTable';
import { PROTOCOL_VERSION, type BackgroundMessage } from '../../src/core/protocol';
import type { RequestRecord } from '../../src/core/session/record';
import { CHROMIUM_PATH, chromiumFlags, EXTENSION_DIR } from '../e2e/browsers';
import { syntheticRecords } from '../support/records';

const N = Number(process.env.PANEL_BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.PANEL_BENCH_ROUNDS ?? 5);
const QUERY = 'api7.example/missing';
const SCROLL_TO = [0.5, 1, 0.25, 0.75, 0];
const LIVE_UPDATES = 30;
const LIVE_BATCH = 20;
/** An update batch's panel script, with 100,000 records live. */
const TARGET_LIVE_SCRIPT_MS = 5;
const TARGET_IMPORT_MS = 1000;
const TARGET_KEYSTROKE_MS = 50;
/** Rows the virtualized table may hold at once: the visible ones plus the overscan, whatever N. */
const MAX_ROWS_IN_DOM = 100;

// ---- the session log file ----
const tBuild = performance.now();
const records = syntheticRecords(N);
const log = toSessionLog(
  {
    tabId: null,
    pageUrl: 'https://app.example/',
    startedAt: records[0]!.startTime,
    records,
    navigations: [],
    messages: [],
    websockets: [],
    findings: findingsFor(records, 'chromium'),
    dropped: { requests: 0, messages: 0, websockets: 0 },
  },
  { includeSecrets: false, browser: 'chromium', extensionVersion: '0.1.0', now: Date.now() },
);
const work = mkdtempSync(join(tmpdir(), 'ol-bench-panel-'));
const file = join(work, 'session-100k.json');
// As the panel's own "Export session log" writes it.
writeFileSync(file, exportText(log, records.length));
// The live panel's snapshot, fetched by the page from a loopback server of the bench's.
const recordsFile = join(work, 'records.json');
writeFileSync(recordsFile, JSON.stringify(records));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const recordsServer = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  createReadStream(recordsFile).pipe(res);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => recordsServer.once('listening', resolve));
const recordsUrl = `http://127.0.0.1:${(recordsServer.address() as { port: number }).port}/records.json`;
const fileMB = statSync(file).size / 1e6;

// The live updates' records: copies of the first ones under new ids, pending, then finished.
let nextSeq = records.length;
const liveRecords = Array.from({ length: LIVE_UPDATES * LIVE_BATCH }, (_, i) => ({ ...records[i]!, id: `live${i}`, seq: nextSeq++ }));
const liveShown = new RecordFilter([...records, ...liveRecords]).run(DEFAULT_FILTER, 'time').rows.length;

// What the panel must show, from the same pure functions the panel runs.
const shownIds = new RecordFilter(records).run(DEFAULT_FILTER, 'time').rows.map((r) => r.id);
const prefixes = Array.from({ length: QUERY.length }, (_, i) => QUERY.slice(0, i + 1));
const expectedCounts = prefixes.map((text) => new RecordFilter(records).run({ ...DEFAULT_FILTER, text }, 'time').rows.length);
console.log(
  `${N.toLocaleString('en-US')} records, ${shownIds.length.toLocaleString('en-US')} shown by default, ${log.findings.length} findings; ` +
    `session log ${fileMB.toFixed(1)} MB, built in ${((performance.now() - tBuild) / 1000).toFixed(1)} s`,
);

// ---- page-side measures (serialized into the panel page: no closures over this file) ----

interface ImportFigures {
  rendered: number;
  painted: number;
  doubleRaf: number;
  label: string;
  rows: number;
}

/** What the measures below share in the page, installed there first (as window.__olTools). */
interface PageTools {
  nextTask(): Promise<void>;
  frame(): Promise<void>;
  /** The "Requests (N)" tab's text. */
  requestsLabel(): string | undefined;
  /** From `t0`: until the next frame has painted (a frame, then a task), and the double rAF. */
  paint(t0: number): Promise<{ painted: number; doubleRaf: number }>;
}
type BenchWindow = Window & { __olTools: PageTools; __olImport: Promise<ImportFigures> };

function installPageTools(): void {
  const nextTask = () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  (window as unknown as BenchWindow).__olTools = {
    nextTask,
    frame,
    requestsLabel: () => [...document.querySelectorAll('[role=tab]')].map((b) => b.textContent ?? '').find((t) => t.startsWith('Requests (')),
    async paint(t0) {
      await frame();
      await nextTask();
      const painted = performance.now() - t0;
      await frame();
      return { painted, doubleRaf: performance.now() - t0 };
    },
  };
}

/** Arms the import watch; resolves (as window.__olImport) once the imported rows have painted. */
function armImport(): void {
  const w = window as unknown as BenchWindow;
  const tools = w.__olTools;
  w.__olImport = new Promise<ImportFigures>((resolve, reject) => {
    let t0: number | null = null;
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) return reject(new Error('no file input'));
    // Capture phase on the window: runs before the panel's own onChange.
    window.addEventListener('change', (e) => {
      if (e.target === input) t0 = performance.now();
    }, { capture: true });
    const ready = () => t0 !== null && /^Requests \([1-9]\d*\)$/.test(tools.requestsLabel() ?? '') && document.querySelector('.tbody .row') !== null;
    const observer = new MutationObserver(() => {
      const alert = document.querySelector('[role=alert]');
      if (alert) {
        observer.disconnect();
        return reject(new Error(`import failed: ${alert.textContent}`));
      }
      if (!ready()) return;
      observer.disconnect();
      const rendered = performance.now() - t0!;
      void tools.paint(t0!).then((p) => resolve({ rendered, ...p, label: tools.requestsLabel()!, rows: document.querySelectorAll('.tbody .row').length }));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

interface Step {
  what: string;
  /** Until the next task: the event's handler, the filter and Preact's render have all run. */
  script: number;
  /** Until the first frame after the change has painted: requestAnimationFrame, then a task. */
  painted: number;
  /** Until the second requestAnimationFrame: one frame interval more than `painted`, at most. */
  doubleRaf: number;
  rows: number;
}

/** Types `prefixes` one at a time, then clears the box; checks the count shown after each. */
async function typeQuery(arg: { prefixes: string[]; counts: number[]; total: number }): Promise<Step[]> {
  const input = document.querySelector<HTMLInputElement>('input[type=search][aria-label="Filter requests"]');
  if (!input) throw new Error('no filter box');
  const tools = (window as unknown as BenchWindow).__olTools;
  const steps: Step[] = [];
  const texts = [...arg.prefixes, ''];
  const counts = [...arg.counts, arg.total];
  for (const [i, text] of texts.entries()) {
    const t0 = performance.now();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await tools.nextTask();
    const script = performance.now() - t0;
    const painted = await tools.paint(t0);
    const shown = tools.requestsLabel();
    if (shown !== `Requests (${counts[i]})`) throw new Error(`after typing "${text}" the tab reads "${shown}", expected Requests (${counts[i]})`);
    steps.push({ what: text === '' ? '(cleared)' : text, script, ...painted, rows: document.querySelectorAll('.tbody .row').length });
  }
  return steps;
}

/** Jumps the table to each fraction of its height; waits for the row that belongs at the top. */
async function scrollJumps(arg: { fractions: number[]; ids: string[]; rowHeight: number }): Promise<Step[]> {
  // The grid scrolls; its header row is sticky, so the row at the top of the body is scrollTop / rowHeight.
  const el = document.querySelector<HTMLElement>('.requests[role=grid]');
  if (!el) throw new Error('no requests grid');
  const tools = (window as unknown as BenchWindow).__olTools;
  const steps: Step[] = [];
  for (const f of arg.fractions) {
    const t0 = performance.now();
    el.scrollTop = Math.round(f * (el.scrollHeight - el.clientHeight));
    const index = Math.floor(el.scrollTop / arg.rowHeight);
    const want = arg.ids[index];
    const row = () => el.querySelector<HTMLElement>(`.row[data-id="${want}"]`);
    if (!row()) {
      await new Promise<void>((resolve, reject) => {
        // A guard against a bench that would otherwise hang, not a wait for the state.
        const guard = setTimeout(() => reject(new Error(`row ${want} (index ${index}) never rendered after scrolling to ${el.scrollTop}px`)), 20_000);
        const observer = new MutationObserver(() => {
          if (!row()) return;
          observer.disconnect();
          clearTimeout(guard);
          resolve();
        });
        observer.observe(el, { childList: true, subtree: true });
      });
    }
    const script = performance.now() - t0;
    const painted = await tools.paint(t0);
    // Laid out where it belongs (offsetTop: style.top serializes large offsets to 6 digits).
    const top = row()?.offsetTop ?? -1;
    if (Math.abs(top - index * arg.rowHeight) > 1) throw new Error(`row ${want} is at ${top}px, expected ${index * arg.rowHeight}px`);
    steps.push({ what: f === 1 ? 'end' : `${f * 100}%`, script, ...painted, rows: el.querySelectorAll('.row').length });
  }
  return steps;
}

/** Put in the live panel before its script runs: a port to the background that the bench feeds. */
function fakeBackgroundPort(): void {
  const listeners: ((m: unknown) => void)[] = [];
  const port = {
    name: 'bench',
    onMessage: { addListener: (f: (m: unknown) => void) => listeners.push(f) },
    onDisconnect: { addListener: () => undefined },
    postMessage: () => undefined,
    disconnect: () => undefined,
  };
  const g = globalThis as unknown as { chrome?: { runtime?: object }; browser?: { runtime?: object } };
  for (const api of [g.chrome, g.browser]) if (api?.runtime) Object.defineProperty(api.runtime, 'connect', { value: () => port, configurable: true });
  (window as unknown as { __olFeed: (m: unknown) => void }).__olFeed = (m) => listeners.forEach((f) => f(m));
}

/** The snapshot, then each update fed once the last one has painted; see (4) above. */
async function liveUpdates(arg: { v: number; url: string; live: RequestRecord[]; updates: number; batch: number; shown: number }): Promise<Step[]> {
  const w = window as unknown as BenchWindow & { __olFeed: (m: BackgroundMessage & { v: number }) => void };
  const tools = w.__olTools;
  const records = (await (await fetch(arg.url)).json()) as RequestRecord[];
  const count = () => Number(/\((\d+)\)/.exec(tools.requestsLabel() ?? '')?.[1]);
  const dropped = { messages: 0, websockets: 0, requests: 0, rejected: 0 };
  w.__olFeed({ v: arg.v, type: 'snapshot', session: { tabId: 1, pageUrl: 'https://app.example/', startedAt: 0, records, navigations: [], dropped: 0 }, preserveLog: false, page: { tabId: 1, messages: [], websockets: [], requests: [], dropped }, storageFull: false });
  await tools.paint(performance.now());
  const steps: Step[] = [];
  for (let k = 0; k < arg.updates; k++) {
    const added = arg.live.slice(k * arg.batch, (k + 1) * arg.batch).map((r) => ({ ...r, verdict: null, status: null, state: 'pending' as const }));
    const finished = k > 0 ? arg.live.slice((k - 1) * arg.batch, k * arg.batch) : [];
    const before = count();
    const t0 = performance.now();
    w.__olFeed({ v: arg.v, type: 'update', reset: false, updated: [...finished, ...added], removed: [], dropped: 0, droppedForBudget: 0, pageUrl: 'https://app.example/', storageFull: false });
    // Preact renders on a microtask: these two come after it.
    await Promise.resolve();
    await Promise.resolve();
    const script = performance.now() - t0;
    if (!(count() > before)) throw new Error(`update ${k}: the tab still reads ${tools.requestsLabel()}`);
    const painted = await tools.paint(t0);
    steps.push({ what: `update ${k}`, script, ...painted, rows: document.querySelectorAll('.requests .row').length });
  }
  // The last update's records finish too: the count is then the one the filter gives for all.
  w.__olFeed({ v: arg.v, type: 'update', reset: false, updated: arg.live.slice(-arg.batch), removed: [], dropped: 0, droppedForBudget: 0, pageUrl: 'https://app.example/', storageFull: false });
  await tools.nextTask();
  if (count() !== arg.shown) throw new Error(`after the updates the tab reads ${tools.requestsLabel()}, expected Requests (${arg.shown})`);
  return steps;
}

// ---- the driver ----

interface Round {
  imported: ImportFigures;
  /** The renderer's heap in the fresh panel page, after a GC, before the import. */
  heapBeforeMB: number;
  heapMB: number;
  heapAfterGcMB: number;
  typing: Step[];
  scrolling: Step[];
  live: Step[];
}

const dist = process.env.ORIGIN_LENS_DIST ? join(process.env.ORIGIN_LENS_DIST, 'chrome') : EXTENSION_DIR.chromium;
const profile = mkdtempSync(join(tmpdir(), 'ol-bench-panel-profile-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumFlags(dist) });
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionBase = worker.url().split('/').slice(0, 3).join('/');

async function heapMB(page: Page, gc: boolean): Promise<number> {
  const cdp = await context.newCDPSession(page);
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1e6;
}

async function round(): Promise<Round> {
  const page = await context.newPage();
  await page.goto(`${extensionBase}/panel.html`);
  await page.bringToFront();
  await page.waitForSelector('text=offline: no file opened');
  // Extension pages share one renderer: collect what the previous round's page left behind.
  const heapBefore = await heapMB(page, true);
  await page.evaluate(installPageTools);
  await page.evaluate(armImport);
  await page.setInputFiles('input[type=file]', file);
  const imported = await page.evaluate(() => (window as unknown as BenchWindow).__olImport);
  if (!(imported.painted > 0)) throw new Error('the frame after the import never painted');
  if (imported.label !== `Requests (${shownIds.length})`) throw new Error(`imported panel reads "${imported.label}", expected Requests (${shownIds.length})`);
  const heap = await heapMB(page, false);
  const heapAfterGc = await heapMB(page, true);
  const typing = await page.evaluate(typeQuery, { prefixes, counts: expectedCounts, total: shownIds.length });
  const scrolling = await page.evaluate(scrollJumps, { fractions: SCROLL_TO, ids: shownIds, rowHeight: ROW_HEIGHT });
  await page.close();
  const livePage = await context.newPage();
  await livePage.addInitScript(fakeBackgroundPort);
  await livePage.goto(`${extensionBase}/panel.html?tabId=1`);
  await livePage.bringToFront();
  await livePage.evaluate(installPageTools);
  const live = await livePage.evaluate(liveUpdates, { v: PROTOCOL_VERSION, url: recordsUrl, live: liveRecords, updates: LIVE_UPDATES, batch: LIVE_BATCH, shown: liveShown });
  await livePage.close();
  return { imported, heapBeforeMB: heapBefore, heapMB: heap, heapAfterGcMB: heapAfterGc, typing, scrolling, live };
}

let version = '';
try {
  const probe = await context.newPage();
  const cdp = await context.newCDPSession(probe);
  version = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
  await cdp.detach();
  await probe.close();
  await round(); // warm-up: the browser's caches, the extension's first load
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
  report(rounds);
} finally {
  recordsServer.close();
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function report(rounds: Round[]): void {
  const ms = (x: number) => x.toFixed(1);
  const verdict = (x: number, target: number) => (x <= target ? 'PASS' : 'over target');
  const keystrokes = rounds.flatMap((r) => r.typing.filter((s) => s.what !== '(cleared)'));
  const clears = rounds.flatMap((r) => r.typing.filter((s) => s.what === '(cleared)'));
  const jumps = rounds.flatMap((r) => r.scrolling);
  const maxRows = Math.max(...rounds.flatMap((r) => [r.imported.rows, ...r.typing.map((s) => s.rows), ...r.scrolling.map((s) => s.rows)]));
  const importPainted = median(rounds.map((r) => r.imported.doubleRaf));
  const keyPainted = median(keystrokes.map((s) => s.doubleRaf));

  console.log(`${version}; ${ROUNDS} rounds after a warm-up, each in a fresh panel page; load average ${loadavg()[0]!.toFixed(2)}`);
  console.log('| measure | median | max | target | ratio | verdict |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  const line = (label: string, xs: number[], target?: number) => {
    const m = median(xs);
    const t = target === undefined ? ['', '', ''] : [`≤ ${target} ms`, `${(m / target).toFixed(2)}x`, verdict(m, target)];
    console.log(`| ${label} | ${ms(m)} ms | ${ms(Math.max(...xs))} ms | ${t.join(' | ')} |`);
  };
  const group = (label: string, steps: Pick<Step, 'script' | 'painted' | 'doubleRaf'>[], first: string, target?: number) => {
    line(`${label} → ${first}`, steps.map((s) => s.script));
    line(`${label} → next frame painted`, steps.map((s) => s.painted));
    line(`${label} → double rAF`, steps.map((s) => s.doubleRaf), target);
  };
  group('import: change event', rounds.map((r) => ({ ...r.imported, script: r.imported.rendered })), 'first rows in the DOM', TARGET_IMPORT_MS);
  group(`keystroke (${keystrokes.length}): input event`, keystrokes, 'filtered and rendered', TARGET_KEYSTROKE_MS);
  group(`clear the filter (${clears.length}): input event`, clears, 'filtered and rendered');
  group(`scroll jump (${jumps.length}): scrollTop set`, jumps, 'top row in the DOM');
  const updates = rounds.flatMap((r) => r.live);
  line(`live update (${updates.length}, ${LIVE_BATCH} new + ${LIVE_BATCH} finished, ${N.toLocaleString('en-US')} records) → rendered: the panel's script`, updates.map((s) => s.script), TARGET_LIVE_SCRIPT_MS);
  line(`live update → next frame painted`, updates.map((s) => s.painted));
  line(`live update → double rAF`, updates.map((s) => s.doubleRaf));
  console.log(
    `| .row elements in the DOM (most seen) | ${maxRows} | ${maxRows} | ≤ ${MAX_ROWS_IN_DOM} | ${(maxRows / MAX_ROWS_IN_DOM).toFixed(2)}x | ${maxRows <= MAX_ROWS_IN_DOM ? 'PASS' : 'over target'} |`,
  );
  console.log(`| JS heap before the import (fresh page, after a GC) | ${median(rounds.map((r) => r.heapBeforeMB)).toFixed(0)} MB | ${Math.max(...rounds.map((r) => r.heapBeforeMB)).toFixed(0)} MB | | | |`);
  console.log(`| JS heap after import | ${median(rounds.map((r) => r.heapMB)).toFixed(0)} MB | ${Math.max(...rounds.map((r) => r.heapMB)).toFixed(0)} MB | | | |`);
  console.log(
    `| JS heap after import, after a GC | ${median(rounds.map((r) => r.heapAfterGcMB)).toFixed(0)} MB | ${Math.max(...rounds.map((r) => r.heapAfterGcMB)).toFixed(0)} MB | | | |`,
  );

  console.log('\nper keystroke, median over the rounds, ms: double rAF (next frame painted; filtered and rendered):');
  const whats = rounds[0]!.typing.map((s) => s.what);
  console.log(
    whats
      .map((w, i) => `${JSON.stringify(w)}→${i < expectedCounts.length ? expectedCounts[i] : shownIds.length}: ${ms(median(rounds.map((r) => r.typing[i]!.doubleRaf)))} (${ms(median(rounds.map((r) => r.typing[i]!.painted)))}; ${ms(median(rounds.map((r) => r.typing[i]!.script)))})`)
      .join(', '),
  );
  console.log(`import, per round (double rAF): ${rounds.map((r) => ms(r.imported.doubleRaf)).join(', ')} ms`);
  console.log(`summary (double rAF): first rows painted ${ms(importPainted)} ms (${verdict(importPainted, TARGET_IMPORT_MS)}), keystroke ${ms(keyPainted)} ms (${verdict(keyPainted, TARGET_KEYSTROKE_MS)})`);
}
