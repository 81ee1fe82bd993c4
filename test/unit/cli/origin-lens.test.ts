import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSessionLog } from '../../../src/core/log/session-log';
import { judged, PAGE, record } from '../../support/records';

const root = join(import.meta.dirname, '..', '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'origin-lens.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
const har = (name: string) => join('test', 'fixtures', 'har', name);

describe('origin-lens CLI', () => {
  it('prints a verdict table and findings', () => {
    const r = run('analyze', har('chrome-lab.har'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/GET\s+200\s+blocked\s+MissingAllowOriginHeader\s+https:\/\/other\.test\/data/);
    expect(r.stdout).toMatch(/fix: Access-Control-Allow-Origin: https:\/\/app\.lab\.test/);
    expect(r.stdout).toMatch(/\[medium\] Cross-site WebSocket/);
  });

  it('prints machine JSON with --json and honours --browser', () => {
    const r = run('analyze', har('chrome-lab.har'), '--json', '--browser', 'firefox');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as { browser: string; rows: unknown[]; findings: unknown[] };
    expect(a.browser).toBe('firefox');
    expect(a.rows).toHaveLength(6);
  });

  // Three runs of the CLI: more than the default 5 s on a busy machine.
  it('judges a Chromium session log again by Firefox rules with --browser firefox, in its words, and says so', { timeout: 30_000 }, () => {
    const acao = (...values: string[]) => values.map((value) => ({ name: 'Access-Control-Allow-Origin', value }));
    const records = judged([
      record({ seq: 0, url: 'https://api.example/one-line', responseHeaders: acao(`${PAGE}, https://other.example`), error: 'net::ERR_FAILED' }),
      record({ seq: 1, url: 'https://api.example/two-lines', responseHeaders: acao(PAGE, PAGE), error: 'net::ERR_FAILED' }),
    ]);
    // Chromium calls both "multiple values".
    expect(records.map((r) => r.verdict?.reason)).toEqual(['MultipleAllowOriginValues', 'MultipleAllowOriginValues']);
    const log = toSessionLog(
      { tabId: 1, pageUrl: `${PAGE}/`, startedAt: 0, records, navigations: [], messages: [], websockets: [], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } },
      { includeSecrets: true, browser: 'chromium', extensionVersion: '0.1.0', now: 0 },
    );
    const file = join(mkdtempSync(join(tmpdir(), 'ol-cli-')), 'chromium.json');
    writeFileSync(file, JSON.stringify(log));

    const json = run('analyze', file, '--json', '--browser', 'firefox');
    expect(json.status, json.stderr).toBe(0);
    const a = JSON.parse(json.stdout) as { browser: string; rejudgedFrom: string | null; rows: { url: string; verdict: { reason: string }; said: { firefoxKey: string; text: string } }[] };
    expect([a.browser, a.rejudgedFrom]).toEqual(['firefox', 'chromium']);
    expect(a.rows.map((r) => [r.verdict.reason, r.said.firefoxKey])).toEqual([
      ['AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin'],
      ['MultipleAllowOriginValues', 'CORSMultipleAllowOriginNotAllowed'],
    ]);
    const text = run('analyze', file, '--browser', 'firefox').stdout;
    expect(text).toContain('firefox rules (re-judged: recorded in chromium)');
    expect(text).toContain(`CORSAllowOriginNotMatchingOrigin: CORS header ‘Access-Control-Allow-Origin’ does not match ‘${PAGE}, https://other.example’`);
    // Without the flag the log's own verdicts stand.
    expect((JSON.parse(run('analyze', file, '--json').stdout) as typeof a).rows.map((r) => r.verdict.reason)).toEqual(['MultipleAllowOriginValues', 'MultipleAllowOriginValues']);
  });

  it('exits 2 with a clear message for a missing, corrupt or foreign file', () => {
    for (const [file, message] of [
      [har('missing.har'), /cannot read .*no such file/],
      [har('not-json.har'), /not JSON/],
      [har('not-a-har.json'), /Not a HAR log/],
      [har('session-log-v9.json'), /Session log version 9 is not supported/],
    ] as const) {
      const r = run('analyze', file);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('exits 64 on bad usage and 0 on --help', () => {
    expect(run().status).toBe(64);
    expect(run('analyze').status).toBe(64);
    expect(run('analyze', 'x.har', '--browser', 'safari').status).toBe(64);
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: origin-lens analyze FILE/);
  });
});
