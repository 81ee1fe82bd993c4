// What Origin Lens's background costs a request-heavy page, against the floor any observer
// pays. One run, one browser (Chromium, or Firefox with `--browser firefox`), three
// configurations, each with a fresh profile, launched once and warmed up once: (a) no extension,
// (b) the bare observer (test/bench/observer: the same webRequest listeners as
// src/background/platform.ts registers in that browser, with extraHeaders in Chromium, that only
// count), (c) the built Origin Lens (dist/chrome or dist/firefox). Every round loads
// test/lab/page/burst.html in each configuration, in a rotating order (interleaved, to cancel
// drift): the page fires N cross-origin fetches to the api origin, 6 in flight, and times first
// start to last completion itself (performance.now()); the driver awaits the page's own promise,
// never a sleep. Origin Lens is then waited on until its background has applied and stored the
// round (its "settled" status), so that its batch work does not land in the next
// configuration's round. Browser specifics are in page-cost/chromium.ts and page-cost/firefox.ts.
// Target: Origin Lens at most 1.10x the bare observer.
// Run: node build.mjs && node test/bench/run.mjs page-cost [-- --browser firefox]
// Knobs: PAGE_COST_ROUNDS (default 15), PAGE_COST_N (500), ORIGIN_LENS_DIST=dir (another build's
// dist, whose chrome/ or firefox/ is used), PAGE_COST_EXTRA="label=dir,..." (more unpacked
// extensions to compare, e.g. observer variants or debug builds while profiling).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../lab/server.mjs';
import { EXTENSION_DIR, root } from '../e2e/browsers';
import { chromiumLauncher } from './page-cost/chromium';
import { firefoxLauncher } from './page-cost/firefox';
import type { Config, Running } from './page-cost/launcher';

const N = Number(process.env.PAGE_COST_N ?? 500);
const ROUNDS = Number(process.env.PAGE_COST_ROUNDS ?? 15);
const CONCURRENCY = 6;
const TARGET = 1.1;

const browserArg = process.argv.indexOf('--browser');
const browserName = browserArg < 0 ? 'chromium' : process.argv[browserArg + 1];
if (browserName !== 'chromium' && browserName !== 'firefox') {
  console.error(`page-cost: unknown browser "${browserName}" (use chromium or firefox)`);
  process.exit(64);
}
const launcher = browserName === 'chromium' ? chromiumLauncher : firefoxLauncher;

const configs: Config[] = [
  { key: 'none', label: 'no extension', dir: null, originLens: false },
  { key: 'observer', label: 'bare observer', dir: join(root, 'test', 'bench', 'observer'), originLens: false },
  {
    key: 'originLens',
    label: 'Origin Lens',
    dir: process.env.ORIGIN_LENS_DIST ? launcher.originLensDir(process.env.ORIGIN_LENS_DIST) : EXTENSION_DIR[browserName],
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

/** Proof a configuration's extension saw the traffic of the last load: Origin Lens's records, the observer's counts. */
async function seen(r: Running, url: string): Promise<string | null> {
  if (!r.config.dir) return null;
  if (r.config.originLens) {
    const records = (await r.session(url))?.records ?? [];
    const allowed = records.filter((x) => x.crossOrigin && x.verdict?.outcome === 'allowed').length;
    const judged = records.filter((x) => x.cookies !== undefined).length;
    return `${r.config.label}: ${records.length} records for the last load, ${allowed} cross-origin allowed, ${judged} with a cookie verdict`;
  }
  const counts = await r.counts();
  return `${r.config.label}: ${counts ? Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') : 'no counts'}`;
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
const times = new Map<Running, number[]>();
let version = '';
try {
  for (const config of configs) {
    const r = await launcher.start(config);
    running.push(r);
    times.set(r, []);
    version ||= await r.version().catch(() => '');
    // Warm-up: connection set-up, code caches, the extension's first batch.
    const warm = await r.round(url);
    if (warm.ok !== N) throw new Error(`${config.label}: warm-up got ${warm.ok}/${N} ok answers (${warm.failed} failed)`);
  }
  const cpuBefore = new Map<Running, Record<string, number>>();
  for (const r of running) if (r.cpu) cpuBefore.set(r, await r.cpu());
  for (let i = 0; i < ROUNDS; i++) {
    // A rotating order: every configuration runs first, second and last about as often.
    for (let j = 0; j < running.length; j++) {
      const r = running[(i + j) % running.length]!;
      const result = await r.round(url);
      if (result.ok !== N) throw new Error(`${r.config.label}: round ${i} got ${result.ok}/${N} ok answers`);
      times.get(r)!.push(result.ms);
    }
  }

  const lines: string[] = [];
  for (const r of running) {
    const line = await seen(r, url);
    if (line) lines.push(line);
  }
  const heaps = new Map<Running, { used: number; afterGc: number } | null>();
  for (const r of running) if (r.heap) heaps.set(r, await r.heap().catch(() => null));
  // CPU per load, the settled waits included: the background's deferred work counts too.
  const cpuPerLoad = new Map<Running, (kind: string) => number>();
  for (const [r, before] of cpuBefore) {
    const after = await r.cpu!();
    cpuPerLoad.set(r, (kind) => ((after[kind] ?? 0) - (before[kind] ?? 0)) / ROUNDS);
  }

  const med = new Map(running.map((r) => [r.config.key, median(times.get(r)!)]));
  const fmt = (x: number) => x.toFixed(1);
  const mb = (x: number) => (x / 1024 / 1024).toFixed(1);
  const withHeap = heaps.size > 0;
  const withCpu = cpuPerLoad.size > 0;
  const CPU_KINDS = ['web', 'extension', 'parent'];
  console.log(
    `${launcher.name} ${version}, ${N} cross-origin fetches per load (${CONCURRENCY} in flight), ${ROUNDS} interleaved rounds after 1 warm-up; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const heading = ['configuration', 'median (ms)', 'min', 'max'];
  if (withHeap) heading.push('worker JS heap after the run (MB, after GC)');
  if (withCpu) heading.push(...CPU_KINDS.map((k) => `CPU per load, ${k} process (ms)`));
  console.log(`| ${heading.join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(heading.length - 1)}`);
  for (const r of running) {
    const ms = times.get(r)!;
    const cells = [r.config.label, fmt(med.get(r.config.key)!), fmt(Math.min(...ms)), fmt(Math.max(...ms))];
    const heap = heaps.get(r);
    if (withHeap) cells.push(heap ? `${mb(heap.used)} (${mb(heap.afterGc)})` : '–');
    const cpu = cpuPerLoad.get(r);
    if (withCpu) cells.push(...CPU_KINDS.map((k) => (cpu ? fmt(cpu(k)) : '–')));
    console.log(`| ${cells.join(' | ')} |`);
  }
  const none = med.get('none')!;
  const observer = med.get('observer')!;
  const lens = med.get('originLens')!;
  console.log(`Origin Lens / bare observer:  ${(lens / observer).toFixed(2)}x  (target ≤ ${TARGET.toFixed(2)}x: ${lens / observer <= TARGET ? 'met' : 'NOT met'})`);
  console.log(`bare observer / no extension: ${(observer / none).toFixed(2)}x`);
  console.log(`Origin Lens / no extension:   ${(lens / none).toFixed(2)}x`);
  for (const r of running.slice(3)) console.log(`${r.config.label} / bare observer: ${(med.get(r.config.key)! / observer).toFixed(2)}x`);
  for (const line of lines) console.log(line);
  console.log(`per round (ms): ${running.map((r) => `${r.config.label} [${times.get(r)!.map(fmt).join(', ')}]`).join('; ')}`);
  console.log(`took ${((Date.now() - began) / 1000).toFixed(0)} s`);
} finally {
  for (const r of running) await r.close().catch(() => undefined);
  await lab.close();
}
