// The secrets lab (test/lab/page/secrets.html) in real Chromium and Firefox: the page plants
// made-up tokens in a query, a redirect, an API key header, a cookie, a WebSocket URL and frame,
// and a postMessage. Exported without "Include secrets", neither the session log nor the HAR
// may carry any of them; exported with it, both carry every one (so the first check is not
// passing on records that were never made).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSessionLog } from '../../src/core/log/session-log';
import { planted } from '../lab/secrets.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, waitReady } from './extension';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const TOKENS = Object.entries(planted);

/** Clicks the element matching `selector` whose text is exactly `words`. */
const click = (panel: Tab, selector: string, words: string) =>
  panel.evaluate((sel, w) => [...document.querySelectorAll<HTMLElement>(sel)].find((e) => e.textContent?.trim() === w)!.click(), selector, words);

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let panel: Tab;

  beforeAll(async () => {
    browser = await launch(name);
    const control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    const page = await browser.open(`${lab.origins.app}/page/secrets.html`);
    expect(await page.waitFor(() => document.documentElement.dataset.secretsDone === 'true' && document.getElementById('status')!.textContent)).toBe('Planted.');
    const tabId = await findTabId(control, `${lab.origins.app}/page/secrets.html`);
    // Everything the page did is in the background before the panel takes its snapshot.
    await askBackgroundUntil(control, 'session', { tabId }, (s) => {
      const done = (path: string) => s?.records.filter((r) => !r.isPreflight && r.url.includes(path) && r.state !== 'pending').length ?? 0;
      return done('/secret/login') === 1 && done('/secret/echo') === 1 && done('/secret/redirect') === 1 && done('/ws?') === 1;
    });
    await askBackgroundUntil(control, 'page-records', { tabId }, (p) => p.messages.length >= 1 && p.websockets[0]?.frames.length === 3);
    panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor(() => document.querySelectorAll('.row').length >= 4);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const exportBoth = async () => [
    (await browser.download(() => click(panel, 'button', 'Export session log'))).text,
    (await browser.download(() => click(panel, 'button', 'Export HAR'))).text,
  ];

  it('exports a session log and a HAR that carry none of the planted tokens without secrets', async () => {
    const [log, har] = await exportBoth();
    expect(parseSessionLog(log!).sanitized).toBe(true);
    for (const [kind, text] of [['session log', log!], ['HAR', har!]] as const) {
      for (const [token, value] of TOKENS) expect(text.includes(value), `${kind} carries the ${token}`).toBe(false);
    }
  });

  it('carries every planted token in both with secrets', async () => {
    await click(panel, 'label', 'Include secrets');
    await panel.waitFor(() => [...document.querySelectorAll<HTMLInputElement>('label input[type=checkbox]')].some((c) => c.parentElement?.textContent?.trim() === 'Include secrets' && c.checked));
    const [log, har] = await exportBoth();
    expect(parseSessionLog(log!).sanitized).toBe(false);
    for (const [kind, text] of [['session log', log!], ['HAR', har!]] as const) {
      for (const [token, value] of TOKENS) expect(text.includes(value), `${kind} lacks the ${token}`).toBe(true);
    }
  });
});
