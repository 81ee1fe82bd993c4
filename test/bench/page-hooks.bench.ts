// The cost of the page hooks, measured in real Chromium: the same page script times 2,000
// window.postMessage calls (the calls alone, and until every message was delivered to a
// listener) and 2,000 WebSocket sends (the calls, and until the lab echoed them all), once in a
// Chromium without the extension (native) and once with the built extension (hooked), side by
// side in one run. Target: a hooked call costs at most 2x a native one.
// Run: node build.mjs && node test/bench/run.mjs page-hooks   (ORIGIN_LENS_DIST=dir for another build)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLab } from '../lab/server.mjs';
import { CHROMIUM_PATH, chromiumFlags, launch } from '../e2e/browsers';
import { askBackgroundUntil, findTabId } from '../e2e/extension';

const N = 2000;
const ROUNDS = 9;
const PASSES = 2;

type Figures = { post: number; postDelivered: number; send: number; sendEchoed: number };

// Runs in the page (serialized): medians over ROUNDS of each measure, in ms.
async function measure(n: number, rounds: number, wsUrl: string): Promise<Figures> {
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const post: number[] = [];
  const postDelivered: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    let got = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const onMessage = (e: MessageEvent) => {
      if (e.data && e.data.kind === 'bench' && ++got === n) done();
    };
    window.addEventListener('message', onMessage);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) window.postMessage({ kind: 'bench', i, text: 'hello from the bench' }, '*');
    const t1 = performance.now();
    await all;
    const t2 = performance.now();
    window.removeEventListener('message', onMessage);
    if (r > 0) {
      // round 0 warms up
      post.push(t1 - t0);
      postDelivered.push(t2 - t0);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // let a hooked page flush its batches
  }
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve) => ws.addEventListener('open', resolve));
  const send: number[] = [];
  const sendEchoed: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    let got = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const onMessage = () => {
      if (++got === n) done();
    };
    ws.addEventListener('message', onMessage);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) ws.send(`hello from the bench ${i}`);
    const t1 = performance.now();
    await all;
    const t2 = performance.now();
    ws.removeEventListener('message', onMessage);
    if (r > 0) {
      send.push(t1 - t0);
      sendEchoed.push(t2 - t0);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  ws.close();
  return { post: median(post), postDelivered: median(postDelivered), send: median(send), sendEchoed: median(sendEchoed) };
}

const lab = await startLab();
const url = `${lab.origins.app}/page/bench.html`;
const wsUrl = `${lab.origins.other.replace('http', 'ws')}/ws`;
const script = `(${measure.toString()})(${N}, ${ROUNDS}, ${JSON.stringify(wsUrl)})`;

const profile = mkdtempSync(join(tmpdir(), 'ol-bench-native-'));
const plain = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumFlags(null) });
const nativePage = await plain.newPage();
await nativePage.goto(url);
const dist = process.env.ORIGIN_LENS_DIST ? join(process.env.ORIGIN_LENS_DIST, 'chrome') : undefined;
const hooked = await launch('chromium', dist);
const hookedTab = await hooked.open(url);
const runs: { native: Figures[]; hooked: Figures[] } = { native: [], hooked: [] };
for (let p = 0; p < PASSES; p++) {
  runs.native.push((await nativePage.evaluate(script)) as Figures);
  runs.hooked.push((await hookedTab.evaluate((s: string) => (0, eval)(s), script)) as Figures);
}
// Proof the hooks were on: what the background kept for the hooked tab (the bridge's rate limit
// drops the rest of a flood on purpose, and counts it).
const control = await hooked.openExtensionPage('panel.html');
const records = await askBackgroundUntil(control, 'page-records', { tabId: await findTabId(control, url) }, (r) => r.messages.length > 0);
await plain.close();
rmSync(profile, { recursive: true, force: true });
await hooked.close();
await lab.close();

const best = (list: Figures[], k: keyof Figures) => Math.min(...list.map((f) => f[k]));
const rows: [string, keyof Figures][] = [
  [`${N} postMessage calls`, 'post'],
  [`${N} postMessage, until all delivered`, 'postDelivered'],
  [`${N} WebSocket send calls`, 'send'],
  [`${N} WebSocket sends, until all echoed`, 'sendEchoed'],
];
console.log(`Chromium ${plain.browser()?.version() ?? ''}: median of ${ROUNDS} rounds, best of ${PASSES} passes`);
console.log('| measure | native (ms) | hooked (ms) | ratio |');
console.log('| --- | ---: | ---: | ---: |');
let worst = 0;
for (const [label, k] of rows) {
  const a = best(runs.native, k);
  const b = best(runs.hooked, k);
  worst = Math.max(worst, b / a);
  console.log(`| ${label} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)}x |`);
}
console.log(`hooked tab: ${records.messages.length} messages and ${records.websockets[0]?.framesSent ?? 0} sent frames recorded, ${records.dropped.rejected} events dropped by the rate limit`);
console.log(`worst ratio ${worst.toFixed(2)}x (target ≤ 2x)`);
