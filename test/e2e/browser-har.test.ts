// The offline analyzer on a HAR that a real browser wrote of a lab session, without the
// extension: Chromium's network events as DevTools sees them, saved by Playwright's HAR
// recorder. The page's own fetch results judge every verdict the analyzer gives.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/core/analyze';
import { readLogFile } from '../../src/core/log-file';
import { scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { LAB_HOSTS } from './browsers';

type LabResult = { attempts?: { ok: boolean }[] };

let lab: Lab;
let analysis: Analysis;
let results: Record<string, LabResult>;
const dir = mkdtempSync(join(tmpdir(), 'ol-har-'));

beforeAll(async () => {
  lab = await startLab();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', `--host-resolver-rules=${LAB_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}, EXCLUDE localhost`],
  });
  const harPath = join(dir, 'lab.har');
  const context = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
  const page = await context.newPage();
  await page.goto(`${lab.origins.app}/`);
  await page.waitForFunction(() => document.documentElement.dataset.labDone === 'true');
  results = (await page.evaluate('window.labResults')) as Record<string, LabResult>;
  // The HAR is written when its context closes.
  await context.close();
  await browser.close();
  analysis = analyze(readLogFile(readFileSync(harPath, 'utf8')), 'chromium');
});
afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('offline analyzer on a HAR saved by Chromium', () => {
  it('reads every request of the session', () => {
    expect(analysis.kind).toBe('har');
    for (const s of scenarios) {
      const url = `${lab.origins[s.target]}${s.path ?? `/s/${s.id}`}`;
      expect(analysis.rows.filter((r) => r.url === url), s.id).toHaveLength(s.repeat ?? 1);
    }
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('agrees with what the page’s fetch saw: %s', (_id, s) => {
    const url = `${lab.origins[s.target]}${s.path ?? `/s/${s.id}`}`;
    for (const [i, row] of analysis.rows.filter((r) => r.url === url).entries()) {
      const sawOk = results[s.id]!.attempts![i]!.ok;
      const { outcome, reason, warnings } = row.verdict;
      expect(sawOk).toBe(outcome !== 'blocked' && outcome !== 'failed');
      expect(outcome).toBe(s.expect.outcome);
      // Chrome keeps no response of a refused request: the reason is named where the log holds
      // the evidence, and is otherwise unknown, never a wrong one.
      if (warnings.some((w) => w.code === 'headers-provisional')) expect(reason).toBeNull();
      else expect(reason).toBe(s.expect.reason ?? null);
    }
  });

  it('says why a refused request’s reason is unknown, and still finds the JSONP endpoint', () => {
    const row = analysis.rows.find((r) => r.url === `${lab.origins.api}/s/missing-allow-origin`)!;
    expect(row.verdict).toMatchObject({ outcome: 'blocked', reason: null, mode: 'cors', fix: [] });
    expect(row.verdict.diagnosis).toContain('which CORS check failed cannot be told');
    expect(analysis.findings.map((f) => f.code)).toContain('jsonp-endpoint');
  });
});
