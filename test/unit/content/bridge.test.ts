// The isolated bridge with its channel, the runtime and the page's window faked: what it forwards
// of the MAIN world's batches and of the failed loads it sees itself, and how it counts what it
// refuses (events one by one, a batch whose events it could not count as a batch), told to the
// background with the next batch it sends.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOAD_ERROR_WINDOW_MS, MAX_BATCHES_PER_SECOND } from '../../../src/content/rate-limit';
import { LIMITS, parsePageEvents, serializeBatch, type PageEvent } from '../../../src/core/page/records';

const fake = vi.hoisted(() => ({ forward: null as ((json: string) => void) | null, sent: [] as string[] }));
vi.mock('webextension-polyfill', () => ({
  default: { runtime: { sendMessage: async (m: { batch: string }) => void fake.sent.push(m.batch) } },
}));
vi.mock('../../../src/content/channel', () => ({ acceptMainChannel: (f: (json: string) => void) => (fake.forward = f) }));
// The window's listeners (the bridge's are capture listeners on it) and its visibility.
const page = vi.hoisted(() => ({ listeners: new Map<string, (event: object) => void>(), hidden: false }));

const T = Date.UTC(2026, 0, 1);
const open: PageEvent = { k: 'ws-open', sid: 1, t: T };

/** Forwards `json` and gives back the events the bridge sent for it (none: nothing was sent). */
function forward(json: string): PageEvent[] {
  fake.sent.length = 0;
  fake.forward!(json);
  return fake.sent.flatMap((b) => parsePageEvents(b).events);
}

describe('the bridge', () => {
  beforeAll(async () => {
    vi.useFakeTimers({ now: T, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.stubGlobal('self', { origin: 'https://app.example' });
    vi.stubGlobal('addEventListener', (type: string, listener: (event: object) => void) => page.listeners.set(type, listener));
    vi.stubGlobal('document', { get visibilityState() { return page.hidden ? 'hidden' : 'visible'; } });
    await import('../../../src/content/bridge');
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('forwards valid events and the page world\'s own count of what it dropped', () => {
    expect(forward(serializeBatch([open, { k: 'dropped', n: 5 }]))).toEqual([{ k: 'dropped', n: 5 }, open]);
  });

  it('counts a batch it could not read as a batch, and one of another version by its events', () => {
    expect(forward('not json')).toEqual([{ k: 'dropped', n: 0, batches: 1 }]);
    expect(forward(JSON.stringify({ v: 2, events: [open, open, open] }))).toEqual([{ k: 'dropped', n: 3 }]);
    expect(forward(serializeBatch([open, { k: 'evil' } as unknown as PageEvent]))).toEqual([{ k: 'dropped', n: 1 }, open]);
  });

  it('counts each batch over its rate as a batch, told with the first batch of the next second', () => {
    vi.setSystemTime(T + 10_000);
    for (let i = 0; i < 20; i++) expect(forward(serializeBatch([open]))).toEqual([open]);
    expect(forward(serializeBatch([open]))).toEqual([]);
    expect(forward(serializeBatch([open]))).toEqual([]);
    vi.setSystemTime(T + 11_000);
    expect(forward(serializeBatch([open]))).toEqual([{ k: 'dropped', n: 0, batches: 2 }, open]);
  });

  /** The error events the browser fires for `n` failed http: images, one task each. */
  function failImages(n: number, from = 0): void {
    for (let i = from; i < from + n; i++) page.listeners.get('error')!({ target: { localName: 'img', src: `http://img.example/${i}.png`, currentSrc: '' }, isTrusted: true });
  }
  const sentEvents = () => fake.sent.flatMap((b) => parsePageEvents(b).events);
  const urls = (events: PageEvent[]) => events.flatMap((e) => (e.k === 'load-error' ? [e.url] : []));
  const numbered = (from: number, n: number) => Array.from({ length: n }, (_, i) => `http://img.example/${from + i}.png`);
  /** Ten seconds on (what earlier tests left waiting has run, the rates are full again), nothing sent yet. */
  function later(): void {
    vi.advanceTimersByTime(10_000);
    fake.sent.length = 0;
  }

  it.each([
    [50, 1],
    [500, 2],
  ])('forwards %i failed loads that come close together in order, in %i batches, one per window', (n, batches) => {
    later();
    failImages(n);
    for (let i = 1; i <= batches; i++) {
      expect(fake.sent).toHaveLength(i - 1);
      vi.advanceTimersByTime(LOAD_ERROR_WINDOW_MS);
    }
    expect(fake.sent).toHaveLength(batches);
    expect(urls(sentEvents())).toEqual(numbered(0, n));
  });

  it('counts a failed load whose URL is longer than it reads, with the others of its batch', () => {
    later();
    failImages(1);
    page.listeners.get('error')!({ target: { localName: 'script', src: `http://img.example/${'x'.repeat(LIMITS.maxUrl)}`, currentSrc: '' }, isTrusted: true });
    failImages(1, 1);
    vi.advanceTimersByTime(LOAD_ERROR_WINDOW_MS);
    expect(sentEvents()[0]).toEqual({ k: 'dropped', n: 1 });
    expect(urls(sentEvents())).toEqual(numbered(0, 2));
  });

  it("counts failed loads one by one when the MAIN world's batches fill the second", () => {
    later();
    for (let i = 0; i < MAX_BATCHES_PER_SECOND; i++) forward(serializeBatch([open]));
    fake.sent.length = 0;
    failImages(3);
    vi.advanceTimersByTime(LOAD_ERROR_WINDOW_MS);
    expect(fake.sent).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(sentEvents()).toEqual([{ k: 'dropped', n: 3 }]);
  });

  it('sends the failed loads waiting when the document is hidden or on pagehide, not on events the page dispatches', () => {
    later();
    failImages(5);
    page.listeners.get('pagehide')!({ isTrusted: false });
    page.listeners.get('visibilitychange')!({ isTrusted: true });
    expect(fake.sent).toEqual([]);
    page.hidden = true;
    page.listeners.get('visibilitychange')!({ isTrusted: true });
    expect(urls(sentEvents())).toEqual(numbered(0, 5));
    later();
    failImages(450);
    page.listeners.get('pagehide')!({ isTrusted: true });
    expect(fake.sent).toHaveLength(1);
    const events = sentEvents();
    expect(events[0]).toEqual({ k: 'dropped', n: 450 - 399 });
    expect(urls(events)).toEqual(numbered(0, 399));
  });
});
