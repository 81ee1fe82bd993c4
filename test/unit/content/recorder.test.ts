// The MAIN world's recorder, on a page whose clock, idle periods and timers the test drives: it
// posts fewer batches a second than the bridge forwards (the bridge drops the rest whole), and
// what it holds back is posted later, not lost.
import { buildSync } from 'esbuild';
import { Window } from 'happy-dom';
import { runInContext } from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import type { MainChannel } from '../../../src/content/channel';
import type { Thunk } from '../../../src/content/recorder';
import { MAX_BATCHES_PER_SECOND } from '../../../src/content/rate-limit';
import { parsePageEvents } from '../../../src/core/page/records';

// Installed before the recorder saves the page's natives, so that it takes these.
const DRIVEN = `
  window.clock = 1800000000000;
  Date.now = () => window.clock;
  window.idle = [];
  window.requestIdleCallback = (fn) => window.idle.push(fn);
  window.timers = [];
  window.setTimeout = (fn, ms) => window.timers.push({ fn, at: window.clock + ms });
`;

type Page = Window & { clock: number; idle: (() => void)[]; timers: { fn: () => void; at: number }[] };

let window: Page | null = null;
afterEach(async () => {
  await window?.happyDOM.close();
});

function openRecorder() {
  window = new Window({ url: 'https://app.example/' }) as unknown as Page;
  runInContext(DRIVEN, window);
  const source = buildSync({
    stdin: { contents: "export { Recorder } from './src/content/recorder';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'browser',
  }).outputFiles[0]!.text;
  const module = { exports: {} as { Recorder: new (channel: MainChannel) => { push(thunk: Thunk): void } } };
  (runInContext(`(function (module, exports) {${source}\n})`, window) as (m: typeof module, e: object) => void)(module, module.exports);
  const posts: { at: number; events: number }[] = [];
  const page = window;
  const channel: MainChannel = { post: (json) => void posts.push({ at: page.clock, events: parsePageEvents(json).events.length }), isHandoff: () => false, connected: true };
  return { page, posts, rec: new module.exports.Recorder(channel) };
}

it('posts fewer batches a second than the bridge forwards, and every event in the end', () => {
  const { page, posts, rec } = openRecorder();
  // Runs the idle callbacks waiting, then the timers due by `until`.
  const runUntil = (until: number) => {
    page.clock = until;
    for (const fn of page.idle.splice(0)) fn();
    for (let due = page.timers.filter((t) => t.at <= until); due.length; due = page.timers.filter((t) => t.at <= until)) {
      page.timers = page.timers.filter((t) => !due.includes(t));
      for (const t of due) t.fn();
    }
  };
  const start = page.clock;
  // An event every 10 ms for two seconds, each in an idle period of its own.
  for (let i = 0; i < 200; i++) {
    rec.push(() => ({ k: 'worker', kind: 'dedicated', t: page.clock, url: 'https://app.example/worker.js' }));
    runUntil(start + i * 10);
  }
  for (let t = start + 2000; page.idle.length || page.timers.length; t += 100) runUntil(t);
  const busiestSecond = Math.max(...posts.map((p) => posts.filter((q) => q.at >= p.at && q.at < p.at + 1000).length));
  expect(busiestSecond).toBeLessThan(MAX_BATCHES_PER_SECOND);
  expect(posts.reduce((n, p) => n + p.events, 0)).toBe(200);
});
