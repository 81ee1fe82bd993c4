import { describe, expect, it } from 'vitest';
import { LogFormatError } from '../../../../src/core/log/errors';
import { readLogFile } from '../../../../src/core/log/log-file';
import { parseSessionLog, toSessionLog } from '../../../../src/core/log/session-log';
import { messageRecord, syntheticRecords } from '../../../support/records';

const records = syntheticRecords(8);

const messages = [messageRecord({ channel: 'window' }), messageRecord({ channel: 'worker', observed: 'send' })];

type LogData = { requests: Record<string, unknown>[]; messages: Record<string, unknown>[]; dropped?: unknown };
function logText(edit: (log: LogData) => void = () => {}): string {
  const log = toSessionLog(
    { tabId: 3, pageUrl: 'https://app.example/', startedAt: 0, records, navigations: [], messages, websockets: [], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } },
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
    expect(parseSessionLog(logText()).messages.map((m) => m.channel)).toEqual(['window', 'worker']);
    const old = parseSessionLog(logText((l) => delete l.messages[1]!.channel));
    expect(old.messages.map((m) => m.channel)).toEqual(['window', 'window']);
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
});
