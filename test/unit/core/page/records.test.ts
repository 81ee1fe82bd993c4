import { describe, expect, it } from 'vitest';
import { LIMITS, parsePageEvents, serializeBatch, weakestCheck, type PageEvent } from '../../../../src/core/page/records';

const T = Date.UTC(2026, 0, 1);
const msg: PageEvent = {
  k: 'msg', side: 'receive', channel: 'window', t: T, origin: 'http://other.test:1', target: null, peer: 'self',
  preview: '{a:1}', size: 9, trusted: true,
  listeners: [{ location: { url: 'http://app.lab.test/lab.js', line: 3, column: 1 }, readOrigin: true, readSource: false, check: 'yes' }],
};
const events: PageEvent[] = [
  msg,
  { k: 'ws-new', sid: 1, t: T, url: 'ws://other.test/ws', protocols: ['a'] },
  { k: 'ws-open', sid: 1, t: T },
  { k: 'ws-frame', sid: 1, t: T, dir: 'sent', size: 4, binary: true, preview: '01 02' },
  { k: 'ws-close', sid: 1, t: T, code: 4000, reason: 'bye' },
  { k: 'ws-error', sid: 1, t: T },
  { k: 'req', api: 'xhr', t: T, url: 'http://api.lab.test/x', method: 'POST', mode: 'cors', credentials: 'include', withCredentials: true, authorization: true, headers: ['authorization', 'x-a'] },
  { k: 'worker', kind: 'service', t: T, url: 'https://app.lab.test/sw.js' },
  { k: 'sw-fetch', t: T, url: 'https://api.lab.test/x', initiator: 'fetch', status: null },
  { k: 'load-error', t: T, url: 'http://other.test/s.js', type: 'script' },
  { k: 'dropped', n: 3 },
  { ...msg, side: 'send', channel: 'worker', origin: null, peer: 'port', trusted: null, listeners: [] },
  { k: 'dropped', n: 0, batches: 2 },
];

describe('parsePageEvents', () => {
  it('round-trips every event kind', () => {
    expect(parsePageEvents(serializeBatch(events))).toEqual({ events, rejected: 0, rejectedBatches: 0 });
  });

  it('rejects a whole batch that is not JSON, too long or not a list as one batch, its events unknown', () => {
    for (const bad of ['', 'nope', '{"v":1}', '[]', 'null', '{"v":1,"events":{}}', '{"v":2,"events":{}}', 42, null, { v: 1, events: [] }]) {
      expect(parsePageEvents(bad)).toEqual({ events: [], rejected: 0, rejectedBatches: 1 });
    }
    const huge = serializeBatch([{ ...msg, preview: 'x'.repeat(LIMITS.maxBatchChars) } as PageEvent]);
    expect(parsePageEvents(huge)).toEqual({ events: [], rejected: 0, rejectedBatches: 1 });
  });

  it('rejects a whole batch of another version by its events', () => {
    expect(parsePageEvents(JSON.stringify({ v: 2, events: [msg, msg, 'anything'] }))).toEqual({ events: [], rejected: 3, rejectedBatches: 0 });
    expect(parsePageEvents('{"events":[]}')).toEqual({ events: [], rejected: 0, rejectedBatches: 0 });
  });

  it('rejects malformed events one by one and keeps the good ones', () => {
    const bad = [
      { ...msg, k: 'evil' },
      { ...msg, side: 'sideways' },
      { ...msg, channel: 'service-worker' },
      { ...msg, t: 'now' },
      { ...msg, t: 1 },
      { ...msg, size: -1 },
      { ...msg, size: 1.5 },
      { ...msg, trusted: 'yes' },
      { ...msg, listeners: 'all' },
      { ...msg, listeners: Array(LIMITS.maxListeners + 1).fill(msg.listeners[0]) },
      { ...msg, listeners: [{ location: null, readOrigin: true, readSource: false, check: 'maybe' }] },
      { ...events[6], method: 'GET\r\nX: y' },
      { ...events[6], headers: ['ok', 'bad header'] },
      { ...events[6], mode: 'websocket' },
      { ...events[4], code: 70000 },
      { ...events[1], sid: -1 },
      { ...events[1], protocols: [1] },
      { ...events[7], kind: 'module' },
      { ...events[7], url: 'javascript:alert(1)' },
      { ...events[8], initiator: 'navigation' },
      { ...events[8], status: 1000 },
      { ...events[9], type: 'sub_frame' },
      { ...events[9], url: 'data:text/javascript,1' },
      { k: 'dropped', n: 1, batches: -1 },
      { k: 'dropped', n: 1, batches: 1.5 },
      null, 'str', [1], { __proto__: { k: 'msg' } },
    ];
    const json = JSON.stringify({ v: 1, events: [...bad, msg] });
    const r = parsePageEvents(json);
    expect(r.rejected).toBe(bad.length);
    expect(r.events).toEqual([msg]);
  });

  it('cuts long strings to their bounds and lowercases header names', () => {
    const r = parsePageEvents(JSON.stringify({ v: 1, events: [{ ...msg, preview: 'p'.repeat(5000), origin: 'o'.repeat(5000) }, { ...events[6], headers: ['X-Custom'] }] }));
    const m = r.events[0] as typeof msg;
    expect(m.preview.length).toBe(LIMITS.maxPreview);
    expect(m.origin!.length).toBe(LIMITS.maxOrigin);
    expect((r.events[1] as { headers: string[] }).headers).toEqual(['x-custom']);
  });

  it('keeps at most maxEventsPerBatch events', () => {
    const many = Array(LIMITS.maxEventsPerBatch + 10).fill(events[2]);
    const r = parsePageEvents(serializeBatch(many));
    expect(r.events.length).toBe(LIMITS.maxEventsPerBatch);
    expect(r.rejected).toBe(10);
  });

  it('ignores prototype tricks', () => {
    const r = parsePageEvents('{"v":1,"events":[{"k":"ws-open","sid":1,"t":' + T + ',"__proto__":{"polluted":1}}]}');
    expect(r.events).toEqual([{ k: 'ws-open', sid: 1, t: T }]);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('weakestCheck', () => {
  it('is the worst of the listeners, unknown when none', () => {
    const l = (check: 'yes' | 'weak' | 'no' | 'unknown') => ({ location: null, readOrigin: false, readSource: false, check });
    expect(weakestCheck([])).toBe('unknown');
    expect(weakestCheck([l('yes'), l('weak')])).toBe('weak');
    expect(weakestCheck([l('yes'), l('weak'), l('no')])).toBe('no');
    expect(weakestCheck([l('yes'), l('unknown')])).toBe('unknown');
  });
});
