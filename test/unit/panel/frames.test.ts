import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../../src/core/page/records';
import { frameMap, type FrameNode } from '../../../src/panel/frames';
import { messageRecord, PAGE, record, WIDGET } from '../../support/records';


/** A message of which only the receipt was seen (the send is overridden where a case saw it). */
const message = (over: Partial<MessageRecord>) =>
  messageRecord({ senderFrameId: null, senderFrameUrl: null, targetOrigin: null, observed: 'receive', listeners: [], ...over });

/** The tree as "origin [frame id] sent/received" lines, indented by depth. */
function outline(nodes: FrameNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.origin} [${n.frameId}] ${n.sent}/${n.received}`, ...outline(n.children, depth + 1)]);
}

// A page with a widget frame that holds a nested frame of its own, as webRequest reports it.
const records = [
  record({ seq: 0, url: `${PAGE}/`, type: 'main_frame', frameId: 0, parentFrameId: -1 }),
  record({ seq: 1, url: `${WIDGET}/frame`, type: 'sub_frame', frameId: 7, parentFrameId: 0 }),
  record({ seq: 2, url: 'https://ads.example/inner', type: 'sub_frame', frameId: 9, parentFrameId: 7 }),
  record({ seq: 3, url: 'https://api.example/x', frameId: 9, parentFrameId: 7, frameUrl: 'https://ads.example/inner' }),
];

describe('frameMap', () => {
  it('nests the frames as webRequest reports them, each with its origin', () => {
    const { roots, peers } = frameMap(records, []);
    expect(outline(roots)).toEqual([`${PAGE} [0] 0/0`, `  ${WIDGET} [7] 0/0`, '    https://ads.example [9] 0/0']);
    expect(roots[0]!.children[0]!.url).toBe(`${WIDGET}/frame`);
    expect(peers).toEqual([]);
  });

  it("counts each frame's sends and receipts and flags '*' sends and unchecked listeners", () => {
    const messages = [
      message({ senderFrameId: 7, senderFrameUrl: `${WIDGET}/frame`, targetOrigin: '*', observed: 'both', originChecked: 'no' }),
      message({ senderFrameId: 7, senderFrameUrl: `${WIDGET}/frame`, targetOrigin: PAGE, observed: 'both' }),
      // top.postMessage from the widget: only the receipt was seen; its origin names the frame.
      message({}),
      // From a popup: no frame of this tab has that origin.
      message({ senderOrigin: 'https://popup.example', originChecked: 'weak' }),
      // A send to the popup: the receipt happens in another tab.
      message({ frameId: null, frameUrl: null, senderFrameId: 0, senderOrigin: PAGE, receiverOrigin: null, targetOrigin: 'https://popup.example', observed: 'send' }),
    ];
    const { roots, peers } = frameMap(records, messages);
    expect(outline(roots)).toEqual([`${PAGE} [0] 1/4`, `  ${WIDGET} [7] 3/0`, '    https://ads.example [9] 0/0']);
    expect(roots[0]!.uncheckedReceipts).toBe(2);
    expect(roots[0]!.children[0]!.wildcardSends).toBe(1);
    expect(peers).toEqual([{ origin: 'https://popup.example', sent: 1, received: 1 }]);
  });

  it('places frames seen only in messages under the top frame, and frames with no parent known', () => {
    const messages = [message({ frameId: 12, frameUrl: 'about:srcdoc', receiverOrigin: PAGE, senderOrigin: PAGE, senderFrameId: 0, observed: 'both' })];
    const { roots } = frameMap(records.slice(0, 1), messages);
    expect(outline(roots)).toEqual([`${PAGE} [0] 1/0`, `  ${PAGE} [12] 0/1`]);
    // A HAR gives no parents: every request is in frame 0.
    const har = [record({ url: 'https://api.example/x' })];
    expect(outline(frameMap(har, []).roots)).toEqual([`${PAGE} [0] 0/0`]);
  });

  it('survives frame ids that loop, as a hostile log could hold', () => {
    const loop = [
      record({ seq: 0, url: 'https://a.example/', type: 'sub_frame', frameId: 1, parentFrameId: 2 }),
      record({ seq: 1, url: 'https://b.example/', type: 'sub_frame', frameId: 2, parentFrameId: 1 }),
    ];
    const lines = outline(frameMap(loop, []).roots);
    expect(lines.map((l) => l.trim()).sort()).toEqual(['https://a.example [1] 0/0', 'https://b.example [2] 0/0']);
  });
});
