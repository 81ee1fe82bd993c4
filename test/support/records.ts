import { judgeRecord } from '../../src/core/session/judge';
import type { MessageRecord, WebSocketRecord } from '../../src/core/page/records';
import { newRecord, pairedPreflight, type RequestRecord } from '../../src/core/session/record';

// Records built in code (requests judged by the real engine): for the panel's component tests
// and its 100,000-record benchmark.

export const PAGE = 'https://app.example';
export const WIDGET = 'https://widget.example';
const START = Date.UTC(2026, 0, 1);

const headers = (lines: Record<string, string>) => Object.entries(lines).map(([name, value]) => ({ name, value }));

/** A finished request from PAGE; `over` sets what a case needs. The verdict is left to `judged`. */
export function record(over: Partial<RequestRecord> & { url: string }): RequestRecord {
  const seq = over.seq ?? 0;
  return newRecord({
    id: `r${seq}`,
    seq,
    tabId: 1,
    frameUrl: `${PAGE}/`,
    method: 'GET',
    type: 'xmlhttprequest',
    initiatorOrigin: PAGE,
    startTime: START + seq * 10,
    endTime: START + seq * 10 + 5,
    state: 'complete',
    requestHeaders: headers({ Origin: PAGE, 'Sec-Fetch-Mode': 'cors' }),
    status: 200,
    statusLine: 'HTTP/1.1 200 OK',
    credentials: { mode: 'same-origin', cookiesSent: false, authorization: false, withCredentials: null },
    ...over,
  });
}

/** Gives every record the verdict the engine computes for it (preflights found among them). */
export function judged(records: RequestRecord[]): RequestRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of records) r.verdict = judgeRecord(r, pairedPreflight(r, byId), 'chromium');
  return records;
}

type Template = (seq: number, host: string) => RequestRecord[];

/** One of each kind of traffic the panel lists; a preflighted request comes with its preflight. */
const TEMPLATES: Template[] = [
  (seq, host) => [record({ seq, url: `${host}/items/${seq}`, responseHeaders: headers({ 'Access-Control-Allow-Origin': PAGE }) })],
  (seq, host) => [record({ seq, url: `${host}/missing/${seq}`, error: 'net::ERR_FAILED' })],
  (seq, host) => {
    const preflight = record({
      seq,
      url: `${host}/put/${seq}`,
      method: 'OPTIONS',
      isPreflight: true,
      preflightFor: `r${seq + 1}`,
      requestHeaders: headers({ Origin: PAGE, 'Access-Control-Request-Method': 'PUT' }),
      status: 204,
      responseHeaders: headers({ 'Access-Control-Allow-Origin': PAGE }),
    });
    const put = record({ seq: seq + 1, url: `${host}/put/${seq}`, method: 'PUT', preflight: preflight.id, status: null, statusLine: null, error: 'net::ERR_FAILED' });
    return [preflight, put];
  },
  (seq, host) => [
    record({
      seq,
      url: `${host}/me/${seq}`,
      requestHeaders: headers({ Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Cookie: 'sid=1' }),
      credentials: { mode: 'include', cookiesSent: true, authorization: false, withCredentials: null },
      responseHeaders: headers({ 'Access-Control-Allow-Origin': '*' }),
      error: 'net::ERR_FAILED',
    }),
  ],
  (seq, host) => [record({ seq, url: `${host}/feed?callback=cb${seq}`, type: 'script', requestHeaders: headers({ 'Sec-Fetch-Mode': 'no-cors' }) })],
  (seq, host) => [record({ seq, url: `${host}/pixel/${seq}.png`, type: 'image', requestHeaders: headers({ 'Sec-Fetch-Mode': 'no-cors' }) })],
  (seq) => [record({ seq, url: `${PAGE}/local/${seq}`, requestHeaders: headers({ 'Sec-Fetch-Mode': 'cors' }) })],
];

const HOSTS = Array.from({ length: 20 }, (_, i) => `https://api${i}.example`);

/** `n` judged records cycling through every template and 20 target origins, in arrival order. */
export function syntheticRecords(n: number): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = 0; out.length < n; i++) {
    for (const r of TEMPLATES[i % TEMPLATES.length]!(out.length, HOSTS[i % HOSTS.length]!)) if (out.length < n) out.push(r);
  }
  return judged(out);
}

let nextMessage = 0;

/**
 * A window message from WIDGET's frame (3) to PAGE's top frame, seen on both sides, its one
 * listener checking the origin; `over` sets what a case needs.
 */
export function messageRecord(over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: `m${nextMessage++}`,
    time: Date.UTC(2026, 0, 1, 12, 0, 0, 5),
    frameId: 0,
    frameUrl: `${PAGE}/`,
    senderFrameId: 3,
    senderFrameUrl: `${WIDGET}/frame`,
    senderOrigin: WIDGET,
    receiverOrigin: PAGE,
    targetOrigin: PAGE,
    observed: 'both',
    channel: 'window',
    dataPreview: '{"hello":1}',
    size: 11,
    isTrusted: true,
    listenerCount: 1,
    originChecked: 'yes',
    listeners: [{ location: { url: `${PAGE}/app.js`, line: 12, column: 3 }, readOrigin: true, readSource: false, check: 'yes' }],
    ...over,
  };
}

/** A text frame the page sent; `over` sets what a case needs. */
export function webSocketFrame(over: Partial<WebSocketRecord['frames'][number]>): WebSocketRecord['frames'][number] {
  return { direction: 'sent', time: Date.UTC(2026, 0, 1), size: 5, binary: false, preview: 'hello', ...over };
}

let nextSocket = 0;

/** An open socket from PAGE's top frame that sent one frame, its handshake answered; `over` sets what a case needs. */
export function webSocketRecord(over: Partial<WebSocketRecord>): WebSocketRecord {
  return {
    id: `s${nextSocket++}`,
    url: 'wss://api0.example/live',
    protocols: [],
    pageOrigin: PAGE,
    frameId: 0,
    frameUrl: `${PAGE}/`,
    createdAt: Date.UTC(2026, 0, 1),
    openedAt: Date.UTC(2026, 0, 1),
    closedAt: null,
    closeCode: null,
    closeReason: null,
    error: false,
    framesSent: 1,
    framesReceived: 0,
    frames: [webSocketFrame({})],
    handshake: { origin: PAGE, status: 101 },
    ...over,
  };
}
