import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askBackground, PROTOCOL_VERSION } from '../../src/core/protocol';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser } from './browsers';
import { askBackgroundUntil, findTabId, sendFrom, waitReady } from './extension';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launch(name);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the built extension and observes the lab page’s cross-origin requests', async () => {
    const control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    const status = await askBackground(sendFrom(control), 'status', {});
    expect(status).toMatchObject({ version: PROTOCOL_VERSION, ready: true, browser: name });

    const page = await browser.open(`${lab.origins.app}/?run=simple-allowed,missing-allow-origin`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    const results = await page.evaluate(() => (window as unknown as { labResults: Record<string, { ok: boolean }> }).labResults);
    expect(results['simple-allowed']?.ok).toBe(true);
    expect(results['missing-allow-origin']?.ok).toBe(false);

    const tabId = await findTabId(control, `${lab.origins.app}/`);
    const wanted = [`${lab.origins.api}/s/simple-allowed`, `${lab.origins.api}/s/missing-allow-origin`];
    await askBackgroundUntil(control, 'session', { tabId }, (session) => wanted.every((u) => session?.records.some((r) => r.url === u && r.crossOrigin)));
  });
});
