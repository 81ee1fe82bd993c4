// The offline analyzer on HARs that real browsers wrote of a lab session: Chromium's network
// events as its DevTools protocol reports them (Playwright's HAR recorder, no extension), and
// Firefox's own DevTools export (the network monitor's "Save All As HAR"). The page's own fetch
// results judge every verdict the analyzer gives.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/core/log/analyze';
import { readLogFile } from '../../src/core/log/log-file';
import { expectedReason, scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, CHROMIUM_PATH, chromiumFlags, launchFirefox, type BrowserName } from './browsers';

type LabResult = { attempts?: { ok: boolean }[] };
type Session = { har: string; results: Record<string, LabResult> };

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const labDone = () => document.documentElement.dataset.labDone === 'true';

async function chromiumSession(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'ol-har-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumFlags(null) });
  try {
    const harPath = join(dir, 'lab.har');
    const context = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
    const page = await context.newPage();
    await page.goto(`${lab.origins.app}/`);
    await page.waitForFunction(labDone);
    const results = (await page.evaluate('window.labResults')) as Session['results'];
    // The HAR is written when its context closes.
    await context.close();
    return { har: readFileSync(harPath, 'utf8'), results };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Firefox's DevTools, opened on the tab before the lab runs, export what they saw as HAR. */
async function firefoxSession(): Promise<Session> {
  const firefox = await launchFirefox();
  const devtools = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const tab = Services.wm.getMostRecentWindow('navigator:browser').gBrowser.selectedTab;`;
  try {
    const page = await firefox.open(`${lab.origins.app}/?run=none`);
    await firefox.chromeScript(`${devtools} return gDevTools.showToolboxForTab(tab, { toolId: 'netmonitor' }).then(() => true);`);
    await page.goto(`${lab.origins.app}/`);
    await page.waitFor(labDone);
    const results = await page.evaluate(() => (window as unknown as { labResults: Session['results'] }).labResults);
    const har = await firefox.chromeScript<string>(
      `${devtools} return gDevTools.getToolboxForTab(tab).getPanel('netmonitor').panelWin.Netmonitor.api.getHar().then((h) => JSON.stringify(h));`,
    );
    return { har, results };
  } finally {
    await firefox.close();
  }
}

const sessions: Record<BrowserName, () => Promise<Session>> = { chromium: chromiumSession, firefox: firefoxSession };

describe.each(BROWSERS)('offline analyzer on a HAR saved by %s', (name) => {
  let analysis: Analysis;
  let results: Session['results'];
  beforeAll(async () => {
    const session = await sessions[name]();
    results = session.results;
    analysis = analyze(readLogFile(session.har), name);
  });

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
      if (warnings.some((w) => w.code === 'headers-provisional')) expect(reason).toBe(s.expect.reason ? 'UnknownNoResponseSaved' : null);
      else expect(reason).toBe(expectedReason(s, name) ?? null);
    }
  });

  it('names the fix where the file holds the response, and says why not where it does not', () => {
    const row = analysis.rows.find((r) => r.url === `${lab.origins.api}/s/missing-allow-origin`)!;
    if (name === 'firefox') {
      // Firefox saves the refused response with its headers.
      expect(row.verdict).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader', fix: [`Access-Control-Allow-Origin: ${lab.origins.app}`] });
    } else {
      expect(row.verdict).toMatchObject({ outcome: 'blocked', reason: 'UnknownNoResponseSaved', mode: 'cors', fix: [] });
      expect(row.verdict.diagnosis).toContain('which CORS check failed cannot be told');
    }
    expect(analysis.findings.map((f) => f.code)).toContain('jsonp-endpoint');
  });
});
