// The isolated bridge with its channel and the runtime faked: what it forwards of the MAIN
// world's batches, and how it counts what it refuses (events one by one, a batch whose events it
// could not count as a batch), told to the background with the next batch it sends.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePageEvents, serializeBatch, type PageEvent } from '../../../src/core/page/records';

const fake = vi.hoisted(() => ({ forward: null as ((json: string) => void) | null, sent: [] as string[] }));
vi.mock('webextension-polyfill', () => ({
  default: { runtime: { sendMessage: async (m: { batch: string }) => void fake.sent.push(m.batch) } },
}));
vi.mock('../../../src/content/channel', () => ({ acceptMainChannel: (f: (json: string) => void) => (fake.forward = f) }));
vi.mock('../../../src/content/load-errors', () => ({ watchLoadErrors: () => {} }));

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
    vi.useFakeTimers({ now: T, toFake: ['Date'] });
    await import('../../../src/content/bridge');
  });
  afterAll(() => {
    vi.useRealTimers();
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
});
