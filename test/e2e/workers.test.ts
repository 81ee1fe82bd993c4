// The workers lab (test/lab/page/workers.html) in real Chromium and Firefox: a service worker
// that passes the page's cross-origin fetch through and answers a same-origin one after a
// blocked fetch of its own, a dedicated worker and a shared worker. What the page and each
// worker actually got (the workers post it to the page) judges what the extension recorded in
// the page's tab: the workers' requests marked as theirs with the verdicts the browser applied,
// the page requests the service worker answered marked so; what the page and its dedicated worker
// said to each other (on the worker, a MessageChannel and a BroadcastChannel) judges the messages
// of the exported session log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW } from '../../src/content/postmessage/context';
import { parseSessionLog } from '../../src/core/log/session-log';
import { preview } from '../../src/core/page/preview';
import type { RequestRecord } from '../../src/core/session/record';
import type { SessionState } from '../../src/core/session/session';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { askBackground } from '../../src/core/protocol';
import { askBackgroundUntil, findTabId, sendFrom, waitReady } from './extension';

type Got = { ok: boolean; status?: number; type?: string; body?: string; error?: string; echoed?: string };
type Talk = { sent: { worker: unknown; port: string; broadcast: string }; got: { worker: string; port: string; broadcast: string } };

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
  let talk: Talk;
  let records: RequestRecord[];
  let tabId: number;
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
    const finished = await page.waitFor(() => document.documentElement.dataset.workersDone).catch(() => 'never');
    // Which steps the page got through, so that a page that never finishes says where it stopped.
    const reached = await page.evaluate(() => Object.keys((window as unknown as { workerResults: object }).workerResults).join(', '));
    expect(finished, `the workers page finished; steps done: ${reached}`).toBe('true');
    ({ talk, ...got } = await page.evaluate(() => (window as unknown as { workerResults: Record<string, Got> & { talk: Talk } }).workerResults));
    tabId = await findTabId(control, url);
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

  it('records the messages the page and its dedicated worker exchanged, each with its channel and direction, as the page sent and got them', async () => {
    expect(talk.got).toEqual({
      worker: `worker heard: ${(talk.sent.worker as { talk: string }).talk}`,
      port: `worker heard on the port: ${talk.sent.port}`,
      broadcast: `worker heard on the channel: ${talk.sent.broadcast}`,
    });
    const text = (data: unknown) => preview(data, PREVIEW).text;
    const app = lab.httpsOrigins.app;
    const page = `${app}/page/workers.html`;
    // What the page sent went from it to the worker; what it got came from the worker (a
    // BroadcastChannel message carries the poster's origin, a worker's or a port's none).
    const sentBy = (channel: string, data: unknown) => ({ channel, observed: 'send', dataPreview: text(data), senderOrigin: app, senderFrameUrl: page, frameUrl: null, receiverOrigin: null });
    const gotFrom = (channel: string, data: unknown, origin: string | null) => ({ channel, observed: 'receive', dataPreview: text(data), senderOrigin: origin, frameUrl: page, receiverOrigin: app, isTrusted: true });
    const expected = [
      sentBy('worker', talk.sent.worker),
      gotFrom('worker', talk.got.worker, null),
      sentBy('message-port', talk.sent.port),
      gotFrom('message-port', talk.got.port, null),
      sentBy('broadcast-channel', talk.sent.broadcast),
      gotFrom('broadcast-channel', talk.got.broadcast, app),
    ];
    const previews = new Set(expected.map((e) => e.dataPreview));
    await askBackgroundUntil(control, 'page-records', { tabId }, (r) => r.messages.filter((m) => previews.has(m.dataPreview)).length >= expected.length);
    const panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor(() => [...document.querySelectorAll('[role=tab]')].some((t) => /^Messages \([1-9]/.test(t.textContent ?? '')));
    const { text: exported } = await browser.download(() =>
      panel.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export session log')!.click()));
    const log = parseSessionLog(exported);
    // Its tab is inspected no more (the next test records inspected tabs only).
    await panel.close();
    const said = log.messages.filter((m) => previews.has(m.dataPreview));
    expect(said).toHaveLength(expected.length);
    for (const e of expected) expect(said, `${e.channel} ${e.observed} ${e.dataPreview}`).toContainEqual(expect.objectContaining(e));
    // On the worker itself, besides the talk: the API origin sent, the worker's results received.
    const onWorker = log.messages.filter((m) => m.channel === 'worker');
    expect(onWorker.map((m) => [m.observed, m.dataPreview])).toEqual([
      ['send', text({ api: lab.httpsOrigins.api })],
      ['receive', text({ 'worker-allowed': got['worker-allowed'], 'worker-blocked': got['worker-blocked'], 'worker-socket': got['worker-socket'] })],
      ['send', text(talk.sent.worker)],
      ['receive', text(talk.got.worker)],
    ]);
  });

  it("with 'inspected tabs only', gives the service worker's requests to the inspected tab whose page it serves, and to no other", async () => {
    const setScope = async (scope: 'all' | 'inspected') => expect((await askBackground(sendFrom(control), 'set-settings', { settings: { scope } })).settings.scope).toBe(scope);
    await setScope('inspected');
    try {
      const start = `${lab.httpsOrigins.app}/?run=none&tab=inspected`;
      const tab = await browser.open(start);
      const inspected = await findTabId(control, start);
      const panel = await browser.openExtensionPage(`panel.html?tabId=${inspected}`);
      await panel.waitFor(() => document.querySelector('.page')?.textContent !== 'connecting…');
      // The first visit tells the background that the tab runs the service worker (which
      // controls the page from its start: registered above); the second runs while it listens.
      const url = `${lab.httpsOrigins.app}/page/workers.html`;
      for (let visit = 0; visit < 2; visit++) {
        await tab.goto(url);
        expect(await tab.waitFor(() => document.documentElement.dataset.workersDone)).toBe('true');
      }
      const ran = await tab.evaluate(() => (window as unknown as { workerResults: Record<string, Got> }).workerResults);
      expect(ran['sw-pass']).toMatchObject({ ok: true, status: 200 });
      expect(ran['sw-own']).toMatchObject({ ok: false });
      const ended = (r: RequestRecord) => r.verdict !== null && r.state !== 'pending';
      const theWorkers = (s: SessionState | null, id: string) => s?.records.filter((r) => r.url.endsWith(`id=${id}`) && r.worker && ended(r)) ?? [];
      const session = await askBackgroundUntil(control, 'session', { tabId: inspected }, (s) => theWorkers(s, 'sw-pass').length > 0 && theWorkers(s, 'sw-own').length > 0);
      expect(theWorkers(session, 'sw-pass').map((r) => r.verdict?.outcome)).toContain('allowed');
      for (const r of theWorkers(session, 'sw-own')) expect(r.verdict).toMatchObject({ outcome: 'blocked', reason: 'MissingAllowOriginHeader' });
      // The tab of the first test's page, which the same worker serves, is not inspected: none of it.
      await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
      const other = (await askBackground(sendFrom(control), 'session', { tabId })) as SessionState;
      expect(other.records.filter((r) => r.url.endsWith('id=sw-own'))).toHaveLength(1);
    } finally {
      await setScope('all');
    }
  });
});
