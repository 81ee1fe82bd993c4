// The MAIN world's recorder, on a page whose clock, idle periods and timers the test drives: it
// posts fewer batches a second than the bridge forwards (the bridge drops the rest whole), and
// what it holds back is posted later, not lost; on pagehide and when the document is hidden it
// posts what waits at once, within what the bridge forwards.
import { buildSync } from 'esbuild';
import { Window } from 'happy-dom';
import { runInContext } from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import type { MainChannel } from '../../../src/content/channel';
import type { Thunk } from '../../../src/content/recorder';
import { MAX_BATCHES_PER_SECOND } from '../../../src/content/rate-limit';
import { parsePageEvents, type PageEvent } from '../../../src/core/page/records';

// Installed before the recorder saves the page's natives, so that it takes these.
const DRIVEN = `
  window.clock = 1800000000000;
  Date.now = () => window.clock;
  window.idle = [];
  window.requestIdleCallback = (fn) => window.idle.push(fn);
  window.timers = [];
  window.setTimeout = (fn, ms) => window.timers.push({ fn, at: window.clock + ms });
  // What happy-dom lacks or fixes: events the browser dispatches (isTrusted), a hidden document.
  const browserMade = new WeakSet();
  Object.defineProperty(Event.prototype, 'isTrusted', { get() { return browserMade.has(this); }, configurable: true });
  window.browserEvent = (target, type) => {
    const e = new Event(type, { bubbles: true });
    browserMade.add(e);
    target.dispatchEvent(e);
  };
  window.hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { get() { return window.hidden ? 'hidden' : 'visible'; }, configurable: true });
`;

type Page = Window & {
  clock: number;
  idle: (() => void)[];
  timers: { fn: () => void; at: number }[];
  hidden: boolean;
  browserEvent(target: { dispatchEvent(e: never): unknown }, type: string): void;
};

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
  const posts: { at: number; events: number; json: string }[] = [];
  const page = window;
  const channel: MainChannel = { post: (json) => void posts.push({ at: page.clock, events: parsePageEvents(json).events.length, json }), isHandoff: () => false, connected: true };
  return { page, posts, rec: new module.exports.Recorder(channel) };
}

const event = (page: Page) => (): PageEvent => ({ k: 'worker', kind: 'dedicated', t: page.clock, url: 'https://app.example/worker.js' });

/** Runs the idle callbacks waiting, then the timers due by `until`. */
function runUntil(page: Page, until: number) {
  page.clock = until;
  for (const fn of page.idle.splice(0)) fn();
  for (let due = page.timers.filter((t) => t.at <= until); due.length; due = page.timers.filter((t) => t.at <= until)) {
    page.timers = page.timers.filter((t) => !due.includes(t));
    for (const t of due) t.fn();
  }
}

/** From `from` on, 100 ms at a time, until nothing is left to run. */
function runAll(page: Page, from: number) {
  for (let t = from; page.idle.length || page.timers.length; t += 100) runUntil(page, t);
}

/** Queues `n` events in a busy page (no idle time, no timer runs), 2 ms apart (within the rate). */
function queue(page: Page, rec: { push(thunk: Thunk): void }, n: number) {
  for (let i = 0; i < n; i++) {
    rec.push(event(page));
    page.clock += 2;
  }
}

/** Lets the page be idle ten times in a second: the recorder posts a batch each time, the most it posts in one. */
function postTen(page: Page, posts: unknown[]) {
  const before = posts.length;
  for (let i = 0; i < 10; i++) runUntil(page, page.clock + 50);
  expect(posts.length - before).toBe(10);
}

/** What the bridge makes of `posts` (bridge.ts): the events it forwards, and those it counts, by event and by batch. */
function bridged(posts: { at: number; json: string }[]) {
  let windowStart = -Infinity;
  let inWindow = 0;
  const out = { forwarded: 0, counted: 0, batchesCounted: 0 };
  for (const p of posts) {
    if (p.at - windowStart >= 1000) {
      windowStart = p.at;
      inWindow = 0;
    }
    if (++inWindow > MAX_BATCHES_PER_SECOND) {
      out.batchesCounted++;
      continue;
    }
    const { events, rejected, rejectedBatches } = parsePageEvents(p.json);
    for (const e of events) {
      if (e.k === 'dropped') out.counted += e.n;
      else out.forwarded++;
    }
    out.counted += rejected;
    out.batchesCounted += rejectedBatches;
  }
  return out;
}

it('posts fewer batches a second than the bridge forwards, and every event in the end', () => {
  const { page, posts, rec } = openRecorder();
  const start = page.clock;
  // An event every 10 ms for two seconds, each in an idle period of its own.
  for (let i = 0; i < 200; i++) {
    rec.push(event(page));
    runUntil(page, start + i * 10);
  }
  runAll(page, start + 2000);
  const busiestSecond = Math.max(...posts.map((p) => posts.filter((q) => q.at >= p.at && q.at < p.at + 1000).length));
  expect(busiestSecond).toBeLessThan(MAX_BATCHES_PER_SECOND);
  expect(posts.reduce((n, p) => n + p.events, 0)).toBe(200);
});

it('on pagehide, posts 4,500 waiting events within what the bridge forwards: each is forwarded', () => {
  const { page, posts, rec } = openRecorder();
  queue(page, rec, 4500);
  page.browserEvent(page, 'pagehide');
  expect(bridged(posts)).toEqual({ forwarded: 4500, counted: 0, batchesCounted: 0 });
});

it('on pagehide after a busy second, posts what the bridge still forwards and counts the rest in the last batch', () => {
  const { page, posts, rec } = openRecorder();
  queue(page, rec, 4500);
  postTen(page, posts);
  page.browserEvent(page, 'pagehide');
  const seen = bridged(posts);
  expect(seen.forwarded + seen.counted).toBe(4500);
  expect(seen.batchesCounted).toBe(0);
  expect(seen.counted).toBeGreaterThan(0);
});

it('ignores a pagehide the page dispatches itself: nothing waiting is counted as dropped', () => {
  const { page, posts, rec } = openRecorder();
  queue(page, rec, 500);
  page.dispatchEvent(new page.Event('pagehide'));
  expect(posts).toEqual([]);
});

it('posts what waits when the document becomes hidden, without idle time, and keeps what does not fit for later', () => {
  const { page, posts, rec } = openRecorder();
  queue(page, rec, 4500);
  postTen(page, posts);
  page.browserEvent(page.document, 'visibilitychange');
  expect(posts).toHaveLength(10);
  page.hidden = true;
  page.browserEvent(page.document, 'visibilitychange');
  const drained = bridged(posts);
  expect(drained).toEqual({ forwarded: drained.forwarded, counted: 0, batchesCounted: 0 });
  expect(drained.forwarded).toBeGreaterThan(2000);
  expect(drained.forwarded).toBeLessThan(4500);
  runAll(page, page.clock);
  expect(bridged(posts)).toEqual({ forwarded: 4500, counted: 0, batchesCounted: 0 });
});
