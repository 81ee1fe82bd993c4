// The workers lab (test/lab/page/workers.html) in real Chromium and Firefox: a service worker
// that passes the page's cross-origin fetch through and answers a same-origin one after a
// blocked fetch of its own, a dedicated worker and a shared worker. What the page and each
// worker actually got (the workers post it to the page) judges what the extension recorded in
// the page's tab: the workers' requests marked as theirs with the verdicts the browser applied,
// the page requests the service worker answered marked so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/session/record';
import type { SessionState } from '../../src/core/session/session';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, waitReady } from './extension';

type Got = { ok: boolean; status?: number; type?: string; body?: string; error?: string; echoed?: string };

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

// Every request of the lab, by its `id` query parameter (the page's own requests end in sw-pass too).
const IDS = ['sw-pass', 'sw-own', 'sw-answer', 'w-allowed', 'w-blocked', 'w-ws', 'shared-allowed'];

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let control: Tab;
  let got: Record<string, Got>;
  let records: RequestRecord[];
  const byId = (id: string, pick: (r: RequestRecord) => boolean = () => true) => records.filter((r) => r.url.endsWith(`id=${id}`) && pick(r));
  const one = (id: string, pick?: (r: RequestRecord) => boolean) => {
    const found = byId(id, pick);
    expect(found, id).toHaveLength(1);
    return found[0]!;
  };
  // Firefox's messages carry an absent field as null.
  const workers = (r: RequestRecord) => !!r.worker;
  const pages = (r: RequestRecord) => !r.worker;

  beforeAll(async () => {
    browser = await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    const url = `${lab.httpsOrigins.app}/page/workers.html`;
    const page = await browser.open(url);
    expect(await page.waitFor(() => document.documentElement.dataset.workersDone)).toBe('true');
    got = await page.evaluate(() => (window as unknown as { workerResults: Record<string, Got> }).workerResults);
    const tabId = await findTabId(control, url);
    await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
    // Done once every request has ended, and the page's answered ones are linked to the worker's.
    const done = (s: SessionState) => {
      const of = (id: string) => s.records.filter((r) => r.url.endsWith(`id=${id}`));
      const ended = (r: RequestRecord) => r.verdict !== null && (r.state !== 'pending' || r.status !== null);
      return IDS.every((id) => of(id).length > 0 && of(id).every(ended)) && of('sw-pass').some((r) => r.answeredBy?.requestId);
    };
    records = ((await askBackgroundUntil(control, 'session', { tabId }, (s) => s !== null && done(s))) as SessionState).records;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('ran the lab: each worker got what CORS allows', () => {
    expect(got['page-pass']).toMatchObject({ ok: true, status: 200, type: 'cors' });
    expect(got['sw-pass']).toMatchObject({ ok: true, status: 200, type: 'cors' });
    expect(got['sw-own']).toMatchObject({ ok: false });
    expect(JSON.parse(got['page-answer']!.body!)).toMatchObject({ answeredBy: 'service worker', own: { ok: false } });
    expect(got['worker-allowed']).toMatchObject({ ok: true, status: 200 });
    expect(got['worker-blocked']).toMatchObject({ ok: false });
    expect(got['worker-socket']).toMatchObject({ ok: true, echoed: 'hello from the worker' });
    expect(got['shared-allowed']).toMatchObject({ ok: true, status: 200 });
  });

  it("records the service worker's pass-through fetch in the tab, marked as its, allowed as the page got it", () => {
    const r = one('sw-pass', workers);
    expect(r.worker?.kind).toBe('service');
    expect(r.tabId).toBeGreaterThanOrEqual(0);
    expect(r.verdict?.outcome).toBe(got['sw-pass']!.ok ? 'allowed' : 'blocked');
    expect(r.verdict?.mode).toBe('cors');
  });

  it("records the service worker's own fetch, blocked for its real reason", () => {
    const r = one('sw-own', workers);
    expect(r.worker?.kind).toBe('service');
    expect(got['sw-own']!.ok).toBe(false);
    expect(r.verdict).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader' });
  });

  it('marks the page request the service worker passed through as answered by it, linked to its network request', () => {
    const page = one('sw-pass', pages);
    const worker = one('sw-pass', workers);
    expect(page.answeredBy).toEqual({ requestId: worker.id });
    expect(page.verdict?.outcome).toBe('allowed');
    expect(page.hook?.api).toBe('fetch');
  });

  it('marks the page request the service worker answered itself, with no network request to link', () => {
    const page = one('sw-answer');
    expect(page.answeredBy).toEqual({ requestId: null });
    expect(page.worker ?? null).toBeNull();
    expect(page.verdict?.outcome).toBe('same-origin');
    expect(got['page-answer']!.ok).toBe(true);
  });

  it("records the dedicated worker's fetches and socket in the tab, marked with the worker", () => {
    const script = `${lab.httpsOrigins.app}/page/workers-worker.js`;
    const allowed = one('w-allowed');
    const blocked = one('w-blocked');
    const socket = one('w-ws');
    for (const r of [allowed, blocked, socket]) expect(r.worker, r.url).toMatchObject({ kind: 'dedicated', scriptUrl: script });
    expect(allowed.verdict?.outcome).toBe('allowed');
    expect(blocked.verdict).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader' });
    expect(socket.status).toBe(101);
  });

  it("records the shared worker's fetch in the tab, marked as a worker's", () => {
    const r = one('shared-allowed');
    expect(r.worker).toBeTruthy();
    // Chromium gives a shared worker's request nothing but its origin: with a service worker of
    // the same origin the kind is unknown (null), or the service worker's when the page had not yet
    // reported the shared worker when the request came (a race the page's timing decides).
    if (name === 'firefox') expect(r.worker?.kind).toBe('shared');
    else expect([null, 'service']).toContain(r.worker?.kind ?? null);
    expect(r.verdict?.outcome).toBe('allowed');
  });
});
