import { describe, expect, it } from 'vitest';
import { PageEventStore } from '../../../src/background/page-events';
import { serializeBatch, type MessageEventWire, type PageEvent } from '../../../src/core/page/records';

const T = Date.UTC(2026, 0, 1);
const APP = 'http://app.lab.test';
const OTHER = 'http://other.test';
const send = (over: Partial<MessageEventWire> = {}): MessageEventWire => ({
  k: 'msg', side: 'send', channel: 'window', t: T, origin: null, target: '*', peer: 'other', preview: '{a:1}', size: 9, trusted: null, listeners: [], ...over,
});
const receive = (over: Partial<MessageEventWire> = {}): MessageEventWire => ({
  k: 'msg', side: 'receive', channel: 'window', t: T + 1, origin: OTHER, target: null, peer: 'self', preview: '{a:1}', size: 9, trusted: true,
  listeners: [{ location: null, readOrigin: false, readSource: false, check: 'no' }], ...over,
});
const batch = (...events: PageEvent[]) => serializeBatch(events);

describe('PageEventStore', () => {
  it('merges the send seen in one frame with the receipt in another, either order', () => {
    for (const order of ['send-first', 'receive-first']) {
      const s = new PageEventStore();
      const a = () => s.accept(1, 5, `${OTHER}/frame.html`, batch(send()));
      const b = () => s.accept(1, 0, `${APP}/`, batch(receive()));
      if (order === 'send-first') (a(), b());
      else (b(), a());
      const { messages } = s.forTab(1);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        observed: 'both', senderOrigin: OTHER, receiverOrigin: APP, targetOrigin: '*', frameId: 0, senderFrameId: 5,
        frameUrl: `${APP}/`, senderFrameUrl: `${OTHER}/frame.html`, listenerCount: 1, originChecked: 'no', time: T,
      });
    }
  });

  it('does not merge what cannot be the same message', () => {
    const s = new PageEventStore();
    s.accept(1, 5, `${OTHER}/frame.html`, batch(send({ target: 'http://elsewhere.test' })));
    s.accept(1, 0, `${APP}/`, batch(receive(), receive({ preview: '{b:2}' })));
    expect(s.forTab(1).messages.map((m) => m.observed)).toEqual(['send', 'receive', 'receive']);
  });

  it("never merges a page's send to its worker with a receipt from it, even of the same data", () => {
    const s = new PageEventStore();
    const toWorker = send({ channel: 'worker', target: null, peer: 'port' });
    const fromWorker = receive({ channel: 'worker', origin: null, listeners: [{ location: null, readOrigin: false, readSource: false, check: 'unknown' }] });
    s.accept(1, 0, `${APP}/`, batch(toWorker, fromWorker));
    const messages = s.forTab(1).messages;
    expect(messages.map((m) => [m.channel, m.observed, m.senderOrigin, m.receiverOrigin])).toEqual([
      ['worker', 'send', APP, null],
      ['worker', 'receive', null, APP],
    ]);
  });

  it('takes who sent a batch from the browser, never from the page, and ignores other tabs', () => {
    const s = new PageEventStore();
    expect(s.acceptFrom({ tab: { id: 7 }, frameId: 2, url: `${APP}/x` }, batch(receive()))).toBe(1);
    const m = s.forTab(7).messages[0]!;
    expect([m.frameId, m.frameUrl, m.receiverOrigin]).toEqual([2, `${APP}/x`, APP]);
    expect(s.acceptFrom({ frameId: 0, url: `${APP}/` }, batch(receive()))).toBe(0);
    expect(s.forTab(-1).messages).toEqual([]);
  });

  it('builds WebSocket records from their events, per frame and socket id', () => {
    const s = new PageEventStore();
    s.accept(1, 0, `${APP}/`, batch(
      { k: 'ws-new', sid: 1, t: T, url: 'ws://other.test/ws', protocols: [] },
      { k: 'ws-open', sid: 1, t: T + 1 },
      { k: 'ws-frame', sid: 1, t: T + 2, dir: 'sent', size: 2, binary: false, preview: 'hi' },
      { k: 'ws-frame', sid: 1, t: T + 3, dir: 'received', size: 2, binary: false, preview: 'hi' },
      { k: 'ws-close', sid: 1, t: T + 4, code: 4000, reason: 'bye' },
      { k: 'ws-frame', sid: 9, t: T + 2, dir: 'sent', size: 2, binary: false, preview: 'orphan' },
    ));
    const { websockets, dropped } = s.forTab(1);
    expect(websockets).toHaveLength(1);
    expect(websockets[0]).toMatchObject({ url: 'ws://other.test/ws', pageOrigin: APP, handshake: { origin: APP, status: null }, framesSent: 1, framesReceived: 1, closeCode: 4000, closeReason: 'bye', openedAt: T + 1 });
    expect(dropped.rejected).toBe(1);
  });

  it('caps each list, oldest first, and counts what it dropped; reports changes', () => {
    const s = new PageEventStore({ maxMessages: 3, maxWebSockets: 1, maxRequests: 2 });
    const changes: number[] = [];
    s.onChange((tabId, c) => changes.push(tabId, c.messages.length, c.requests.length));
    const req: PageEvent = { k: 'req', api: 'fetch', t: T, url: `${OTHER}/x`, method: 'GET', mode: 'cors', credentials: 'include', withCredentials: null, authorization: false, headers: [] };
    s.accept(1, 0, `${APP}/`, batch(...[1, 2, 3, 4, 5].map((i) => receive({ preview: String(i), t: T + i })), req, req, req));
    const r = s.forTab(1);
    expect(r.messages.map((m) => m.dataPreview)).toEqual(['3', '4', '5']);
    expect(r.dropped).toMatchObject({ messages: 2, requests: 1 });
    expect(changes).toEqual([1, 5, 3]);
    s.clear(1);
    expect(s.forTab(1).messages).toEqual([]);
  });

  it("passes on the page's workers and its service worker's fetches, with the frame the browser named, keeping none", () => {
    const s = new PageEventStore();
    const changes: unknown[] = [];
    s.onChange((tabId, c) => changes.push(tabId, c.workers, c.serviceWorkerFetches));
    const url = 'https://app.lab.test/sw.js';
    s.accept(1, 2, `${APP}/`, batch({ k: 'worker', kind: 'service', t: T, url }, { k: 'sw-fetch', t: T, url: `${APP}/x`, initiator: 'img', status: 200 }));
    expect(changes).toEqual([
      1,
      [{ kind: 'service', url, time: T, frameId: 2 }],
      [{ url: `${APP}/x`, time: T, initiator: 'img', status: 200, frameId: 2, frameUrl: `${APP}/` }],
    ]);
    expect(s.forTab(1)).toMatchObject({ messages: [], websockets: [], requests: [] });
  });

  it("passes on an element's failed load with the frame the browser named, keeping none", () => {
    const s = new PageEventStore();
    const changes: unknown[] = [];
    s.onChange((tabId, c) => changes.push(tabId, c.loadErrors));
    s.accept(1, 2, `${APP}/`, batch({ k: 'load-error', t: T, url: 'http://other.test/s.js', type: 'script' }));
    expect(changes).toEqual([1, [{ url: 'http://other.test/s.js', type: 'script', time: T, frameId: 2, frameUrl: `${APP}/` }]]);
    expect(s.forTab(1)).toMatchObject({ messages: [], websockets: [], requests: [] });
  });

  it('counts a hostile batch as rejected and keeps nothing from it', () => {
    const s = new PageEventStore();
    expect(s.accept(1, 0, `${APP}/`, '{"v":1,"events":[{"k":"msg","side":"receive"}]}')).toBe(0);
    expect(s.forTab(1).dropped).toEqual({ messages: 0, websockets: 0, requests: 0, rejected: 1 });
    // Refused whole: as a batch (its events unknown), or by the events of another version.
    expect(s.accept(1, 0, `${APP}/`, 'not json')).toBe(0);
    expect(s.accept(1, 0, `${APP}/`, JSON.stringify({ v: 2, events: [1, 2, 3] }))).toBe(0);
    expect(s.forTab(1).dropped).toEqual({ messages: 0, websockets: 0, requests: 0, rejected: 4, rejectedBatches: 1 });
  });

  it("adds up the bridge's counts of refused events and batches", () => {
    const s = new PageEventStore();
    s.accept(1, 0, `${APP}/`, batch({ k: 'dropped', n: 3 }, { k: 'dropped', n: 2, batches: 5 }, receive()));
    expect(s.forTab(1)).toMatchObject({ messages: [{ observed: 'receive' }], dropped: { rejected: 5, rejectedBatches: 5 } });
  });
});
