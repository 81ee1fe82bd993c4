// The cookie lab (test/lab/cookies.mjs) in real Chromium and Firefox: which cookies each
// request really carried, as the server received them, against what each browser is measured
// to do by default (docs/verdicts.md, "Cookies"). Then the extension's cookie verdict of those
// requests, from the panel's session log export (kept in .tmp/cookie-lab/ beside the ground
// truth): the cookies it says went are the ones the server received, and every cookie the
// browser held for the URL and kept back is listed with the reason the browser's rules give.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSessionLog, type SessionLog } from '../../src/core/log/session-log';
import type { CookieReason } from '../../src/core/cookies/reasons';
import type { RequestRecord } from '../../src/core/session/record';
import { jar, login, requests, setters, type CookieRequest } from '../lab/cookies.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, root, type BrowserName, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, until, waitReady } from './extension';

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

type Reasons = Record<string, CookieReason>;
const reasons = (names: string[], reason: CookieReason): Reasons => Object.fromEntries(names.map((n) => [n, reason]));
/** Set-Cookie results: each name stored (null) unless `refused` names its reason. */
const setResults = (names: string[], refused: Reasons = {}): Record<string, CookieReason | null> => ({ ...Object.fromEntries(names.map((n) => [n, null])), ...refused });
const allSet = jar.map((c) => c.name);
const loginNames = login.map((c) => c.name);

/**
 * What the browser holds for the URL of `r` and keeps back, with why. Same site, both send
 * every cookie but the one of another Path. Cross site, Chromium holds the login cookies
 * (unpartitioned: third-party cookies are blocked, or SameSite keeps them home) and the
 * partitioned cookie it sends; Firefox holds the login cookies in another partition (Total
 * Cookie Protection) and this partition's cookies, of which only the one of another Path stays.
 */
function withheld(name: BrowserName, r: CookieRequest): Reasons {
  const held = r.target === 'api' ? stored : name === 'chromium' ? ['partitioned', ...loginNames] : [...CROSS_SITE.firefox, ...loginNames];
  const elsewhere = r.target === 'api' || name === 'firefox' ? reasons(['elsewhere'], 'NotOnPath') : {};
  if (r.credentials === 'same-origin') return { ...elsewhere, ...reasons(held, 'CredentialsModeSameOrigin') };
  if (r.target === 'api') return elsewhere;
  if (name === 'firefox') return { ...elsewhere, ...reasons(loginNames, 'OtherPartition') };
  return { login_none: 'ThirdPartyPhaseout', login_lax: 'SameSiteLax', login_unset: 'SameSiteUnspecifiedTreatedAsLax' };
}

/** What became of each Set-Cookie line of the setters and the login (null: stored). */
const SET: Record<BrowserName, Record<string, Record<string, CookieReason | null>>> = {
  chromium: {
    'set-same': setResults(allSet, { insecure_none: 'SameSiteNoneInsecure' }),
    'set-cross': setResults(allSet, {
      none: 'ThirdPartyPhaseout',
      lax: 'SameSiteLax',
      strict: 'SameSiteStrict',
      unset: 'SameSiteUnspecifiedTreatedAsLax',
      secure: 'SameSiteUnspecifiedTreatedAsLax',
      path: 'ThirdPartyPhaseout',
      elsewhere: 'ThirdPartyPhaseout',
      insecure_none: 'SameSiteNoneInsecure',
    }),
    login: setResults(loginNames),
  },
  firefox: {
    'set-same': setResults(allSet, { insecure_none: 'SameSiteNoneInsecure' }),
    'set-cross': setResults(allSet, { lax: 'SameSiteLax', strict: 'SameSiteStrict', insecure_none: 'SameSiteNoneInsecure' }),
    login: setResults(loginNames),
  },
};

/** Rows of the panel of `tabId` once its snapshot is in. */
const rows = (panel: Tab) => panel.waitFor(() => document.querySelectorAll('.row').length);

/** Turns Preserve log on for the tab, and waits until a panel opened afterwards shows it on. */
async function preserveLog(browser: ExtensionBrowser, tabId: number): Promise<void> {
  const panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
  await rows(panel);
  await panel.evaluate(() => [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === 'Preserve log')!.click());
  await until(
    panel,
    async () => {
      const check = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
      await rows(check);
      const on = await check.evaluate(() => [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === 'Preserve log')!.querySelector('input')!.checked);
      await check.close();
      return on;
    },
    'Preserve log on',
  );
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
    // The setters and the login are kept across the page's navigations: Preserve log first.
    page = await browser.open(`${lab.httpsOrigins.app}/page/bench.html`);
    await preserveLog(browser, await findTabId(control, `${lab.httpsOrigins.app}/page/bench.html`));
    await page.goto(`${lab.httpsOrigins.app}/page/cookies.html?run=${run}`);
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

  let log: SessionLog;
  const recordOf = (id: string): RequestRecord | undefined => log.requests.find((rec) => new RegExp(`[?&]id=${run}-${id}(&|$)`).test(rec.url));

  it('records each request and exports its cookie verdict as a session log', async () => {
    const tabId = await findTabId(control, `${lab.httpsOrigins.app}/page/cookies.html`);
    const ids = [...setters.map((s) => s.id), 'login', ...requests.map((r) => r.id)];
    // Every request finished and judged: the jar is read once requests go quiet.
    await askBackgroundUntil(control, 'session', { tabId }, (s) =>
      ids.every((id) => s?.records.some((rec) => rec.url.includes(`id=${run}-${id}`) && rec.state === 'complete' && rec.cookies !== undefined)),
    );
    const panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor((n) => document.querySelectorAll('.row').length >= n, requests.length);
    // Two steps: the export button reads the box once the panel has re-rendered.
    const click = (selector: string, words: string) =>
      panel.evaluate((sel, w) => [...document.querySelectorAll<HTMLElement>(sel)].find((e) => e.textContent?.trim() === w)!.click(), selector, words);
    await click('label', 'Include secrets');
    const { text } = await browser.download(() => click('button', 'Export session log'));
    log = parseSessionLog(text);
    expect(log.sanitized).toBe(false);
    const table = requests.map((r) => {
      const record = recordOf(r.id);
      const cookie = record?.requestHeaders.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? null;
      return { id: r.id, recorded: record !== undefined, serverReceived: received(r.id)?.cookie ?? null, extensionSaw: cookie, cookies: record?.cookies };
    });
    const out = join(root, '.tmp', 'cookie-lab');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${name}.session-log.json`), text);
    writeFileSync(join(out, `${name}.received.json`), JSON.stringify(table, null, 1) + '\n');
    expect(table.filter((t) => !t.recorded).map((t) => t.id)).toEqual([]);
    // Both browsers show their extensions the Cookie header they send, sent cookies and no others.
    for (const t of table) expect({ id: t.id, saw: t.extensionSaw }).toEqual({ id: t.id, saw: t.serverReceived });
  });

  it.each(requests.map((r) => [r.id, r] as const))("%s: the verdict's sent cookies are what the server received, the held-back ones have the browser's reasons", (id, r) => {
    const cookies = recordOf(id)?.cookies;
    expect(cookies?.unknown).toBeUndefined();
    expect(cookies?.sent.map((c) => c.name).sort()).toEqual(names(received(id)?.cookie));
    // Chromium sends the partitioned cookie cross site from this site's partition; Firefox every cross-site one.
    expect(cookies?.sent.filter((c) => c.partitioned).map((c) => c.name).sort()).toEqual(
      r.target === 'api' ? (expected(name, r).includes('partitioned') ? ['partitioned'] : []) : expected(name, r),
    );
    expect(Object.fromEntries((cookies?.withheld ?? []).map((w) => [w.name, w.reason]))).toEqual(withheld(name, r));
    expect(cookies?.withheld.length).toBe(Object.keys(withheld(name, r)).length);
  });

  it.each(['set-same', 'set-cross', 'login'])('%s: each Set-Cookie stored, or refused with the reason', (id) => {
    const set = recordOf(id)?.cookies?.set ?? [];
    expect(Object.fromEntries(set.map((s) => [s.name, s.reason]))).toEqual(SET[name][id]);
    for (const s of set) expect(s.stored).toBe(s.reason === null);
  });

  it('keeps the login cookies to api.other.test as the top-level site', async () => {
    await browser.open(`${lab.httpsOrigins.otherApi}/cookie/echo?id=${run}-revisit`);
    expect(names(received('revisit')?.cookie)).toEqual(login.map((c) => c.name).sort());
  });
});
