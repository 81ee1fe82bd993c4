import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/core/session/record';
import { DEFAULT_FILTER, involvesCredentials, RecordFilter, techniqueOf, type Filter, type SortKey } from '../../../src/panel/filter';
import { judged, PAGE, record, syntheticRecords } from '../../support/records';

const filter = (over: Partial<Filter>): Filter => ({ ...DEFAULT_FILTER, ...over });
const ids = (rs: { id: string }[]) => rs.map((r) => r.id);
const rowsOf = (rs: RequestRecord[], f: Filter, sort: SortKey, hasFindings?: (r: RequestRecord) => boolean) => new RecordFilter(rs).run(f, sort, hasFindings).rows;
const countsOf = (rs: RequestRecord[], f: Filter) => new RecordFilter(rs).run(f, 'time');

// r0 allowed, r1 blocked (no ACAO), r2 preflight + r3 blocked PUT, r4 blocked credentialed,
// r5 JSONP, r6 no-cors image, r7 same-origin: one of each template.
const records = syntheticRecords(8);

describe('what each record counts as', () => {
  it('names the technique the panel filters by', () => {
    expect(records.map(techniqueOf)).toEqual(['cors', 'cors', 'cors', 'cors', 'cors', 'jsonp', 'no-cors', 'same-origin']);
    const nav = record({ url: 'https://other.example/', type: 'main_frame' });
    const ws = record({ url: 'wss://api0.example/live', type: 'websocket' });
    expect([techniqueOf(nav), techniqueOf(ws)]).toEqual(['navigation', 'websocket']);
  });

  it('finds credentials in cookies, credentials mode or Authorization', () => {
    expect(records.filter(involvesCredentials).map((r) => r.id)).toEqual(['r4']);
    const auth = record({ url: 'https://api0.example/x', credentials: { mode: 'same-origin', cookiesSent: false, authorization: true, withCredentials: null } });
    const unknown = record({ url: 'https://api0.example/x', credentials: { mode: 'same-origin', cookiesSent: false, authorization: 'unknown', withCredentials: null } });
    expect([involvesCredentials(auth), involvesCredentials(unknown)]).toEqual([true, false]);
  });
});

describe('RecordFilter: rows', () => {
  it('hides same-origin requests and preflights by default, each with its own toggle', () => {
    expect(ids(rowsOf(records, DEFAULT_FILTER, 'time'))).toEqual(['r0', 'r1', 'r3', 'r4', 'r5', 'r6']);
    expect(ids(rowsOf(records, filter({ showSameOrigin: true }), 'time'))).toContain('r7');
    expect(ids(rowsOf(records, filter({ showPreflights: true }), 'time'))).toContain('r2');
  });

  it('keeps the outcomes and techniques chosen (any of each, all dimensions together)', () => {
    expect(ids(rowsOf(records, filter({ outcomes: new Set(['blocked']) }), 'time'))).toEqual(['r1', 'r3', 'r4']);
    expect(ids(rowsOf(records, filter({ outcomes: new Set(['opaque', 'allowed']) }), 'time'))).toEqual(['r0', 'r5', 'r6']);
    expect(ids(rowsOf(records, filter({ techniques: new Set(['jsonp', 'no-cors']) }), 'time'))).toEqual(['r5', 'r6']);
    expect(ids(rowsOf(records, filter({ outcomes: new Set(['opaque']), techniques: new Set(['jsonp']) }), 'time'))).toEqual(['r5']);
  });

  it('keeps credentialed requests and requests some finding names', () => {
    expect(ids(rowsOf(records, filter({ credentialedOnly: true }), 'time'))).toEqual(['r4']);
    const named = new Set(['r5']);
    expect(ids(rowsOf(records, filter({ findingsOnly: true }), 'time', (r) => named.has(r.id)))).toEqual(['r5']);
  });

  it('matches every typed word, in any order and case, against method, URL, origins, status and reason', () => {
    expect(ids(rowsOf(records, filter({ text: 'PUT' }), 'time'))).toEqual(['r3']);
    expect(ids(rowsOf(records, filter({ text: 'missingalloworigin' }), 'time'))).toEqual(['r1']);
    expect(ids(rowsOf(records, filter({ text: '  callback   API4.example ' }), 'time'))).toEqual(['r5']);
    expect(ids(rowsOf(records, filter({ text: 'callback nowhere' }), 'time'))).toEqual([]);
  });

  it('sorts by time, by target origin, or with the worst outcome first', () => {
    const shown = filter({ showSameOrigin: true });
    expect(ids(rowsOf(records, shown, 'time'))).toEqual(['r0', 'r1', 'r3', 'r4', 'r5', 'r6', 'r7']);
    const byOrigin = rowsOf(records, shown, 'origin').map((r) => new URL(r.url).origin);
    expect(byOrigin).toEqual(byOrigin.slice().sort());
    expect(ids(rowsOf(records, shown, 'outcome'))).toEqual(['r1', 'r3', 'r4', 'r5', 'r6', 'r0', 'r7']);
  });

  it('lists a record without a verdict yet as pending', () => {
    const [pending] = judged([record({ url: 'https://api0.example/slow', state: 'pending', status: null, endTime: null })]);
    pending!.verdict = null;
    expect(ids(rowsOf([pending!], filter({ outcomes: new Set(['pending']) }), 'time'))).toEqual(['r0']);
  });
});

describe('RecordFilter: typing', () => {
  it('answers each text as a fresh filter would, typing on, deleting, and changing words', () => {
    const many = syntheticRecords(300);
    const kept = new RecordFilter(many);
    const texts = ['a', 'ap', 'api', 'api1', 'api1.', 'api1.example/m', 'api1', 'api', 'put', 'put api1', 'api1 put', 'p', '', 'cb1', 'cb12', 'missing cb', 'missing'];
    for (const text of texts) {
      const typed = kept.run(filter({ text }), 'time');
      const fresh = new RecordFilter(many).run(filter({ text }), 'time');
      expect(ids(typed.rows), text).toEqual(ids(fresh.rows));
      expect(typed.outcomes, text).toEqual(fresh.outcomes);
    }
    expect(kept.run(filter({ text: 'api1.example/m' }), 'time').rows.length).toBeGreaterThan(0);
  });
});

describe('RecordFilter: counts', () => {
  it('counts each outcome and technique under the other filters, not its own', () => {
    const { outcomes, techniques } = countsOf(records, filter({ outcomes: new Set(['blocked']) }));
    // The outcome chips still show what choosing another outcome would add.
    expect(Object.fromEntries(outcomes)).toEqual({ allowed: 1, blocked: 3, opaque: 2 });
    // The technique chips count within the chosen outcome.
    expect(Object.fromEntries(techniques)).toEqual({ cors: 3 });
  });

  it('counts only what a typed filter leaves', () => {
    const { outcomes } = countsOf(records, filter({ text: PAGE.replace('https://', '') + ' missing' }));
    expect(Object.fromEntries(outcomes)).toEqual({ blocked: 1 });
  });
});

describe('RecordFilter: cookies held back', () => {
  it('keeps only the requests the browser sent without a cookie it holds for them', () => {
    const rs = syntheticRecords(8);
    rs[0]!.cookies = { sent: [], withheld: [{ name: 'sid', reason: 'SameSiteLax' }], set: [] };
    rs[1]!.cookies = { sent: [{ name: 'sid', partitioned: false }], withheld: [], set: [] };
    expect(ids(rowsOf(rs, filter({ withheldCookiesOnly: true }), 'time'))).toEqual(['r0']);
  });
});
