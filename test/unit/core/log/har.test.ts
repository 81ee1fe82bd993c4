import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../../src/core/log/analyze';
import { readLogFile } from '../../../../src/core/log/log-file';
import { LogFormatError } from '../../../../src/core/log/errors';
import { guessBrowser } from '../../../../src/core/log/har';
import { toHar } from '../../../../src/core/log/har-export';
import { syntheticRecords } from '../../../support/records';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'har', name), 'utf8');

describe('reading a HAR: Chrome DevTools export', () => {
  const { records } = readLogFile(fixture('chrome-lab.har'));
  const byUrl = (u: string, preflight = false) => records.find((r) => r.url === u && r.isPreflight === preflight);

  it('guesses the browser and folds preflights and redirect hops into their requests', () => {
    expect(readLogFile(fixture('chrome-lab.har')).browser).toBe('chromium');
    expect(records.filter((r) => !r.isPreflight)).toHaveLength(6);
    const put = byUrl('https://api.lab.test/items');
    expect(put?.method).toBe('PUT');
    expect(put?.preflight).toBe(byUrl('https://api.lab.test/items', true)?.id);
    expect(byUrl('https://api.lab.test/items', true)?.status).toBe(204);
    const redirected = byUrl('https://api.lab.test/old');
    expect(redirected?.redirects).toHaveLength(1);
    expect(redirected?.finalUrl).not.toBe(redirected?.url);
    expect(redirected?.status).toBe(200);
  });

  it('keeps Chrome extras: _error, _resourceType', () => {
    expect(byUrl('https://other.test/data')?.error).toBe('net::ERR_FAILED');
    expect(byUrl('wss://ws.other.test/socket')?.type).toBe('websocket');
  });

  it('analyses to verdicts and findings', () => {
    const a = analyze(readLogFile(fixture('chrome-lab.har')));
    const outcome = (u: string) => a.rows.find((r) => r.url === u)?.verdict;
    expect(outcome('https://api.lab.test/items')).toMatchObject({ outcome: 'allowed', preflight: 'sent' });
    expect(outcome('https://other.test/data')).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader' });
    expect(outcome('https://api.lab.test/old')).toMatchObject({ outcome: 'blocked', reason: 'AllowOriginMismatch' });
    expect(outcome('https://app.lab.test/')?.outcome).toBe('navigation');
    expect(a.findings.map((f) => f.code).sort()).toEqual(['cross-site-websocket', 'jsonp-endpoint']);
    expect(a.summary.blocked).toBe(2);
  });

  it('marks the JSONP load that the findings name, so the JSONP filter shows it', () => {
    const log = readLogFile(fixture('chrome-lab.har'));
    const jsonp = log.records.filter((r) => r.jsonp).map((r) => r.url);
    expect(jsonp).toEqual(['https://other.test/feed?callback=handleFeed']);
    const finding = analyze(log).findings.find((f) => f.code === 'jsonp-endpoint');
    expect(log.records.find((r) => r.id === finding?.evidence[0])?.jsonp).toBe(true);
  });
});

describe('reading a HAR: Firefox DevTools export', () => {
  const log = readLogFile(fixture('firefox-lab.har'));
  const a = analyze(log);
  const row = (path: string) => a.rows.find((r) => r.url.endsWith(path));

  it('reads Firefox logs without Chrome extras', () => {
    expect(log.browser).toBe('firefox');
    expect(row('/public')?.verdict).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader', credentials: 'unknown' });
    expect(row('/me')?.verdict).toMatchObject({ outcome: 'blocked', reason: 'WildcardOriginNotAllowed', credentials: 'include' });
    expect(row('/items')?.verdict).toMatchObject({ outcome: 'allowed', mode: 'cors', preflight: 'sent' });
    expect(row('/socket')?.verdict.mode).toBe('websocket');
  });

  it('keeps a preflight whose request is missing as that request', () => {
    expect(row('/admin')?.verdict).toMatchObject({ outcome: 'blocked', hop: 'preflight' });
    expect(log.warnings.join('\n')).toMatch(/no matching request/);
  });

  it('lets the caller override the browser', () => {
    expect(readLogFile(fixture('firefox-lab.har'), 'chromium').browser).toBe('chromium');
    expect(guessBrowser('WebInspector')).toBe('chromium');
    expect(guessBrowser('Charles Proxy')).toBeNull();
  });
});

describe('reading a HAR: not a HAR', () => {
  it.each([
    ['not-json.har', /not JSON/],
    ['not-a-har.json', /no "log" object/],
    ['entries-not-a-list.har', /log\.entries/],
  ])('%s throws a LogFormatError', (name, message) => {
    expect(() => readLogFile(fixture(name))).toThrow(LogFormatError);
    expect(() => readLogFile(fixture(name))).toThrow(message);
  });

  it('skips broken entries with a warning', () => {
    const har = readLogFile(JSON.stringify({ log: { version: '1.2', creator: { name: 'x' }, entries: [null, { request: {} }, { request: { url: 'https://a.test/', method: 'GET' } }] } }));
    expect(har.records).toHaveLength(1);
    expect(har.warnings.filter((w) => /skipped/.test(w))).toHaveLength(2);
  });
});

describe('HAR export', () => {
  it("puts each blocked reason in the judging browser's words beside its code", () => {
    const har = toHar(syntheticRecords(8), [], { includeSecrets: false, extensionVersion: '0.1.0', pageUrl: null, startedAt: 0, browser: 'firefox' });
    const missing = har.log.entries.find((e) => e.request.url === 'https://api1.example/missing/1')!;
    expect(missing._originLens.verdict?.reason).toBe('MissingAllowOriginHeader');
    expect(missing._originLens.said).toMatchObject({ firefoxKey: 'CORSMissingAllowOrigin2', text: 'CORS header ‘Access-Control-Allow-Origin’ missing' });
  });
});
