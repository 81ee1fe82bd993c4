// The preflight cache a live session and the log judge keep: only a preflight that passed
// fills it (https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7).
import { describe, expect, it } from 'vitest';
import { judgeLog } from '../../../../src/core/log/judge-log';
import type { HeaderList } from '../../../../src/core/net/headers';
import type { NetEvent } from '../../../../src/core/net/events';
import type { RequestRecord } from '../../../../src/core/session/record';
import { TabSession } from '../../../../src/core/session/session';

const APP = 'http://app.test';
const URL = 'http://api.test/items';
const h = (name: string, value: string) => ({ name, value });

const request = (id: string, method: string, time: number): NetEvent => ({
  kind: 'request', id, tabId: 1, time, frameId: 0, parentFrameId: -1, url: URL, method, type: 'xmlhttprequest', initiator: APP, documentUrl: null,
});

/**
 * A request preflighted with `answer` (a PUT, or `first` as its preflight announced it), then a PUT
 * with no preflight before it (still pending): served from the cache, or not.
 */
function session(answer: HeaderList, first: HeaderList = [h('Access-Control-Request-Method', 'PUT')]): RequestRecord[] {
  const s = new TabSession(1, 'chromium');
  const events: NetEvent[] = [
    request('first', first[0]!.value, 0),
    request('preflight', 'OPTIONS', 1),
    { kind: 'send-headers', id: 'preflight', tabId: 1, time: 1, headers: [...first, h('Origin', APP)] },
    { kind: 'headers', id: 'preflight', tabId: 1, time: 2, status: 204, statusLine: 'HTTP/1.1 204 No Content', headers: answer },
    { kind: 'complete', id: 'preflight', tabId: 1, time: 2, status: 204, fromCache: false, ip: null },
    request('later', 'PUT', 10),
  ];
  for (const e of events) s.apply(e);
  return s.snapshot().records;
}

const judgedAgain = (records: RequestRecord[]) => {
  judgeLog(records, 'chromium');
  return records;
};

const later = (records: RequestRecord[]) => records.find((r) => r.id === 'later')!.verdict!;

describe.each([
  ['a live session', (answer: HeaderList, first?: HeaderList) => session(answer, first)],
  ['the log judge', (answer: HeaderList, first?: HeaderList) => judgedAgain(session(answer, first))],
])('the preflight cache of %s', (_where, judged) => {
  it('serves a later request from a preflight that passed', () => {
    const v = later(judged([h('Access-Control-Allow-Origin', APP), h('Access-Control-Allow-Methods', 'PUT'), h('Access-Control-Max-Age', '600')]));
    expect(v.preflight).toBe('cached');
    expect(v.steps.find((s) => s.code === 'preflight-cached')?.params).toMatchObject({ preflightId: 'preflight', maxAge: 600 });
  });

  const allowPut = [h('Access-Control-Allow-Methods', 'PUT'), h('Access-Control-Max-Age', '600')];
  it.each([
    ['a 2xx preflight without Access-Control-Allow-Origin', allowPut, undefined],
    ['a preflight whose origin does not match', [h('Access-Control-Allow-Origin', 'http://other.test'), ...allowPut], undefined],
    ['a preflight whose Access-Control-Allow-Methods leaves out the method', [h('Access-Control-Allow-Origin', APP), ...allowPut], [h('Access-Control-Request-Method', 'DELETE')]],
    [
      'a preflight whose Access-Control-Allow-Headers leaves out a header',
      [h('Access-Control-Allow-Origin', APP), ...allowPut],
      [h('Access-Control-Request-Method', 'PUT'), h('Access-Control-Request-Headers', 'x-token')],
    ],
  ])('keeps nothing of %s: a request it would cover needs another preflight', (_what, answer, first) => {
    const records = judged(answer, first);
    expect(records.find((r) => r.id === 'first')?.verdict).toMatchObject({ outcome: 'blocked', hop: 'preflight' });
    expect(later(records).preflight).toBe('unknown');
  });
});
