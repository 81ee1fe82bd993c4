// The lab's dev page (dev.localhost, served like a Vite project, its /api/ proxied by
// http-proxy-middleware) in real Chromium and Firefox: the straight cross-origin call is
// blocked, the same call through the proxy is allowed, and the session the extension exports
// shows the dev server, whose fix is the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxiesFor } from '../../src/core/fix/dev-proxies';
import { detectDevServers, devServerFixes } from '../../src/core/fix/dev-server';
import { readLogFile } from '../../src/core/log/log-file';
import type { RequestRecord } from '../../src/core/session/record';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, waitReady } from './extension';

type Call = { ok: boolean; status?: number; body?: { scenario: string } };
const PATH = '/s/missing-allow-origin';

describe.each(BROWSERS)('%s', (name) => {
  let lab: Lab;
  let browser: ExtensionBrowser;
  let panel: Tab;
  let calls: Record<'direct' | 'proxied', Call>;
  let records: RequestRecord[];
  let exported: string;

  beforeAll(async () => {
    [lab, browser] = await Promise.all([startLab(), launch(name)]);
    const control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    // Through the lab page's link, which sends the browser to the dev server.
    const page = await browser.open(`${lab.origins.app}/dev`);
    await page.waitFor(() => document.documentElement.dataset.devDone === 'true');
    calls = await page.evaluate(() => (window as unknown as { devResults: Record<'direct' | 'proxied', Call> }).devResults);
    const tabId = await findTabId(control, `${lab.origins.dev}/`);
    const session = await askBackgroundUntil(control, 'session', { tabId }, (s) =>
      [`${lab.origins.api}${PATH}`, `${lab.origins.dev}/api${PATH}`].every((url) => s?.records.some((r) => r.url === url && r.state !== 'pending')),
    );
    records = session!.records;
    panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor(() => document.querySelectorAll('.row').length > 0);
    exported = (
      await browser.download(() =>
        panel.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export session log')!.click()),
      )
    ).text;
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), lab?.close()]);
  });

  it("blocks the straight call and lets the proxied one through, as the page's fetch saw", () => {
    expect(calls.direct.ok).toBe(false);
    expect(calls.proxied).toEqual({ ok: true, status: 200, body: { scenario: 'missing-allow-origin', method: 'GET' } });
    const verdict = (url: string) => records.find((r) => r.url === url && !r.isPreflight)?.verdict;
    expect(verdict(`${lab.origins.api}${PATH}`)).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader', requestOrigin: lab.origins.dev });
    expect(verdict(`${lab.origins.dev}/api${PATH}`)?.outcome).toBe('same-origin');
  });

  it('exports a session in which the dev server is found, and whose fix is its proxy to the API', () => {
    const log = readLogFile(exported);
    expect(detectDevServers(log.records)).toEqual([{ origin: lab.origins.dev, kind: 'vite', evidence: `${lab.origins.dev}/@vite/client` }]);
    const [fix] = devServerFixes(log.records);
    expect(fix!.routes.map((r) => [r.prefix, r.target])).toEqual([['/api', lab.origins.api]]);
    expect(proxiesFor('vite')[0]!.render(fix!.routes).text).toContain(`target: "${lab.origins.api}",`);
  });

  it("offers the proxy in the panel's Servers view", async () => {
    await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('[role=tab]')].find((b) => b.textContent?.startsWith('Servers'))!.click());
    const offer = await panel.waitFor(() => document.querySelector('.dev-proxy h4')?.textContent);
    expect(offer).toBe(`Or skip CORS: ${lab.origins.dev} runs on a Vite dev server`);
    const config = await panel.evaluate(() => document.querySelector('.dev-proxy .config pre')?.textContent);
    expect(config).toContain(`"/api/": {\n        target: "${lab.origins.api}",`);
  });
});
