// The requests log in IndexedDB: what a series of writes leaves is what a worker restart gets back.
import { describe, expect, it } from 'vitest';
import { encodeRecords, replay, rewriteDue, type RequestChunk } from '../../../src/background/request-chunks';
import type { RequestRecord } from '../../../src/core/session/record';
import { syntheticRecords } from '../../support/records';

/** The chunks of one write of tab `tabId`, numbered from `n`. */
function chunks(tabId: number, n: number, records: RequestRecord[], removed: string[] = []): RequestChunk[] {
  const texts = encodeRecords(records);
  if (texts.length === 0) texts.push('[]');
  return texts.map((text, i) => ({ tabId, n: n + i, records: text, removed: i === 0 ? removed : [] }));
}

describe('request chunks', () => {
  it('give back judged records as they were written', () => {
    const records = syntheticRecords(20);
    const kept = replay(chunks(1, 0, records)).get(1)!;
    expect(kept.records).toEqual(JSON.parse(JSON.stringify(records)));
    expect(kept.records.map((r) => r.seq)).toEqual(records.map((r) => r.seq));
    expect(kept.entries).toBe(20);
  });

  it('split a large write into chunks of about half a megabyte, each a JSON array', () => {
    const records = syntheticRecords(3000);
    const texts = encodeRecords(records);
    const total = JSON.stringify(records).length;
    expect(texts.length).toBeGreaterThanOrEqual(Math.floor(total / (512 * 1024)));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts.slice(0, -1)) expect(text.length).toBeLessThanOrEqual(512 * 1024 + 2);
    expect(texts.flatMap((t) => JSON.parse(t) as RequestRecord[]).map((r) => r.id)).toEqual(records.map((r) => r.id));
  });

  it('replay writes in their order: a later version of a record wins, a removal drops it, records come back in seq order', () => {
    const [a, b, c] = syntheticRecords(3) as [RequestRecord, RequestRecord, RequestRecord];
    const log = [
      // Out of order on purpose: getAll returns them by [tabId, n], the replay must not depend on it.
      ...chunks(1, 7, [{ ...a, status: 204 }], [b.id]),
      ...chunks(1, 2, [c, b, a]),
      ...chunks(2, 5, [a]),
    ];
    const tabs = replay(log);
    expect(tabs.get(1)!.records.map((r) => [r.id, r.status])).toEqual([
      [a.id, 204],
      [c.id, c.status],
    ]);
    expect(tabs.get(1)!.entries).toBe(5);
    expect(tabs.get(2)!.records.map((r) => r.id)).toEqual([a.id]);
  });

  it('are rewritten once they hold far more entries than the tab has records', () => {
    expect(rewriteDue(2 * 50_000 + 1000, 50_000)).toBe(false);
    expect(rewriteDue(2 * 50_000 + 1001, 50_000)).toBe(true);
    expect(rewriteDue(1000, 0)).toBe(false);
  });
});
