import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/session/record';
import type { SessionState } from '../../src/core/session/session';
import { askBackground } from '../../src/core/protocol';
import { expectedReason, scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab, type Scheme } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { consoleReason } from './console-reasons';
import { consoleWords } from '../../src/core/words/words';
import { askBackgroundUntil, findTabId, sendFrom, waitReady } from './extension';

type LabResult = { ok: boolean; type?: string; attempts?: { ok: boolean }[] };
/** One lab page's run: its tab, what its fetches saw, what the extension recorded. */
type Run = { page: Tab; tabId: number; origins: Lab['origins']; records: RequestRecord[]; results: Record<string, LabResult> };

// Every scenario over plain HTTP and over HTTPS (as real pages are), in one browser each.
const SCHEMES: Scheme[] = ['http', 'https'];

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

/** Asks the background for the tab's session until `done` holds for it. */
const sessionWhen = (control: Tab, tabId: number, done: (s: SessionState) => boolean) =>
  askBackgroundUntil(control, 'session', { tabId }, (s) => s !== null && done(s)) as Promise<SessionState>;

// Chromium never completes a WebSocket's webRequest record; its handshake is done once it has a status.
const settled = (s: SessionState) =>
  s.records.length > 0 && s.records.every((r) => r.state !== 'pending' || (r.type === 'websocket' && r.status !== null));

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let control: Tab;
  const runs = {} as Record<Scheme, Run>;
  let consoleLog: string[];

  /** Loads the lab page at `scheme` and waits until the extension has recorded all it did. */
  async function runLab(scheme: Scheme): Promise<Run> {
    const origins = scheme === 'https' ? lab.httpsOrigins : lab.origins;
    const page = await browser.open(`${origins.app}/`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    const results = await page.evaluate(() => (window as unknown as { labResults: Record<string, LabResult> }).labResults);
    const tabId = await findTabId(control, `${origins.app}/`);
    // Everything the page did has reached the background once its queue is empty.
    await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
    const records = (await sessionWhen(control, tabId, settled)).records;
    return { page, tabId, origins, records, results };
  }

  beforeAll(async () => {
    browser = await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    for (const scheme of SCHEMES) runs[scheme] = await runLab(scheme);
    consoleLog = await browser.consoleMessages();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(SCHEMES)('%s', (scheme) => {
    const actualRequests = (url: string) => runs[scheme].records.filter((r) => r.url === url && !r.isPreflight);

    it.each(scenarios.map((s) => [s.id, s] as const))('the verdict of %s agrees with what the page’s fetch saw', (_id, s) => {
      const { origins, results } = runs[scheme];
      const url = `${origins[s.target]}${s.path ?? `/s/${s.id}`}`;
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
        if (s.expect.reason) expect(r.verdict?.reason).toBe(expectedReason(s, name));
        if (s.expect.cookies) expect(r.credentials.cookiesSent).toBe(true);
      }
      // And the browser's own console gives the same reason, by the same name, in the words we render.
      const said = consoleReason(name, consoleLog, recs[0]!.finalUrl);
      const v = recs[0]!.verdict;
      if (v?.reason == null) expect(said).toBeNull();
      else {
        const words = consoleWords(name);
        const ours = words.reason(v.reason, v.failedParameter);
        expect(said?.key).toBe(words.key(v.reason));
        // Chromium may add a hint after the reason (fetch's no-cors advice).
        expect(said?.text.slice(0, ours.length)).toBe(ours);
      }
    });

    it('pairs preflights with the requests they guard', () => {
      const [guarded] = actualRequests(`${runs[scheme].origins.api}/s/preflight-allowed`);
      const preflight = runs[scheme].records.find((r) => r.id === guarded?.preflight);
      expect(preflight).toMatchObject({ method: 'OPTIONS', isPreflight: true, preflightFor: guarded!.id, status: 204 });
    });

    it('flags JSONP and records the WebSocket handshake with its Origin', () => {
      const { origins, records } = runs[scheme];
      expect(records.find((r) => r.url.startsWith(`${origins.other}/jsonp?callback=`))?.jsonp).toBe(true);
      const ws = records.find((r) => r.type === 'websocket');
      expect(ws?.status).toBe(101);
      expect(ws?.requestHeaders.find((h) => h.name.toLowerCase() === 'origin')?.value).toBe(origins.app);
    });
  });

  it('keeps the records from before and after the background is stopped', async () => {
    const { page, tabId, records, origins } = runs.https;
    const before = records.map((r) => r.id);
    // The lab's frame conversation: four messages, each seen sent and received.
    const pageBefore = await askBackgroundUntil(control, 'page-records', { tabId }, (p) => p.messages.length === 4 && p.messages.every((m) => m.observed === 'both'));
    // The lab page keeps well within the page hooks' rates: none of its events was dropped.
    expect(pageBefore.dropped).toEqual({ messages: 0, websockets: 0, requests: 0, rejected: 0 });
    // The browser stops an idle background; idle means everything seen is written.
    await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
    await browser.stopBackground();
    // The first request wakes the worker (Chromium may not deliver all of its events to the
    // waking worker); the verdict is checked on the next one.
    await page.evaluate(async (api: string) => {
      await fetch(`${api}/s/simple-allowed?wake`);
      await fetch(`${api}/s/simple-allowed?after-restart`);
    }, origins.api);
    const after = await sessionWhen(control, tabId, (s) => s.records.some((r) => r.url.endsWith('?after-restart') && r.state === 'complete' && r.status !== null));
    expect(after.records.some((r) => r.url.endsWith('?wake'))).toBe(true);
    expect(after.records.map((r) => r.id)).toEqual(expect.arrayContaining(before));
    expect(after.records.find((r) => r.url.endsWith('?after-restart'))?.verdict?.outcome).toBe('allowed');
    expect(after.records.filter((r) => r.url === `${origins.api}/s/preflight-allowed`)).toHaveLength(2);
    const pageAfter = await askBackground(sendFrom(control), 'page-records', { tabId });
    expect(pageAfter.messages.map((m) => m.id)).toEqual(pageBefore.messages.map((m) => m.id));
    expect(pageAfter.websockets.map((w) => w.handshake.requestId)).toEqual(pageBefore.websockets.map((w) => w.handshake.requestId));
  });
});
