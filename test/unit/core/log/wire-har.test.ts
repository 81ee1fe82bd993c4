import { describe, expect, it } from 'vitest';
import { analyze } from '../../../../src/core/log/analyze';
import { readLogFile } from '../../../../src/core/log/log-file';
import type { Browser } from '../../../../src/core/browser';

// A HAR as a recording proxy writes it (mitmproxy, Charles, a corporate proxy): no browser named,
// no pages, no resource types; header lines as they crossed the wire.
const APP = 'http://app.lab.test';
const header = (name: string, value: string) => ({ name, value });

function wireHar(responseHeaders: Array<{ name: string; value: string }>, creator = 'mitmproxy'): string {
  const entry = {
    startedDateTime: '2026-11-28T06:00:00.000Z',
    time: 3,
    request: {
      method: 'GET',
      url: 'http://api.lab.test/data',
      httpVersion: 'HTTP/1.1',
      headers: [header('Host', 'api.lab.test'), header('Accept', '*/*'), header('Origin', APP), header('Referer', `${APP}/`)],
    },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [header('Content-Type', 'application/json'), ...responseHeaders], redirectURL: '' },
  };
  return JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '11' }, entries: [entry] } });
}

const verdictOf = (har: string, browser: Browser) => analyze(readLogFile(har, browser), browser).rows[0]!.verdict;
const warningCodes = (har: string, browser: Browser) => verdictOf(har, browser).warnings.map((w) => w.code);

describe('a HAR recorded on the wire', () => {
  it('says so, and guesses the request mode', () => {
    const log = readLogFile(wireHar([]), 'chromium');
    expect(log.recordedBy).toBeNull();
    expect(log.warnings.join(' ')).toContain('Recorded on the wire');
    expect(verdictOf(wireHar([]), 'chromium')).toMatchObject({ mode: 'cors', modeGuessed: true, outcome: 'blocked', reason: 'MissingAllowOriginHeader' });
  });

  it('keeps header lines apart: one Access-Control-Allow-Origin line listing origins is Firefox\u2019s "does not match", no guess', () => {
    const oneLine = wireHar([header('Access-Control-Allow-Origin', `${APP}, ${APP}`)]);
    expect(verdictOf(oneLine, 'firefox')).toMatchObject({ outcome: 'blocked', reason: 'AllowOriginMismatch' });
    expect(warningCodes(oneLine, 'firefox')).not.toContain('allow-origin-lines-merged');
    const twoLines = wireHar([header('Access-Control-Allow-Origin', APP), header('Access-Control-Allow-Origin', APP)]);
    expect(verdictOf(twoLines, 'firefox')).toMatchObject({ outcome: 'blocked', reason: 'MultipleAllowOriginValues' });
  });

  it('claims no browser report: a response on the wire is not the browser saying the request succeeded', () => {
    const blocked = wireHar([]);
    expect(warningCodes(blocked, 'chromium')).not.toContain('browser-disagrees');
    expect(warningCodes(blocked, 'firefox')).not.toContain('browser-reported-success');
  });

  it('is told from a browser\u2019s HAR by its creator, or by pages', () => {
    expect(readLogFile(wireHar([], 'Firefox'), 'firefox').recordedBy).toBe('firefox');
    expect(warningCodes(wireHar([], 'Firefox'), 'firefox')).toContain('browser-reported-success');
    const withPage = JSON.parse(wireHar([])) as { log: { pages?: unknown[] } };
    withPage.log.pages = [{ id: 'page_1', title: `${APP}/`, startedDateTime: '2026-11-28T06:00:00.000Z', pageTimings: {} }];
    expect(readLogFile(JSON.stringify(withPage), 'firefox').recordedBy).toBe('firefox');
  });
});
