import { describe, expect, it } from 'vitest';
import { postMessageFindings } from '../../../../src/core/page/findings';
import type { ListenerInfo, MessageRecord } from '../../../../src/core/page/records';

const APP = 'http://app.lab.test';
const OTHER = 'http://other.test';
const loc = (line: number) => ({ url: `${APP}/lab.js`, line, column: 1 });
const listener = (check: ListenerInfo['check'], line: number): ListenerInfo => ({ location: loc(line), readOrigin: check !== 'no', readSource: false, check });
let n = 0;
function msg(over: Partial<MessageRecord>): MessageRecord {
  return {
    id: `msg-${++n}`, time: 1, frameId: 0, frameUrl: `${APP}/`, senderFrameId: 3, senderFrameUrl: `${OTHER}/frame.html`,
    senderOrigin: OTHER, receiverOrigin: APP, targetOrigin: '*', observed: 'both', channel: 'window', dataPreview: '{kind:"hello"}', size: 20,
    isTrusted: true, listenerCount: 0, originChecked: 'unknown', listeners: [], ...over,
  };
}

describe('postMessageFindings', () => {
  it("flags data posted with '*', once per sending frame, high when the data looks sensitive", () => {
    const f = postMessageFindings([msg({}), msg({}), msg({ targetOrigin: APP }), msg({ senderFrameUrl: `${OTHER}/b.html`, dataPreview: '{token:"abc"}' })]);
    const wildcard = f.filter((x) => x.code === 'postmessage-wildcard-target');
    expect(wildcard.map((x) => [x.severity, x.evidence.length, x.confidence])).toEqual([['medium', 2, 'certain'], ['high', 1, 'certain']]);
  });

  it("does not flag '*' without data, receipts alone, or other channels", () => {
    expect(postMessageFindings([
      msg({ dataPreview: 'undefined', size: 1 }),
      msg({ observed: 'receive', targetOrigin: null }),
      msg({ channel: 'message-port', targetOrigin: null }),
    ])).toEqual([]);
  });

  it('flags listeners that never checked, and weak checks, grouped by listener', () => {
    const ls = [listener('yes', 1), listener('weak', 2), listener('no', 3)];
    const f = postMessageFindings([msg({ targetOrigin: APP, listeners: ls }), msg({ targetOrigin: APP, listeners: ls })]);
    expect(f.map((x) => [x.code, x.severity, x.confidence, x.evidence.length, x.subject])).toEqual([
      ['message-listener-weak-origin-check', 'medium', 'firm', 2, `${APP}/lab.js`],
      ['message-listener-no-origin-check', 'high', 'certain', 2, `${APP}/lab.js`],
    ]);
    expect(f[1]!.explanation).toContain(`${APP}/lab.js:3`);
    expect(f[1]!.explanation).toContain(OTHER);
  });

  it('a listener without checks that only ever got same-origin messages is medium', () => {
    const f = postMessageFindings([msg({ senderOrigin: APP, targetOrigin: APP, listeners: [listener('no', 9)] })]);
    expect(f.map((x) => [x.code, x.severity])).toEqual([['message-listener-no-origin-check', 'medium']]);
  });
});
