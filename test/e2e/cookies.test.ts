// The cookie lab (test/lab/cookies.mjs) in real Chromium and Firefox: which cookies each
// request really carried, as the server received them, against what each browser is measured
// to do by default (docs/verdicts.md, "Cookies"). Then what the extension records of those
// requests today: the panel's session log export, kept in .tmp/cookie-lab/ beside the ground
// truth for the cookie verdict to be checked against.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSessionLog, type SessionLog } from '../../src/core/log/session-log';
import { jar, login, requests, type CookieRequest } from '../lab/cookies.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, root, type BrowserName, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, waitReady } from './extension';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const names = (cookieHeader: string | null | undefined) => (cookieHeader ? cookieHeader.split('; ').map((c) => c.split('=')[0]!).sort() : []);

// Every cookie of the jar but the one refused at Set-Cookie (SameSite=None without Secure)
// and the one whose Path the requests do not match.
const stored = jar.map((c) => c.name).filter((n) => n !== 'insecure_none' && n !== 'elsewhere');
// Cross site, Chromium sends only the partitioned cookie (third-party cookies are blocked);
// Firefox sends the cookies set in this top-level site's partition that are not Lax or Strict
// (no SameSite counts as None there).
const CROSS_SITE: Record<BrowserName, string[]> = {
  chromium: ['partitioned'],
  firefox: ['none', 'unset', 'secure', 'partitioned', 'path'],
};

/** The cookie names the browser should send with `r` (`credentials: 'same-origin'` to another origin: none). */
function expected(name: BrowserName, r: CookieRequest): string[] {
  if (r.credentials === 'same-origin') return [];
  return (r.target === 'api' ? stored : CROSS_SITE[name]).slice().sort();
}

describe.each(BROWSERS)('%s', (name) => {
  const run = `e2e-${name}`;
  const received = (id: string) => lab.log.find((e) => e.id === `${run}-${id}`);
  let browser: ExtensionBrowser;
  let control: Tab;
  let page: Tab;

  beforeAll(async () => {
    browser = await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    page = await browser.open(`${lab.httpsOrigins.app}/page/cookies.html?run=${run}`);
    // The page navigates twice (the login and back): the server sees when it has sent all.
    await lab.seen((e) => e.path === '/__received' && e.id === run);
    await page.waitFor(() => document.documentElement.dataset.cookiesDone === 'true');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('had the cookies set, and logged in at the other site at the top level', () => {
    expect(['set-same', 'set-cross', 'login'].map((id) => received(id)?.host)).toEqual(['api.lab.test', 'api.other.test', 'api.other.test']);
  });

  it.each(requests.map((r) => [r.id, r] as const))('%s carried the cookies the browser sends by default', async (id, r) => {
    const saw = await page.evaluate((key) => (window as unknown as { cookieResults: Record<string, { ok: boolean }> }).cookieResults[key], id);
    expect(saw?.ok).toBe(true);
    expect(names(received(id)?.cookie)).toEqual(expected(name, r));
  });

  it('records each request and exports what it saw as a session log', async () => {
    const tabId = await findTabId(control, `${lab.httpsOrigins.app}/page/cookies.html`);
    const urlOf = (id: string) => `?id=${run}-${id}`;
    await askBackgroundUntil(control, 'session', { tabId }, (s) =>
      requests.every((r) => s?.records.some((rec) => rec.url.endsWith(urlOf(r.id)) && rec.state === 'complete')),
    );
    const panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor((n) => document.querySelectorAll('.row').length >= n, requests.length);
    // Two steps: the export button reads the box once the panel has re-rendered.
    const click = (selector: string, words: string) =>
      panel.evaluate((sel, w) => [...document.querySelectorAll<HTMLElement>(sel)].find((e) => e.textContent?.trim() === w)!.click(), selector, words);
    await click('label', 'Include secrets');
    const { text } = await browser.download(() => click('button', 'Export session log'));
    const log: SessionLog = parseSessionLog(text);
    expect(log.sanitized).toBe(false);
    const table = requests.map((r) => {
      const record = log.requests.find((rec) => rec.url.endsWith(urlOf(r.id)));
      const cookie = record?.requestHeaders.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? null;
      return { id: r.id, recorded: record !== undefined, serverReceived: received(r.id)?.cookie ?? null, extensionSaw: cookie, cookiesSent: record?.credentials.cookiesSent };
    });
    // For the cookie verdict to come: what the extension records next to what was really sent.
    const out = join(root, '.tmp', 'cookie-lab');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${name}.session-log.json`), text);
    writeFileSync(join(out, `${name}.received.json`), JSON.stringify(table, null, 1) + '\n');
    expect(table.filter((t) => !t.recorded).map((t) => t.id)).toEqual([]);
    // Both browsers show their extensions the Cookie header they send, sent cookies and no others.
    for (const t of table) expect({ id: t.id, saw: t.extensionSaw, sent: t.cookiesSent }).toEqual({ id: t.id, saw: t.serverReceived, sent: t.serverReceived !== null });
  });

  it('keeps the login cookies to api.other.test as the top-level site', async () => {
    await browser.open(`${lab.httpsOrigins.otherApi}/cookie/echo?id=${run}-revisit`);
    expect(names(received('revisit')?.cookie)).toEqual(login.map((c) => c.name).sort());
  });
});
