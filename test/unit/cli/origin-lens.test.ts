import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixPlan } from '../../../src/core/fix/requirements';
import { STACKS, stackById } from '../../../src/core/fix/stacks';
import { toSessionLog } from '../../../src/core/log/session-log';
import type { RequestRecord } from '../../../src/core/session/record';
import { scenarioRecords } from '../../servers/scenario-records';
import { judged, PAGE, record } from '../../support/records';

const root = join(import.meta.dirname, '..', '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'origin-lens.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
const har = (name: string) => join('test', 'fixtures', 'har', name);
// Each test runs the CLI a few times, a process each: on a loaded machine that is seconds.
const SPAWNS = { timeout: 30_000 };

describe('origin-lens CLI', SPAWNS, () => {
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

  it('judges a Chromium session log again by Firefox rules with --browser firefox, in its words, and says so', () => {
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
    expect(help.stdout).toMatch(/origin-lens fix FILE --stack STACK/);
  });
});

// Session logs as the panel exports them: the lab's CORS scenarios (blocked and allowed) from the
// lab page, the same from a Vite dev server's page, and a session with a second API.
const APP = 'http://app.lab.test:8710';
const API = 'http://api.lab.test:8710';
const DEV = 'http://localhost:5173';
const OTHER_API = 'https://api.other.test';
const logs = { lab: '', dev: '', two: '' };
let labRecords: RequestRecord[];

function writeLog(dir: string, name: string, records: RequestRecord[], pageUrl: string): string {
  const content = { tabId: 1, pageUrl, startedAt: 0, records, navigations: [], messages: [], websockets: [], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } };
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(toSessionLog(content, { includeSecrets: false, browser: 'chromium', extensionVersion: 'test', now: 0 })));
  return file;
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ol-cli-'));
  labRecords = scenarioRecords([APP], API);
  logs.lab = writeLog(dir, 'lab.json', labRecords, `${APP}/`);
  const viteClient = record({ seq: 5000, url: `${DEV}/@vite/client`, type: 'script', initiatorOrigin: DEV, frameUrl: `${DEV}/`, crossOrigin: false });
  logs.dev = writeLog(dir, 'dev.json', [...scenarioRecords([DEV], API), ...judged([viteClient])], `${DEV}/`);
  const other = judged([record({ seq: 5000, url: `${OTHER_API}/me`, initiatorOrigin: APP, frameUrl: `${APP}/`, error: 'net::ERR_FAILED' })]);
  logs.two = writeLog(dir, 'two.json', [...labRecords, ...other], `${APP}/`);
});

type FixJson = { servers: { origin: string; stack: string; config: string }[]; devServers: { origin: string; kind: string; proxies: { tool: string; config: string }[] }[] };
const fixJson = (...args: string[]) => {
  const r = run('fix', ...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FixJson;
};

describe('origin-lens fix', SPAWNS, () => {
  it('prints the cors() statement for Express that lets the blocked requests through', () => {
    const r = run('fix', logs.lab, '--stack', 'express');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`== ${API}: Express (cors package)`);
    expect(r.stdout).toContain(stackById('express')!.render(fixPlan(labRecords).servers[0]!).text.trimEnd());
    expect(r.stdout).toMatch(/^app\.use\(cors\(\{\n {2}origin: \["http:\/\/app\.lab\.test:8710"\],/m);
  });

  it('prints { servers: [{ origin, stack, config }] } with --json', () => {
    const out = fixJson(logs.lab, '--stack', 'express');
    expect(out.servers).toMatchObject([{ origin: API, stack: 'express', config: expect.stringMatching(/^app\.use\(cors\(\{/) }]);
    expect(out.devServers).toEqual([]);
  });

  it('gives nginx directives for the location block that answer preflights themselves', () => {
    const [server] = fixJson(logs.lab, '--stack', 'nginx').servers;
    expect(server!.config).toContain('add_header Access-Control-Allow-Origin "$cors_allow_origin" always;');
    expect(server!.config).toMatch(/if \(\$request_method = OPTIONS\) \{\n {4}return 204;\n\}/);
  });

  it('prints each server with blocked requests, or only --origin’s', () => {
    expect(fixJson(logs.two, '--stack', 'caddy').servers.map((s) => s.origin)).toEqual([API, OTHER_API]);
    expect(fixJson(logs.two, '--stack', 'caddy', '--origin', `${OTHER_API}/`).servers.map((s) => s.origin)).toEqual([OTHER_API]);
    const none = run('fix', logs.two, '--stack', 'caddy', '--origin', 'https://elsewhere.test');
    expect(none.status).toBe(0);
    expect(none.stdout).toBe(`Nothing to fix on https://elsewhere.test in ${logs.two}: no request to it.\n`);
  });

  it('says what a log with nothing to fix holds: how many requests, how many blocked, and by what', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-cli-'));
    const acao = [{ name: 'Access-Control-Allow-Origin', value: PAGE }];
    const allowed = (seq: number) => record({ seq, url: `https://api.example/ok/${seq}`, responseHeaders: acao });
    const popup = (seq: number, openerCoop: string | null, ownCoop: string | null) =>
      record({
        seq,
        url: 'https://login.other.example/auth',
        type: 'main_frame',
        initiatorOrigin: null,
        requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'navigate' }],
        responseHeaders: [{ name: 'Content-Type', value: 'text/html' }, ...(ownCoop ? [{ name: 'Cross-Origin-Opener-Policy', value: ownCoop }] : [])],
        opener: { url: `${PAGE}/`, coep: null, coop: openerCoop, remoteAddress: null },
      });
    const text = (records: RequestRecord[], ...args: string[]) => {
      const file = writeLog(dir, `log-${records.length}-${args.length}.json`, judged(records), `${PAGE}/`);
      const r = run('fix', file, '--stack', 'express', ...args);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.replaceAll(dir, 'DIR');
    };

    expect(text([allowed(0), allowed(1)])).toBe('Nothing to fix in DIR/log-2-0.json: 2 requests, none blocked.\n');

    const unfixable = text([
      allowed(0),
      record({ seq: 1, url: 'http://api.example/plain', status: null, error: 'net::ERR_FAILED' }),
      record({ seq: 2, url: 'https://api.example/x', hook: hookSaying('same-origin'), status: null, error: 'net::ERR_FAILED' }),
      popup(3, null, 'same-origin'),
    ]);
    expect(unfixable.split('\n')[0]).toBe(
      'Nothing to fix in DIR/log-4-0.json: 4 requests, 3 blocked, none of them by CORS or another header the server can send: 1 MixedContentBlocked, 1 DisallowedByMode, 1 CoopSeveredOpener.',
    );
    expect(unfixable).toContain('Not fixed by any server setting:\n  - http://api.example/plain: blocked by MixedContentBlocked');

    // The opener's COOP cut the popup off: its fix is a header on the opener's server.
    const onOpener = text([popup(0, 'same-origin', null)], '--origin', 'https://login.other.example');
    expect(onOpener).toBe(
      `Nothing to fix on https://login.other.example in DIR/log-1-2.json: 1 request, 1 blocked, all fixed by a header on ${PAGE} (run without --origin): 1 CoopSeveredOpener.\n`,
    );
  });

  it('offers the dev server’s proxy when the page ran on one', () => {
    const out = fixJson(logs.dev, '--stack', 'express');
    expect(out.devServers).toMatchObject([{ origin: DEV, kind: 'vite', proxies: [{ tool: 'vite' }, { tool: 'angular' }] }]);
    expect(out.devServers[0]!.proxies[0]!.config).toContain(`target: "${API}",`);
    const text = run('fix', logs.dev, '--stack', 'express').stdout;
    expect(text).toContain(`== ${DEV} runs on a dev server (vite, seen in ${DEV}/@vite/client)`);
    expect(text).toContain('-- Vite (vite.config.js server.proxy)');
  });

  it('exits 64 on bad usage, listing the stacks for an unknown one, and 2 for an unreadable file', () => {
    const unknown = run('fix', logs.lab, '--stack', 'rails');
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain(`unknown stack "rails"; the stacks are: ${STACKS.map((s) => s.id).join(', ')}`);
    expect(run('fix', logs.lab).status).toBe(64);
    expect(run('fix', '--stack', 'express').status).toBe(64);
    expect(run('fix', logs.lab, '--stack', 'express', '--origin', 'not an origin').status).toBe(64);
    expect(run('fix', logs.lab, '--stack').status).toBe(64);
    const missing = run('fix', har('missing.har'), '--stack', 'express');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*no such file/);
  });
});

describe('origin-lens analyze: preflight cost', SPAWNS, () => {
  it('prints the preflights per server and per page, with the Max-Age advice', () => {
    const r = run('analyze', logs.lab);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Preflights:\\n  per server:\\n    ${API}: \\d+ preflights, \\d+ ms in all, slowest \\d+ ms`));
    expect(r.stdout).toContain(`  per page:\n    ${APP}/: `);
    expect(r.stdout).toContain('Access-Control-Max-Age sent: none / 600 (Chromium caches 5 s, Firefox caches 5 s)');
  });

  it('puts them in --json too', () => {
    const a = JSON.parse(run('analyze', logs.lab, '--json').stdout) as { preflightCost: { servers: { key: string; preflights: number }[] } };
    expect(a.preflightCost.servers).toEqual([expect.objectContaining({ key: API, preflights: labRecords.filter((r) => r.isPreflight).length })]);
  });
});

function hookSaying(mode: string): RequestRecord['hook'] {
  return { url: 'https://api.example/x', method: 'GET', time: 0, api: 'fetch', mode, credentials: 'same-origin', withCredentials: null, authorization: false, headerNames: [] };
}
