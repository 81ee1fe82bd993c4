// The cookie verdict through both export formats: the session log reader refuses an unknown
// reason code naming the field; HAR export carries it in _originLens and import reads it back.
import { describe, expect, it } from 'vitest';
import type { CookieVerdict } from '../../../../src/core/cookies/verdict';
import { LogFormatError } from '../../../../src/core/log/errors';
import { toHar } from '../../../../src/core/log/har-export';
import { readLogFile } from '../../../../src/core/log/log-file';
import { toSessionLog } from '../../../../src/core/log/session-log';
import { syntheticRecords } from '../../../support/records';

const COOKIES: CookieVerdict = {
  sent: [{ name: 'chips', partitioned: true }],
  withheld: [{ name: 'sid', reason: 'ThirdPartyPhaseout' }],
  set: [{ name: 'bad', stored: false, reason: 'SameSiteNoneInsecure' }],
};

const withCookies = () => {
  const records = syntheticRecords(4);
  records[1]!.cookies = structuredClone(COOKIES);
  return records;
};

function logText(edit: (cookies: Record<string, unknown>) => void = () => {}): string {
  const log = toSessionLog(
    { tabId: 3, pageUrl: 'https://app.example/', startedAt: 0, records: withCookies(), navigations: [], messages: [], websockets: [], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } },
    { includeSecrets: false, browser: 'chromium', extensionVersion: '0.1.0', now: 0 },
  );
  const data = JSON.parse(JSON.stringify(log)) as { requests: Array<{ cookies?: Record<string, unknown> }> };
  edit(data.requests[1]!.cookies!);
  return JSON.stringify(data);
}

describe('the cookie verdict in a session log', () => {
  it('comes back as it went out; records without one stay without', () => {
    const { records } = readLogFile(logText());
    expect(records[1]!.cookies).toEqual(COOKIES);
    expect(records[0]!.cookies).toBeUndefined();
  });

  it.each([
    ['an unknown withheld reason', (c: Record<string, unknown>) => (c.withheld = [{ name: 'a', reason: 'Eaten' }]), /requests\[1\]\.cookies\.withheld\[0\]\.reason must be a cookie reason code/],
    ['an unknown Set-Cookie reason', (c: Record<string, unknown>) => (c.set = [{ name: 'a', stored: false, reason: '<b>' }]), /requests\[1\]\.cookies\.set\[0\]\.reason must be a cookie reason code/],
    ['sent cookies without partitioned', (c: Record<string, unknown>) => (c.sent = [{ name: 'a' }]), /requests\[1\]\.cookies\.sent must be a list of \{name, partitioned\}/],
    ['an unknown unknown', (c: Record<string, unknown>) => (c.unknown = ['everything']), /requests\[1\]\.cookies\.unknown must be a list of jar, request-cookies/],
  ])('refuses %s, naming the field', (_what, edit, message) => {
    const text = logText(edit);
    expect(() => readLogFile(text)).toThrow(LogFormatError);
    expect(() => readLogFile(text)).toThrow(message);
  });
});

describe('the cookie verdict in a HAR', () => {
  const har = () => toHar(withCookies(), [], { includeSecrets: false, extensionVersion: '0.1.0', pageUrl: null, startedAt: 0, browser: 'firefox' });

  it('rides in _originLens and is read back on import', () => {
    const h = har();
    expect(h.log.entries[1]!._originLens.cookies).toEqual(COOKIES);
    expect(h.log.entries[0]!._originLens).not.toHaveProperty('cookies');
    const { records } = readLogFile(JSON.stringify(h));
    expect(records.find((r) => r.cookies !== undefined)?.cookies).toEqual(COOKIES);
  });

  it('drops a malformed one with a warning, keeping the entry', () => {
    const h = har() as unknown as { log: { entries: Array<{ _originLens: { cookies?: unknown } }> } };
    h.log.entries[1]!._originLens.cookies = { ...COOKIES, withheld: [{ name: 'a', reason: 'Eaten' }] };
    const read = readLogFile(JSON.stringify(h));
    expect(read.records.every((r) => r.cookies === undefined)).toBe(true);
    expect(read.records).toHaveLength(4);
    expect(read.warnings).toContain('Entry 2: _originLens.cookies.withheld[0].reason must be a cookie reason code of docs/verdicts.md: ignored.');
  });
});
