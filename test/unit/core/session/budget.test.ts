import { describe, expect, it } from 'vitest';
import { enforceBudget, jsonSize } from '../../../../src/core/session/budget';
import type { NetEvent } from '../../../../src/core/net/events';
import { TabSession } from '../../../../src/core/session/session';
import { syntheticRecords } from '../../../support/records';

const T0 = Date.UTC(2026, 0, 1);

function request(tabId: number, id: string, time: number): NetEvent {
  return { kind: 'request', id, tabId, time, frameId: 0, parentFrameId: -1, url: `https://api.example/${id}`, method: 'GET', type: 'xmlhttprequest', initiator: 'https://app.example', documentUrl: null };
}

/** A tab's session holding `n` finished requests, the last one at `lastAt`. */
function session(tabId: number, n: number, lastAt: number): TabSession {
  const s = new TabSession(tabId, 'chromium', { maxRequests: 1000, preserveLog: false }, T0);
  for (let i = 0; i < n; i++) {
    const time = lastAt - (n - 1 - i);
    s.apply(request(tabId, `${tabId}-${i}`, time));
    s.apply({ kind: 'complete', id: `${tabId}-${i}`, tabId, time, status: 200, fromCache: false, ip: null });
  }
  s.takeChanges();
  return s;
}

const ids = (s: TabSession) => [...s.records()].map((r) => r.id);

describe('jsonSize', () => {
  it('is the length of the JSON text, without building it', () => {
    for (const r of syntheticRecords(40)) expect(jsonSize(r)).toBe(JSON.stringify(r).length);
    const odd = { a: undefined, b: [undefined, 1.5, null, true, -0, 1e21], c: 'sec-ch-ua: "Chromium";v="156" \\ \n\t\u0001\u000b', d: () => 1 };
    expect(jsonSize(odd)).toBe(JSON.stringify(odd).length);
  });
});

describe('the budget across tabs', () => {
  it('takes from tabs nobody inspects first, the one idle longest first, each from its oldest record', () => {
    const inspected = session(1, 4, T0 + 100);
    const recent = session(2, 4, T0 + 90);
    const idle = session(3, 4, T0 + 10);
    enforceBudget([inspected, recent, idle], { maxTotalRequests: 6, maxTotalBytes: Infinity }, (tabId) => tabId === 1);
    expect([ids(inspected), ids(recent), ids(idle)]).toEqual([['1-0', '1-1', '1-2', '1-3'], ['2-2', '2-3'], []]);
    expect([idle.droppedForBudget, recent.droppedForBudget, inspected.droppedForBudget]).toEqual([4, 2, 0]);
    expect([idle.dropped, recent.dropped]).toEqual([4, 2]);
    expect(recent.snapshotMeta()).toMatchObject({ dropped: 2, droppedForBudget: 2 });
    // The evictions reach the panel and storage like any other.
    expect(recent.takeChanges().removed).toEqual(['2-0', '2-1']);
  });

  it('takes from the inspected tabs last, oldest record first, when the others are not enough', () => {
    const inspected = session(1, 4, T0 + 100);
    const other = session(2, 2, T0 + 200);
    enforceBudget([inspected, other], { maxTotalRequests: 3, maxTotalBytes: Infinity }, (tabId) => tabId === 1);
    expect([ids(inspected), ids(other)]).toEqual([['1-1', '1-2', '1-3'], []]);
  });

  it('counts bytes as well as records, and does nothing within the budget', () => {
    const a = session(1, 10, T0 + 10);
    const b = session(2, 10, T0 + 20);
    const one = a.bytes / 10;
    enforceBudget([a, b], { maxTotalRequests: 20, maxTotalBytes: a.bytes + b.bytes }, () => false);
    expect([a.size, b.size]).toEqual([10, 10]);
    enforceBudget([a, b], { maxTotalRequests: 20, maxTotalBytes: a.bytes + b.bytes - 2.5 * one }, () => false);
    expect([a.size, b.size, a.droppedForBudget]).toEqual([7, 10, 3]);
    expect(a.bytes).toBeCloseTo(7 * one, -1);
  });

  it('keeps its counts across a worker restart, and forgets them on clear', () => {
    const s = session(1, 3, T0);
    s.shed(2, 0);
    const restored = new TabSession(1, 'chromium');
    restored.restore(s.snapshot());
    expect([restored.size, restored.bytes, restored.dropped, restored.droppedForBudget, restored.lastActive]).toEqual([1, s.bytes, 2, 2, T0]);
    restored.clear();
    expect([restored.size, restored.bytes, restored.dropped, restored.droppedForBudget]).toEqual([0, 0, 0, 0]);
  });
});
