import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record';
import type { SessionState } from '../../src/core/session';
import { scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { baseReason, consoleReason } from './console-reasons';
import { askBackground, findTabId, waitReady } from './extension';

type LabResult = { ok: boolean; type?: string; attempts?: { ok: boolean }[] };

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

/** Asks the background for the tab's session until `done` holds for it. */
async function sessionWhen(control: Tab, tabId: number, done: (s: SessionState) => boolean): Promise<SessionState> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await askBackground(control, 'session', { tabId });
    if (s && done(s)) return s;
    if (Date.now() > deadline) throw new Error(`session of tab ${tabId} never reached: ${done.toString()}`);
    // The next check waits for the page's next timer turn, not for a fixed delay.
    await control.evaluate(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

const settled = (s: SessionState) => s.records.length > 0 && s.records.every((r) => r.state !== 'pending' || r.type === 'websocket');

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let control: Tab;
  let page: Tab;
  let tabId: number;
  let records: RequestRecord[];
  let results: Record<string, LabResult>;
  let consoleLog: string[];

  beforeAll(async () => {
    browser = await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    page = await browser.open(`${lab.origins.app}/`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    results = await page.evaluate(() => (window as unknown as { labResults: Record<string, LabResult> }).labResults);
    tabId = await findTabId(control, `${lab.origins.app}/`);
    records = (await sessionWhen(control, tabId, settled)).records;
    consoleLog = await browser.consoleMessages();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const actualRequests = (url: string) => records.filter((r) => r.url === url && !r.isPreflight);

  it.each(scenarios.map((s) => [s.id, s] as const))('the verdict of %s agrees with what the page’s fetch saw', (_id, s) => {
    const url = `${lab.origins[s.target]}${s.path ?? `/s/${s.id}`}`;
    const recs = actualRequests(url);
    const result = results[s.id]!;
    expect(recs.length).toBe(s.repeat ?? 1);
    for (const [i, r] of recs.entries()) {
      const sawOk = result.attempts![i]!.ok;
      const outcome = r.verdict?.outcome;
      // The browser is the judge: "blocked" only where fetch rejected, a readable or opaque result only where it resolved.
      if (outcome === 'blocked') expect(sawOk).toBe(false);
      else expect(sawOk).toBe(true);
      expect(outcome).toBe(s.expect.outcome);
      if (s.expect.reason) expect(r.verdict?.reason).toBe(s.expect.reason);
      if (s.expect.cookies) expect(r.credentials.cookiesSent).toBe(true);
    }
    // And the browser's own console names the same reason (Firefox without the preflight prefix).
    const said = consoleReason(name, consoleLog, recs[0]!.finalUrl);
    const ours = recs[0]!.verdict?.reason ?? null;
    expect(said).toBe(ours === null ? null : name === 'firefox' ? baseReason(ours) : ours);
  });

  it('pairs preflights with the requests they guard', () => {
    const [guarded] = actualRequests(`${lab.origins.api}/s/preflight-allowed`);
    const preflight = records.find((r) => r.id === guarded?.preflight);
    expect(preflight).toMatchObject({ method: 'OPTIONS', isPreflight: true, preflightFor: guarded!.id, status: 204 });
  });

  it('flags JSONP and records the WebSocket handshake with its Origin', () => {
    expect(records.find((r) => r.url.startsWith(`${lab.origins.other}/jsonp?callback=`))?.jsonp).toBe(true);
    const ws = records.find((r) => r.type === 'websocket');
    expect(ws?.status).toBe(101);
    expect(ws?.requestHeaders.find((h) => h.name.toLowerCase() === 'origin')?.value).toBe(lab.origins.app);
  });

  it('keeps the records from before and after the background is stopped', async () => {
    const before = records.map((r) => r.id);
    await browser.stopBackground();
    await page.evaluate(async (api: string) => {
      await fetch(`${api}/s/simple-allowed?after-restart`);
    }, lab.origins.api);
    const after = await sessionWhen(control, tabId, (s) => s.records.some((r) => r.url.endsWith('?after-restart') && r.state !== 'pending'));
    expect(after.records.map((r) => r.id)).toEqual(expect.arrayContaining(before));
    expect(after.records.find((r) => r.url.endsWith('?after-restart'))?.verdict?.outcome).toBe('allowed');
    expect(after.records.filter((r) => r.url === `${lab.origins.api}/s/preflight-allowed`)).toHaveLength(2);
  });
});
