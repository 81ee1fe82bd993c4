import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
