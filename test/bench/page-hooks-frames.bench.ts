// The page hooks' own cost per message, paired finely: one page (no extension) holds two
// same-origin about:blank frames, and the built MAIN-world bundle is evaluated in one of them as
// the extension runs it at document_start (its handshake answered as the bridge does), so both
// frames share one thread, one engine and one load. Rounds of 200 window.postMessage (until a
// listener heard them all) take turns between the frames, each frame's rounds a second apart (the
// hooks' rate limit keeps them all recorded). Prints the interquartile means, their ratio, and
// that of the paired differences per message: what the hooks cost, in µs. It leaves out what only
// the whole extension does (the bridge, the background), and measures a frame, not a top window:
// the 1.3x target is the whole extension's, in page-hooks.bench.ts.
// Run: node build.mjs && node test/bench/run.mjs page-hooks-frames [-- chromium|firefox]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { HELLO } from '../../src/content/handshake';
import { startLab } from '../lab/server.mjs';
import { CHROMIUM_PATH, EXTENSION_DIR, chromiumFlags, launchFirefox, type BrowserName } from '../e2e/browsers';
import { pageScript } from './page-script';
import { interquartileMean } from './stats';

const N = 200;
const ROUNDS = 31;
const WARMUP = 2;

type Rounds = { calls: number[]; heard: number[] }[];

// Runs in the page: makes the two frames (the second with the hooks) and their round function.
function setup(bundle: string, hello: string, n: number): void {
  const frames: Window[] = [];
  for (const hooked of [false, true]) {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const w = frame.contentWindow as Window & { eval(s: string): unknown; CustomEvent: typeof CustomEvent };
    if (hooked) {
      w.eval(bundle);
      w.dispatchEvent(new w.CustomEvent(hello, { detail: '0123456789abcdef0123456789abcdef' }));
    }
    w.eval(`window.benchRound = () => new Promise((resolve) => {
      let got = 0;
      const onMessage = (e) => {
        const d = e.data;
        if (d && d.kind === 'bench' && ++got === ${n}) {
          window.removeEventListener('message', onMessage);
          resolve([t1 - t0, performance.now() - t0]);
        }
      };
      window.addEventListener('message', onMessage);
      const t0 = performance.now();
      for (let i = 0; i < ${n}; i++) window.postMessage({ kind: 'bench', i, text: 'hello from the bench' }, '*');
      const t1 = performance.now();
    })`);
    frames.push(w);
  }
  (window as unknown as { benchFrames: Window[] }).benchFrames = frames;
}

// Runs in the page: the rounds, taking turns between the frames; resolves with their times.
async function rounds(count: number, warmup: number): Promise<string> {
  const frames = (window as unknown as { benchFrames: (Window & { benchRound(): Promise<[number, number]> })[] }).benchFrames;
  const out = frames.map(() => ({ calls: [] as number[], heard: [] as number[] }));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let r = 0; r < warmup + count; r++) {
    const start = performance.now();
    for (const i of r % 2 ? [1, 0] : [0, 1]) {
      const [calls, heard] = await frames[i]!.benchRound();
      if (r >= warmup) {
        out[i]!.calls.push(calls);
        out[i]!.heard.push(heard);
      }
      // Lets the hooked frame build its batch before the other frame's round.
      await pause(100);
    }
    await pause(Math.max(0, 1000 - (performance.now() - start)));
  }
  return JSON.stringify(out);
}

async function measure(name: BrowserName, url: string): Promise<Rounds> {
  const bundle = readFileSync(join(EXTENSION_DIR[name], 'content-main.js'), 'utf8');
  const setupJs = `(${setup.toString()})(${JSON.stringify(bundle)}, ${JSON.stringify(HELLO)}, ${N})`;
  const roundsJs = `(${rounds.toString()})(${ROUNDS}, ${WARMUP})`;
  if (name === 'chromium') {
    const profile = mkdtempSync(join(tmpdir(), 'ol-bench-frames-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumFlags(null) });
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.evaluate(setupJs);
      return JSON.parse((await page.evaluate(roundsJs)) as string) as Rounds;
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  const firefox = await launchFirefox(null);
  try {
    await firefox.chromeScript("Services.prefs.setBoolPref('privacy.reduceTimerPrecision', false); return true;");
    const tab = await firefox.open(url);
    await pageScript(tab, setupJs);
    await pageScript(tab, `${roundsJs}.then((r) => { document.documentElement.dataset.rounds = r; })`);
    // The rounds take longer than one wait of the page's.
    for (;;) {
      const done = await tab.evaluate(() => document.documentElement.dataset.rounds ?? null);
      if (done) return JSON.parse(done) as Rounds;
      await tab.waitFor(() => document.documentElement.dataset.rounds).catch(() => null);
    }
  } finally {
    await firefox.close();
  }
}

const only = process.argv[2];
const lab = await startLab();
const url = `${lab.origins.app}/page/bench.html`;
const mean = interquartileMean;
console.log(`${ROUNDS} rounds of ${N} postMessage a second, until delivered; frames taking turns; interquartile means`);
console.log('| browser | native calls (ms) | hooked calls (ms) | native until delivered (ms) | hooked until delivered (ms) | ratio | hooks per message: call | until delivered |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of ['chromium', 'firefox'] as const) {
  if (only && only !== name) continue;
  const loadBefore = loadavg()[0]!;
  const [bare, hooked] = await measure(name, url);
  const extra = (k: 'calls' | 'heard') => (mean(hooked![k].map((v, i) => v - bare![k][i]!)) * 1000) / N;
  const ratio = mean(hooked!.heard) / mean(bare!.heard);
  console.log(
    `| ${name} | ${mean(bare!.calls).toFixed(3)} | ${mean(hooked!.calls).toFixed(3)} | ${mean(bare!.heard).toFixed(3)} | ${mean(hooked!.heard).toFixed(3)} | ${ratio.toFixed(2)}x | +${extra('calls').toFixed(2)} µs | +${extra('heard').toFixed(2)} µs |`,
  );
  console.log(`  (load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after)`);
}
await lab.close();
