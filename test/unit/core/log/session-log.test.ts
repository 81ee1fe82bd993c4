import { describe, expect, it } from 'vitest';
import { LogFormatError } from '../../../../src/core/log/errors';
import { readLogFile } from '../../../../src/core/log/log-file';
import { parseSessionLog, toSessionLog } from '../../../../src/core/log/session-log';
import { messageRecord, syntheticRecords, webSocketFrame, webSocketRecord } from '../../../support/records';
import type { Finding } from '../../../../src/core/cors/findings';
import { LIMITS, MAX_WS_FRAMES } from '../../../../src/core/page/records';

const records = syntheticRecords(8);

const messages = [
  messageRecord({ channel: 'window' }),
  messageRecord({ channel: 'worker', observed: 'send', frameId: null, frameUrl: null, receiverOrigin: null, isTrusted: null, listenerCount: null, originChecked: 'unknown', listeners: [] }),
  messageRecord({ listeners: [{ location: null, readOrigin: false, readSource: false, check: 'no' }], originChecked: 'no' }),
];
const websockets = [
  webSocketRecord({ handshake: { origin: 'https://app.example', status: 101, requestId: '7' } }),
  webSocketRecord({ protocols: ['chat'], frames: [webSocketFrame({ direction: 'received', binary: true })], closedAt: 5, closeCode: 1000, closeReason: 'bye', handshake: { origin: null, status: null } }),
];
const findings: Finding[] = [
  { id: 'jsonp-endpoint:https://api.example', code: 'jsonp-endpoint', severity: 'low', title: 'JSONP', explanation: 'A script load names a callback.', confidence: 'certain', subject: 'https://api.example', evidence: ['1', '2'] },
];
const navigations = [{ seq: 4, time: 10, url: 'https://app.example/next' }];

type Item = Record<string, unknown>;
type LogData = { requests: Item[]; messages: Item[]; websockets: Item[]; findings: Item[]; navigations: Item[]; dropped?: unknown };
function logText(edit: (log: LogData) => void = () => {}): string {
  const log = toSessionLog(
    { tabId: 3, pageUrl: 'https://app.example/', startedAt: 0, records, navigations, messages, websockets, findings, dropped: { requests: 0, messages: 0, websockets: 0 } },
    { includeSecrets: false, browser: 'firefox', extensionVersion: '0.1.0', now: 0 },
  );
  const data = JSON.parse(JSON.stringify(log)) as LogData;
  edit(data);
  return JSON.stringify(data);
}

describe('reading a session log back', () => {
  it('gives back every record and its verdict', () => {
    const log = parseSessionLog(logText());
    expect(log.requests.map((r) => [r.id, r.verdict?.outcome, r.verdict?.reason])).toEqual(records.map((r) => [r.id, r.verdict?.outcome, r.verdict?.reason]));
    const loaded = readLogFile(logText());
    expect([loaded.kind, loaded.browser, loaded.records.length]).toEqual(['session-log', 'firefox', 8]);
  });

  it.each([
    ['an unknown outcome', (v: Record<string, unknown>) => (v.outcome = 'fine'), /requests\[1\]\.verdict\.outcome must be one of allowed, blocked/],
    ['an unknown reason code', (v: Record<string, unknown>) => (v.reason = '<img src=x onerror=alert(1)>'), /requests\[1\]\.verdict\.reason must be a reason code/],
    ['a fix that is not a list of lines', (v: Record<string, unknown>) => (v.fix = 'Access-Control-Allow-Origin: *'), /requests\[1\]\.verdict\.fix must be a list of strings/],
    ['steps with neither a code nor their text', (v: Record<string, unknown>) => (v.steps = [{ check: 'mode' }]), /requests\[1\]\.verdict\.steps must be a list of/],
    ['warnings that are strings', (v: Record<string, unknown>) => (v.warnings = ['careful']), /requests\[1\]\.verdict\.warnings must be a list of/],
  ])('refuses a verdict with %s, saying where', (_what, edit, message) => {
    const text = logText((log) => edit(log.requests[1]!.verdict as Record<string, unknown>));
    expect(() => readLogFile(text)).toThrow(LogFormatError);
    expect(() => readLogFile(text)).toThrow(message);
  });

  it("keeps each message's channel, reads a message without one (older logs) as a window's, and refuses an unknown one", () => {
    expect(parseSessionLog(logText()).messages.map((m) => m.channel)).toEqual(['window', 'worker', 'window']);
    const old = parseSessionLog(logText((l) => delete l.messages[1]!.channel));
    expect(old.messages.map((m) => m.channel)).toEqual(['window', 'window', 'window']);
    expect(() => parseSessionLog(logText((l) => (l.messages[1]!.channel = 'toString')))).toThrow(/messages\[1\]\.channel must be one of window, worker, message-port, broadcast-channel/);
    expect(() => parseSessionLog(logText((l) => (l.messages[0] = 'x' as unknown as Record<string, unknown>)))).toThrow(/messages\[0\] must be an object/);
  });

  it('keeps what the page hooks refused, and reads a log written before those counts', () => {
    const text = JSON.stringify(toSessionLog(
      { tabId: 3, pageUrl: null, startedAt: 0, records: [], navigations: [], messages: [], websockets: [], findings: [], dropped: { requests: 0, messages: 1, websockets: 0, rejected: 7, rejectedBatches: 2 } },
      { includeSecrets: false, browser: 'chromium', extensionVersion: '0.1.0', now: 0 },
    ));
    expect(readLogFile(text).dropped).toEqual({ requests: 0, messages: 1, websockets: 0, rejected: 7, rejectedBatches: 2 });
    expect(readLogFile(logText()).dropped).toEqual({ requests: 0, messages: 0, websockets: 0 });
    expect(readLogFile(logText((l) => delete l.dropped)).dropped).toEqual({ requests: 0, messages: 0, websockets: 0 });
  });

  it('refuses drop counts that are not counts: the panel shows them', () => {
    expect(() => parseSessionLog(logText((l) => (l.dropped = 3)))).toThrow(/"dropped" must be an object/);
    expect(() => parseSessionLog(logText((l) => (l.dropped = { requests: 0, messages: 0, websockets: 0, rejected: '<b>9</b>' })))).toThrow(/"dropped\.rejected" must be a whole number, 0 or more/);
    expect(() => parseSessionLog(logText((l) => (l.dropped = { requests: -1, messages: 0, websockets: 0 })))).toThrow(/"dropped\.requests"/);
  });

  it('takes a record without a verdict yet (pending)', () => {
    const log = parseSessionLog(logText((l) => (l.requests[0]!.verdict = null)));
    expect(log.requests[0]!.verdict).toBeNull();
  });

  it('gives back every message, socket, finding and navigation of a log written by this version', () => {
    const log = parseSessionLog(logText());
    expect(log.messages.map((m) => [m.id, m.observed, m.listeners.length])).toEqual(messages.map((m) => [m.id, m.observed, m.listeners.length]));
    expect(log.websockets.map((w) => [w.id, w.frames.length, w.handshake.status])).toEqual(websockets.map((w) => [w.id, 1, w.handshake.status]));
    expect(log.findings).toEqual(findings);
    expect(log.navigations).toEqual(navigations);
  });

  it('takes page data as it is, however long: a preview is text, never cut or read', () => {
    const preview = `<img src=x onerror=alert(1)>${'x'.repeat(1_000_000)}`;
    const log = parseSessionLog(logText((l) => {
      l.messages[0]!.dataPreview = preview;
      (l.websockets[0]!.frames as Item[])[0]!.preview = preview;
    }));
    expect(log.messages[0]!.dataPreview).toBe(preview);
    expect(log.websockets[0]!.frames[0]!.preview).toBe(preview);
  });

  const at = <T>(list: unknown, i: number) => (list as T[])[i]!;
  it.each<[string, (l: LogData) => unknown, RegExp]>([
    ['listeners that are a string', (l) => (l.messages[0]!.listeners = 'all'), /messages\[0\]\.listeners must be a list\./],
    ['a preview that is an object', (l) => (l.messages[0]!.dataPreview = { toString: 1 }), /messages\[0\]\.dataPreview must be a string\./],
    ['a size that is a string', (l) => (l.messages[2]!.size = '11'), /messages\[2\]\.size must be a number\./],
    ['an unknown side observed', (l) => (l.messages[0]!.observed = 'all'), /messages\[0\]\.observed must be one of send, receive, both\./],
    ['an unknown origin check', (l) => (l.messages[0]!.originChecked = '__proto__'), /messages\[0\]\.originChecked must be one of yes, weak, no, unknown\./],
    ['a sender origin that is a number', (l) => (l.messages[1]!.senderOrigin = 3), /messages\[1\]\.senderOrigin must be a string or null\./],
    ['a listener with an unknown check', (l) => (at<Item>(l.messages[2]!.listeners, 0).check = 'maybe'), /messages\[2\]\.listeners\[0\]\.check must be one of/],
    ['a listener location without a URL', (l) => (at<Item>(l.messages[0]!.listeners, 0).location = { line: 1, column: 1 }), /messages\[0\]\.listeners\[0\]\.location\.url must be a string\./],
    ['more listeners than the page hooks keep', (l) => (l.messages[0]!.listeners = Array(LIMITS.maxListeners + 1).fill(at(l.messages[0]!.listeners, 0))), /messages\[0\]\.listeners must hold at most 16 items\./],
  ])('refuses a message with %s, saying where', (_what, edit, message) => {
    expect(() => parseSessionLog(logText((l) => void edit(l)))).toThrow(message);
  });

  it.each<[string, (l: LogData) => unknown, RegExp]>([
    ['frames that are not a list', (l) => (l.websockets[1]!.frames = { 0: {} }), /websockets\[1\]\.frames must be a list\./],
    ['a frame whose size is a string', (l) => (at<Item>(l.websockets[0]!.frames, 0).size = '5'), /websockets\[0\]\.frames\[0\]\.size must be a number\./],
    ['a frame that is null', (l) => (l.websockets[0]!.frames = [null]), /websockets\[0\]\.frames\[0\] must be an object\./],
    ['a frame of an unknown direction', (l) => (at<Item>(l.websockets[0]!.frames, 0).direction = 'up'), /websockets\[0\]\.frames\[0\]\.direction must be one of sent, received\./],
    ['more frames than a socket keeps', (l) => (l.websockets[0]!.frames = Array(MAX_WS_FRAMES + 1).fill(at(l.websockets[0]!.frames, 0))), /websockets\[0\]\.frames must hold at most 200 items\./],
    ['a URL that is an object', (l) => (l.websockets[0]!.url = { href: 'wss://x' }), /websockets\[0\]\.url must be a string\./],
    ['protocols that are not strings', (l) => (l.websockets[1]!.protocols = [1]), /websockets\[1\]\.protocols\[0\] must be a string\./],
    ['no handshake', (l) => delete l.websockets[0]!.handshake, /websockets\[0\]\.handshake must be an object\./],
    ['a handshake request id that is a number', (l) => ((l.websockets[0]!.handshake as Item).requestId = 7), /websockets\[0\]\.handshake\.requestId must be a string or absent\./],
    ['a close code that is a string', (l) => (l.websockets[1]!.closeCode = '1000'), /websockets\[1\]\.closeCode must be a number or null\./],
  ])('refuses a WebSocket with %s, saying where', (_what, edit, message) => {
    expect(() => parseSessionLog(logText((l) => void edit(l)))).toThrow(message);
  });

  it.each<[string, (l: LogData) => unknown, RegExp]>([
    ['a finding whose code is a number', (l) => (l.findings[0]!.code = 7), /findings\[0\]\.code must be a string\./],
    ['a finding of an unknown severity', (l) => (l.findings[0]!.severity = 'critical'), /findings\[0\]\.severity must be one of high, medium, low, info\./],
    ['a finding whose evidence is not a list of ids', (l) => (l.findings[0]!.evidence = [1]), /findings\[0\]\.evidence\[0\] must be a string\./],
    ['a navigation whose URL is an object', (l) => (l.navigations[0]!.url = {}), /navigations\[0\]\.url must be a string\./],
    ['a navigation without its seq', (l) => delete l.navigations[0]!.seq, /navigations\[0\]\.seq must be a number\./],
  ])('refuses %s, saying where', (_what, edit, message) => {
    const text = logText((l) => void edit(l));
    expect(() => readLogFile(text)).toThrow(LogFormatError);
    expect(() => readLogFile(text)).toThrow(message);
  });

  it('reads a log without page-hook lists, findings or navigations as having none', () => {
    const log = parseSessionLog(logText((l) => {
      for (const key of ['messages', 'websockets', 'findings', 'navigations'] as const) delete (l as Partial<LogData>)[key];
    }));
    expect([log.messages, log.websockets, log.findings, log.navigations]).toEqual([[], [], [], []]);
  });
});
