import { describe, expect, it } from 'vitest';
import { readLogFile } from '../../../src/core/log/log-file';
import { toSessionLog, type SessionLog } from '../../../src/core/log/session-log';
import type { RequestRecord } from '../../../src/core/session/record';
import { DEFAULT_FILTER, RecordFilter } from '../../../src/panel/filter';
import { SessionModel } from '../../../src/panel/model';
import { messageRecord, syntheticRecords } from '../../support/records';

const NO_DROPS = { messages: 0, websockets: 0, requests: 0, rejected: 0 };

function snapshot(records: RequestRecord[]) {
  return {
    type: 'snapshot' as const,
    session: { tabId: 1, pageUrl: 'https://app.example/', startedAt: 0, records, navigations: [], dropped: 0 },
    preserveLog: false,
    page: { tabId: 1, messages: [], websockets: [], requests: [], dropped: NO_DROPS },
    storageFull: false,
  };
}

const update = (over: { updated?: RequestRecord[]; removed?: string[]; reset?: boolean; dropped?: number; droppedForBudget?: number; storageFull?: boolean }) => ({
  type: 'update' as const,
  reset: over.reset ?? false,
  updated: over.updated ?? [],
  removed: over.removed ?? [],
  dropped: over.dropped ?? 0,
  droppedForBudget: over.droppedForBudget ?? 0,
  pageUrl: 'https://app.example/',
  storageFull: over.storageFull ?? false,
});

const message = (id: string, dataPreview: string) => messageRecord({ id, dataPreview });

describe('SessionModel', () => {
  it('puts a snapshot in arrival order, whatever order it came in', () => {
    const model = new SessionModel();
    model.apply(snapshot(syntheticRecords(6).reverse()));
    expect(model.records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(model.get('r3')?.method).toBe('PUT');
  });

  it('replaces an updated record in place and appends new ones, keeping every position', () => {
    const model = new SessionModel();
    const [a, b, c, d] = syntheticRecords(4);
    model.apply(snapshot([a!, b!, c!]));
    const before = model.version;
    model.apply(update({ updated: [{ ...b!, status: 500 }, d!], dropped: 2 }));
    expect(model.records.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(model.get('r1')?.status).toBe(500);
    expect(model.dropped).toBe(2);
    expect(model.version).toBeGreaterThan(before);
  });

  it("tells the frame map to recompute only when a record's frame facts change", () => {
    const model = new SessionModel();
    const [a, b, c] = syntheticRecords(3);
    model.apply(snapshot([a!, b!]));
    const after = (u: Parameters<typeof update>[0]) => {
      const before = model.framesVersion;
      model.apply(update(u));
      return model.framesVersion > before;
    };
    // A verdict or a status settling says nothing new about the frames.
    expect(after({ updated: [{ ...b!, status: 500 }] })).toBe(false);
    expect(after({ updated: [{ ...b!, frameUrl: 'https://app.example/other' }] })).toBe(true);
    expect(after({ updated: [{ ...a!, type: 'sub_frame', parentFrameId: 0 }] })).toBe(true);
    expect(after({ updated: [c!] })).toBe(true);
    expect(after({ removed: ['r0'] })).toBe(true);
    expect(after({ removed: ['no such record'] })).toBe(false);
  });

  it('forgets evicted records and, on a reset, everything before the update', () => {
    const model = new SessionModel();
    const records = syntheticRecords(5);
    model.apply(snapshot(records.slice(0, 4)));
    model.apply(update({ removed: ['r0', 'r1'] }));
    expect(model.records.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(model.get('r0')).toBeUndefined();
    expect(model.get('r3')?.id).toBe('r3');
    model.apply({ type: 'page-update', messages: [message('m1', 'hi')], websockets: [], dropped: NO_DROPS });
    model.apply(update({ reset: true, updated: [records[4]!] }));
    expect(model.records.map((r) => r.id)).toEqual(['r4']);
    expect(model.messages).toEqual([]);
  });

  it('upserts messages by id, keeping their order', () => {
    const model = new SessionModel();
    model.apply({ type: 'page-update', messages: [message('m1', 'a'), message('m2', 'b')], websockets: [], dropped: NO_DROPS });
    model.apply({ type: 'page-update', messages: [message('m3', 'c'), message('m1', 'a2')], websockets: [], dropped: { ...NO_DROPS, messages: 7 } });
    expect(model.messages.map((m) => `${m.id}:${m.dataPreview}`)).toEqual(['m1:a2', 'm2:b', 'm3:c']);
    expect(model.pageDropped.messages).toBe(7);
  });

  it('follows what the background says of the budget and of its storage', () => {
    const model = new SessionModel();
    model.apply({ ...snapshot([]), storageFull: true });
    expect(model.storageFull).toBe(true);
    model.apply(update({ dropped: 9, droppedForBudget: 4, storageFull: false }));
    expect([model.dropped, model.droppedForBudget, model.storageFull]).toEqual([9, 4, false]);
  });
});

describe('SessionModel: the filter follows live updates', () => {
  // Each update is a mix of what the background sends: new records, records that finished (a
  // pending one judged), and the oldest evicted. The filter's patched answer to the query the
  // table last asked must equal a fresh filter's.
  const all = syntheticRecords(400);
  const pending = (r: RequestRecord): RequestRecord => ({ ...r, verdict: null, status: null, state: 'pending' });
  const filters = [
    DEFAULT_FILTER,
    { ...DEFAULT_FILTER, text: 'api1' },
    { ...DEFAULT_FILTER, outcomes: new Set(['blocked' as const, 'pending' as const]), showPreflights: true },
    { ...DEFAULT_FILTER, techniques: new Set(['jsonp' as const]), showSameOrigin: true, text: 'cb' },
  ];
  const cases = filters.flatMap((f) => (['time', 'origin', 'outcome'] as const).map((sort) => [f, sort] as const));

  it.each(cases)('answers as a filter built afresh would, after each update (%o, by %s)', (f, sort) => {
    const model = new SessionModel();
    model.apply(snapshot(all.slice(0, 100).map((r, i) => (i % 3 === 0 ? pending(r) : r))));
    const check = (step: number) => {
      const live = model.filter.run(f, sort);
      const fresh = new RecordFilter(model.records).run(f, sort);
      expect(live.rows.map((r) => r.id), `step ${step}`).toEqual(fresh.rows.map((r) => r.id));
      expect(live.outcomes, `step ${step}`).toEqual(fresh.outcomes);
      expect(live.techniques, `step ${step}`).toEqual(fresh.techniques);
    };
    check(-1);
    let next = 100;
    for (let step = 0; step < 12; step++) {
      const finished = model.records.filter((r, i) => r.verdict === null && i % 2 === step % 2).map((r) => all.find((x) => x.id === r.id)!);
      const added = all.slice(next, next + 25).map((r, i) => (i % 4 === 0 ? pending(r) : r));
      next += 25;
      const removed = step % 3 === 2 ? model.records.slice(0, 20).map((r) => r.id) : [];
      model.apply(update({ updated: [...finished, ...added], removed }));
      expect(model.records.map((r) => r.id)).toEqual(all.filter((r) => model.get(r.id)).map((r) => r.id));
      // Some answers take several updates at once.
      if (step % 2 === 0) check(step);
    }
    check(12);
  });

  it('imports a log with each drop count from its own field, none of the live tab\'s left over', () => {
    const logOf = (dropped: Record<string, number>) =>
      readLogFile(JSON.stringify(toSessionLog(
        { tabId: 1, pageUrl: null, startedAt: 0, records: syntheticRecords(2), navigations: [], messages: [], websockets: [], findings: [], dropped: dropped as SessionLog['dropped'] },
        { includeSecrets: true, browser: 'chromium', extensionVersion: '0.1.0', now: 0 },
      )));
    const model = new SessionModel();
    model.apply({ ...snapshot([]), page: { ...snapshot([]).page, dropped: { messages: 1, websockets: 1, requests: 1, rejected: 90, rejectedBatches: 4 } }, storageFull: true });
    model.loadLog(logOf({ requests: 40, requestsForBudget: 30, messages: 2, websockets: 3, rejected: 7, rejectedBatches: 5 }));
    expect([model.dropped, model.droppedForBudget, model.storageFull]).toEqual([40, 30, false]);
    expect(model.pageDropped).toEqual({ messages: 2, websockets: 3, requests: 0, rejected: 7, rejectedBatches: 5 });
    // A log written before the page hooks' counts: none of them, whatever the panel showed before.
    model.loadLog(logOf({ requests: 40, messages: 2, websockets: 3 }));
    expect(model.pageDropped).toEqual({ messages: 2, websockets: 3, requests: 0, rejected: 0 });
    expect(model.droppedForBudget).toBe(0);
  });
});
