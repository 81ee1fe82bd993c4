// The cost of the page hooks, measured in real Chromium and Firefox: the same page script times
// 2,000 window.postMessage calls (the calls alone, and until every message was delivered to a
// listener), 200 (until delivered) in rounds a second apart, and 2,000 WebSocket sends (the
// calls, and until the lab echoed them all), in a browser with an empty extension (native) and in
// one with the built extension (hooked), taking turns round by round, over several launches.
// Rounds of 2,000 are over the hooks' rate limit (2,000 events, then 500 a second; a round is
// 4,000, its sends and receipts) after the first: the hooks count the rest. Rounds of 200 a second
// stay within it: every event is recorded, built and sent. Target: a hooked call costs at most
// 1.3x a native one.
// Run: node build.mjs && node test/bench/run.mjs page-hooks.bench [-- [chromium|firefox] [--baseline|--floor|--over-floor]]
// (ORIGIN_LENS_DIST=dir for another build; the modes put other things on the two sides, see SIDES:
// --baseline reads the method's own noise, --floor what any hooks of these APIs cost,
// --over-floor what ours cost beyond that)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../lab/server.mjs';
import { EXTENSION_DIR, launch, launchFirefox, type BrowserName, type ExtensionBrowser } from '../e2e/browsers';
import { askBackgroundUntil, findTabId } from '../e2e/extension';
import { pageScript } from './page-script';
import { interquartileMean } from './stats';

const N = 2000;
const PACED = 200;
// Rounds per launch, after WARMUP (see measure).
const ROUNDS = 6;
const LAUNCHES = 8;
const WARMUP = 2;
// Calls are also timed in blocks of this many (see typicalCalls).
const BLOCK = 100;

type Part = 'post' | 'paced' | 'ws';
// blocks: the time of each run of BLOCK calls, in order (the calls' total is their sum).
type Round = { calls: number; heard: number; blocks: number[] };

// Runs in the page (serialized): one round of a part, in ms: how long the calls took, each block
// of `block` calls, and until every message was heard (by a window listener, or echoed back on
// the socket).
async function round(part: Part, n: number, paced: number, block: number, wsUrl: string): Promise<Round> {
  const timed = async (count: number, target: EventTarget, counts: (e: Event) => boolean, send: (i: number) => void): Promise<Round> => {
    let got = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const onMessage = (e: Event) => {
      if (counts(e) && ++got === count) done();
    };
    target.addEventListener('message', onMessage);
    const marks = new Array<number>(Math.ceil(count / block));
    const t0 = performance.now();
    for (let i = 0, j = 0; i < count; ) {
      send(i);
      if (++i % block === 0 || i === count) marks[j++] = performance.now();
    }
    const t1 = performance.now();
    await all;
    const t2 = performance.now();
    target.removeEventListener('message', onMessage);
    return { calls: t1 - t0, heard: t2 - t0, blocks: marks.map((m, j) => m - (j === 0 ? t0 : marks[j - 1]!)) };
  };
  const isBench = (e: Event) => {
    const data = (e as MessageEvent).data;
    return !!data && data.kind === 'bench';
  };
  const post = (i: number) => window.postMessage({ kind: 'bench', i, text: 'hello from the bench' }, '*');
  if (part !== 'ws') return timed(part === 'post' ? n : paced, window, isBench, post);
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve) => ws.addEventListener('open', resolve));
  const r = await timed(n, ws, () => true, (i) => ws.send(`hello from the bench ${i}`));
  ws.close();
  return r;
}

const lab = await startLab();
const url = `${lab.origins.app}/page/bench.html`;
const wsUrl = `${lab.origins.other.replace('http', 'ws')}/ws`;
// The round function is defined once in each page (so the engine optimizes it as rounds go by),
// then called per round.
const define = `window.benchRound = (part) => (${round.toString()})(part, ${N}, ${PACED}, ${BLOCK}, ${JSON.stringify(wsUrl)})`;
const script = (part: Part) => `benchRound(${JSON.stringify(part)})`;

// The least any recorder of these calls does in the page, written by the page itself (in the
// browser with the empty extension): postMessage and WebSocket.send wrapped, each call going
// through to the native in a try block as ours do (they rethrow without their own frame); a
// capture listener on the window called for every message.
const FLOOR = `(() => {
  const apply = Reflect.apply;
  const wrap = (holder, key) => {
    const original = holder[key];
    holder[key] = { [key](x) { let r; try { r = apply(original, this, arguments); } catch (e) { throw e; } return r; } }[key];
  };
  wrap(window, 'postMessage');
  wrap(WebSocket.prototype, 'send');
  addEventListener('message', (e) => { e.isTrusted; }, true);
})();`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time the host took from this machine (steal) over a run, as a share of the time, from /proc/stat. */
function stealMeter(): () => string {
  const read = () => {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      return { steal: cpu[7] ?? 0, total: cpu.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const before = read();
  return () => {
    const after = read();
    if (!before || !after || after.total === before.total) return 'steal n/a';
    return `steal ${(((after.steal - before.steal) / (after.total - before.total)) * 100).toFixed(1)}%`;
  };
}

type Run = (part: Part) => Promise<Round>;

// What runs on a side: the empty extension alone ('empty'), with FLOOR in the page ('floor'), or ours.
type SideHolds = 'empty' | 'floor' | 'ours';
type Setup = { dir: string; floor: boolean };
const SIDES: Record<'extension' | 'baseline' | 'floor' | 'over-floor', { native: SideHolds; hooked: SideHolds; title: string }> = {
  extension: { native: 'empty', hooked: 'ours', title: '' },
  baseline: { native: 'empty', hooked: 'empty', title: ' (baseline: the empty extension on both sides)' },
  floor: { native: 'empty', hooked: 'floor', title: ' (floor: on the hooked side, the least hooks, written by the page)' },
  'over-floor': { native: 'floor', hooked: 'ours', title: ' (over the floor: on the native side, the least hooks, written by the page)' },
};

/**
 * The calls of a round without the browser's stalls: for each block position, the interquartile
 * mean of that block over the rounds, summed. In Firefox a WebSocket send now and then waits on
 * the browser's own process (a block of 100 sends takes 0.2-0.5 ms, and 1-30 ms in about one block
 * in four, without the extension too), so a round's total is mostly how many stalls it met; the
 * hooks cost the same on every call. Positions are kept apart: the first blocks of a round are the
 * ones the rate limit lets in, recorded in full.
 */
function typicalCalls(rounds: Round[]): number {
  return typicalBlocks(rounds).reduce((a, b) => a + b, 0);
}

/** Each block position's typical time: the interquartile mean of that block over the rounds. */
function typicalBlocks(rounds: Round[]): number[] {
  return (rounds[0]?.blocks ?? []).map((_, k) => interquartileMean(rounds.map((r) => r.blocks[k]!)));
}

/** The share of blocks that took over three times their position's typical time. */
function stalled(rounds: Round[]): number {
  const typical = typicalBlocks(rounds);
  let slow = 0;
  typical.forEach((t, k) => (slow += rounds.filter((r) => r.blocks[k]! > 3 * t).length));
  return slow / (typical.length * rounds.length || 1);
}

type Side = 'native' | 'hooked';
type Got = Record<Side, Map<Part, Round[]>>;

/**
 * One launch's rounds, added to `got`. Native and hooked take turns round by round (which goes
 * first alternates), so that both meet the same load on a shared machine, 300 ms apart (so that
 * the hooked page's batches are sent before the other side's round); rounds of 200 a second apart
 * on each page, after a pause that lets the hooks' rate limit refill; the first rounds of each
 * part warm up.
 */
async function collect(got: Got, runs: Record<Side, Run>): Promise<void> {
  for (const part of ['post', 'paced', 'ws'] as const) {
    if (part === 'paced') await pause(4000);
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      const start = Date.now();
      const sides: Side[] = r % 2 === 0 ? ['native', 'hooked'] : ['hooked', 'native'];
      for (const side of sides) {
        const f = await runs[side](part);
        if (r >= WARMUP) got[side].set(part, [...(got[side].get(part) ?? []), f]);
        // The hooked page builds and sends its batches after a round: not during the other's.
        await pause(300);
      }
      if (part === 'paced') await pause(1000 - (Date.now() - start));
    }
  }
}

/**
 * Prints the interquartile means of each side's times and of the rounds' own ratios (hooked over
 * native in one round: robust to a machine whose speed drifts), and the calls without stalls
 * (typicalCalls); returns the worst of the ratios that judge the target: the calls without
 * stalls, and the round-by-round ratio of the times until delivered.
 */
function report(title: string, got: Got): number {
  const rounds = (side: Side, part: Part) => got[side].get(part) ?? [];
  const times = (side: Side, part: Part, k: 'calls' | 'heard') => rounds(side, part).map((f) => f[k]);
  // Each round's two sides ran 300 ms apart: their ratio is that of one moment of the machine.
  const pairedRatio = (part: Part, k: 'calls' | 'heard') => {
    const bare = times('native', part, k);
    return interquartileMean(times('hooked', part, k).map((y, i) => y / bare[i]!));
  };
  const rows: [string, Part, 'calls' | 'heard'][] = [
    [`${N} postMessage calls`, 'post', 'calls'],
    [`${N} postMessage, until all delivered`, 'post', 'heard'],
    [`${PACED} postMessage a second, until all delivered`, 'paced', 'heard'],
    [`${N} WebSocket send calls`, 'ws', 'calls'],
    [`${N} WebSocket sends, until all echoed`, 'ws', 'heard'],
  ];
  console.log(`\n${title}`);
  console.log('| measure | native (ms) | hooked (ms) | ratio of these | ratio, round by round | without stalls: native (ms) | hooked (ms) | ratio | blocks stalled: native | hooked |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let worst = 0;
  for (const [label, part, k] of rows) {
    const x = interquartileMean(times('native', part, k));
    const y = interquartileMean(times('hooked', part, k));
    const ratio = pairedRatio(part, k);
    const cells = [label, x.toFixed(2), y.toFixed(2), `${(y / x).toFixed(2)}x`, `${ratio.toFixed(2)}x`];
    if (k === 'calls') {
      const bare = typicalCalls(rounds('native', part));
      const hook = typicalCalls(rounds('hooked', part));
      const percent = (side: Side) => `${(stalled(rounds(side, part)) * 100).toFixed(0)}%`;
      cells.push(bare.toFixed(2), hook.toFixed(2), `${(hook / bare).toFixed(2)}x`, percent('native'), percent('hooked'));
      worst = Math.max(worst, hook / bare);
    } else {
      cells.push('', '', '', '', '');
      worst = Math.max(worst, ratio);
    }
    console.log(`| ${cells.join(' | ')} |`);
  }
  return worst;
}

/** What the background kept for the hooked tab: proof the hooks were on (the rate limit counts the rest of a flood). */
async function recorded(browser: ExtensionBrowser): Promise<string> {
  const control = await browser.openExtensionPage('panel.html');
  const records = await askBackgroundUntil(control, 'page-records', { tabId: await findTabId(control, url) }, (r) => r.messages.length > 0);
  return `${records.messages.length} messages and ${records.websockets[0]?.framesSent ?? 0} sent frames recorded, ${records.dropped.rejected} events dropped by the rate limit`;
}

/** A browser on the bench page, its round function defined, and how to run a round in it. */
async function start(name: BrowserName, { dir, floor }: Setup): Promise<{ browser: ExtensionBrowser; run: Run; version: string }> {
  if (name === 'chromium') {
    const browser = await launch('chromium', dir);
    const tab = await browser.open(url);
    // Playwright evaluates in the page's own world: it sees the hooks.
    const inPage = (source: string) => tab.evaluate((s: string) => (0, eval)(s), source);
    if (floor) await inPage(FLOOR);
    await inPage(define);
    const version = /Chrome\/(\d+)/.exec(await tab.evaluate(() => navigator.userAgent))?.[1] ?? '';
    return { browser, run: async (part) => (await inPage(script(part))) as Round, version: `Chromium ${version}` };
  }
  // Driven over Marionette as the e2e tests drive it. Its scripts run in a sandbox that sees the
  // page's natives, not the hooks: the measure runs as a page script, and hands back its figures
  // in the DOM.
  const browser = await launchFirefox(dir);
  // Firefox rounds performance.now() to the millisecond by default: too coarse for 200 messages.
  await browser.chromeScript("Services.prefs.setBoolPref('privacy.reduceTimerPrecision', false); return true;");
  const tab = await browser.open(url);
  if (floor) await pageScript(tab, FLOOR);
  await pageScript(tab, define);
  const run: Run = async (part) => {
    await tab.evaluate(() => delete document.documentElement.dataset.bench);
    await pageScript(tab, `${script(part)}.then((f) => { document.documentElement.dataset.bench = JSON.stringify(f); })`);
    await tab.waitFor(() => document.documentElement.dataset.bench !== undefined);
    return JSON.parse(await tab.evaluate(() => document.documentElement.dataset.bench!)) as Round;
  };
  return { browser, run, version: `Firefox ${await browser.chromeScript<string>('return Services.appinfo.version;')}` };
}

/**
 * The native side is the browser with an empty extension in ours' place (an extension's mere
 * presence is not the hooks' cost). A launch's browsers keep a bias of their own (the same browser
 * against itself, in one launch, reads up to 1.14x: run with --baseline), so the rounds are spread
 * over LAUNCHES launches, which side starts first alternating, and read together.
 */
async function measure(name: BrowserName, empty: string, ours: string): Promise<number> {
  const setupOf = (what: SideHolds): Setup => ({ dir: what === 'ours' ? ours : empty, floor: what === 'floor' });
  const setups: Record<Side, Setup> = { native: setupOf(SIDES[mode].native), hooked: setupOf(SIDES[mode].hooked) };
  const got: Got = { native: new Map(), hooked: new Map() };
  const loadBefore = loadavg()[0]!;
  const steal = stealMeter();
  let version = '';
  for (let l = 0; l < LAUNCHES; l++) {
    const order: Side[] = l % 2 === 0 ? ['native', 'hooked'] : ['hooked', 'native'];
    const started = {} as Record<Side, Awaited<ReturnType<typeof start>>>;
    for (const side of order) started[side] = await start(name, setups[side]);
    version = started.native.version;
    try {
      await collect(got, { native: started.native.run, hooked: started.hooked.run });
      if (setups.hooked.dir === ours) console.log(`${name}, launch ${l + 1}: ${await recorded(started.hooked.browser)}`);
    } finally {
      for (const side of order) await started[side].browser.close();
    }
  }
  const title = `${version}${SIDES[mode].title}: interquartile mean of ${ROUNDS * LAUNCHES} rounds over ${LAUNCHES} launches, native and hooked taking turns; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after; ${steal()}`;
  return report(title, got);
}

const args = process.argv.slice(2);
const only = args.find((a) => a === 'chromium' || a === 'firefox');
const mode = (['baseline', 'floor', 'over-floor'] as const).find((m) => args.includes(`--${m}`)) ?? 'extension';
const dist = process.env.ORIGIN_LENS_DIST;
// Empty extensions: Chromium's with a service worker, as ours has one (the launcher waits for it).
const empty = mkdtempSync(join(tmpdir(), 'ol-bench-empty-'));
mkdirSync(join(empty, 'chrome'));
writeFileSync(join(empty, 'chrome', 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'empty', version: '1', background: { service_worker: 'worker.js' } }));
writeFileSync(join(empty, 'chrome', 'worker.js'), '');
mkdirSync(join(empty, 'firefox'));
writeFileSync(join(empty, 'firefox', 'manifest.json'), JSON.stringify({ manifest_version: 2, name: 'empty', version: '1' }));
let worst = 0;
try {
  for (const name of ['chromium', 'firefox'] as const) {
    if (only && only !== name) continue;
    const folder = name === 'chromium' ? 'chrome' : 'firefox';
    worst = Math.max(worst, await measure(name, join(empty, folder), dist ? join(dist, folder) : EXTENSION_DIR[name]));
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
  await lab.close();
}
console.log(`worst ratio ${worst.toFixed(2)}x${mode === 'extension' ? ' (target ≤ 1.3x)' : ''}`);
