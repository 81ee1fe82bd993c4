import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askBackground } from '../../src/core/protocol';
import { DEFAULT_SETTINGS } from '../../src/core/session/settings';
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

describe.each(BROWSERS)('%s recording scope', (name) => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launch(name);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("'inspected tabs only' records the tab with a panel open and nothing of the others", async () => {
    const control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    expect((await askBackground(sendFrom(control), 'set-settings', { settings: { scope: 'inspected' } })).settings.scope).toBe('inspected');

    const watched = await browser.open(`${lab.origins.app}/?run=none&tab=watched`);
    const other = await browser.open(`${lab.origins.app}/?run=none&tab=other`);
    const watchedId = await findTabId(control, `${lab.origins.app}/?run=none&tab=watched`);
    const otherId = await findTabId(control, `${lab.origins.app}/?run=none&tab=other`);
    const panel = await browser.openExtensionPage(`panel.html?tabId=${watchedId}`);
    // Subscribed once the background's first snapshot replaced "connecting…".
    await panel.waitFor(() => document.querySelector('.page')?.textContent !== 'connecting…');

    const fetchFrom = (tab: typeof watched, marker: string) =>
      tab.evaluate(async (api: string, m: string) => (await fetch(`${api}/s/simple-allowed?${m}`)).status, lab.origins.api, marker);
    expect(await fetchFrom(watched, 'watched')).toBe(200);
    expect(await fetchFrom(other, 'other')).toBe(200);

    const session = await askBackgroundUntil(control, 'session', { tabId: watchedId }, (s) => s?.records.some((r) => r.url.endsWith('?watched') && r.state === 'complete') === true);
    expect(session?.records.find((r) => r.url.endsWith('?watched'))?.verdict?.outcome).toBe('allowed');
    await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
    const unwatched = await askBackground(sendFrom(control), 'session', { tabId: otherId });
    expect(unwatched?.records.some((r) => r.url.endsWith('?other')) ?? false).toBe(false);

    // Back to every tab: the other tab is recorded again.
    expect((await askBackground(sendFrom(control), 'set-settings', { settings: { scope: 'all' } })).settings.scope).toBe('all');
    expect(await fetchFrom(other, 'other-again')).toBe(200);
    const again = await askBackgroundUntil(control, 'session', { tabId: otherId }, (s) => s?.records.some((r) => r.url.endsWith('?other-again')) === true);
    expect(again?.records.some((r) => r.url.endsWith('?other'))).toBe(false);
  });

  it('keeps the chosen settings across a background restart, and refuses values it does not offer', async () => {
    const control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    const chosen = { ...DEFAULT_SETTINGS, scope: 'inspected', maxRequests: 10_000 } as const;
    expect((await askBackground(sendFrom(control), 'set-settings', { settings: chosen })).settings).toEqual(chosen);
    const refused = await askBackground(sendFrom(control), 'set-settings', { settings: { maxRequests: 1e9, scope: 'none' as 'all', maxTotalBytes: -1 } });
    expect(refused.settings).toEqual(chosen);
    await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
    await browser.stopBackground();
    expect((await askBackgroundUntil(control, 'status', {}, (s) => s.ready)).settings).toEqual(chosen);
    await askBackground(sendFrom(control), 'set-settings', { settings: { scope: 'all', maxRequests: 50_000 } });
  });
});
