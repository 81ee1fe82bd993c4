// The page hooks end to end, in real Chromium and Firefox with the built extension, over the
// lab: the records the background keeps must match what the lab page did, count for count.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageRecord, PageRecords } from '../../src/core/page/records';
import { askBackground } from '../../src/core/protocol';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';
import { findTabId, sendFrom, waitReady } from './extension';

// ORIGIN_LENS_DIST=dir runs against another build (dir/chrome, dir/firefox) than dist/.
const distFor = (name: string): string | undefined =>
  process.env.ORIGIN_LENS_DIST ? join(process.env.ORIGIN_LENS_DIST, name === 'chromium' ? 'chrome' : 'firefox') : undefined;

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

/** Polls the background until `done` holds (or 15 s pass: then the assertions show what came). */
async function recordsWhen(control: Tab, tabId: number, done: (r: PageRecords) => boolean): Promise<PageRecords> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await askBackground(sendFrom(control), 'page-records', { tabId });
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const windowMessages = (r: PageRecords): MessageRecord[] => r.messages.filter((m) => m.channel === 'window');

// Tabs stay open: in Firefox, closing one leaves Marionette without a current window
// (WebDriver:NewWindow then fails with "Browsing context has been discarded").
describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let control: Tab;
  beforeAll(async () => {
    browser = await launch(name, distFor(name));
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('records a cross-origin frame conversation and a WebSocket echo, count for count', async () => {
    const page = await browser.open(`${lab.origins.app}/?run=postmessage,websocket`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    const tabId = await findTabId(control, `${lab.origins.app}/?run=postmessage`);
    const r = await recordsWhen(control, tabId, (x) =>
      windowMessages(x).filter((m) => m.observed === 'both').length >= 4 && x.websockets[0]?.closeCode != null);
    const app = lab.origins.app;
    const other = lab.origins.other;

    const messages = windowMessages(r);
    // Found by their data: times are milliseconds (coarser in Firefox), and the ping and its reply
    // can fall in the same one, so their order in the list is not a test of anything.
    const byData = (preview: string) => messages.find((m) => m.dataPreview === preview);
    const star = byData('{kind:"hello",note:"sent to any origin"}')!;
    const exact = byData('{kind:"hello",note:"sent to the exact origin"}')!;
    const ping = byData('{kind:"ping"}')!;
    const reply = byData('{kind:"reply",to:"ping"}')!;
    expect([star, exact, ping, reply].map((m) => m && [m.senderOrigin, m.receiverOrigin, m.targetOrigin, m.observed])).toEqual([
      [other, app, '*', 'both'],
      [other, app, app, 'both'],
      [app, other, other, 'both'],
      [other, app, app, 'both'],
    ]);
    expect(messages).toHaveLength(4);
    // The lab page has four listeners when the frame talks: checked, weakly checked, unchecked, and
    // the scenario's own (checked).
    for (const m of [star, exact, reply]) {
      expect(m.listenerCount).toBe(4);
      expect(m.listeners.map((l) => l.check)).toEqual(['yes', 'weak', 'no', 'yes']);
      expect(m.originChecked).toBe('no');
      expect(m.isTrusted).toBe(true);
      expect(m.listeners[0]!.location?.url).toBe(`${app}/page/lab.js`);
    }
    expect(ping.listenerCount).toBe(1);
    expect(ping.originChecked).toBe('yes');
    expect(ping.listeners[0]!.location?.url).toMatch(/frame\.html/);
    expect(ping.senderFrameUrl).toBe(`${app}/?run=postmessage,websocket`);
    expect(ping.frameUrl).toMatch(/^http:\/\/other\.test:\d+\/page\/frame\.html/);

    expect(r.websockets).toHaveLength(1);
    const ws = r.websockets[0]!;
    expect(ws).toMatchObject({
      url: `${other.replace('http', 'ws')}/ws`,
      pageOrigin: app,
      handshake: { origin: app },
      framesSent: 3,
      framesReceived: 2,
      closeCode: 4000,
      closeReason: 'lab asked to close',
      error: false,
    });
    expect(ws.openedAt).not.toBeNull();
    expect(ws.frames.map((f) => [f.direction, f.binary, f.size, f.preview])).toEqual([
      ['sent', false, 9, 'hello lab'],
      ['sent', true, 4, '01 02 03 04'],
      ['received', false, 9, 'hello lab'],
      ['received', true, 4, '01 02 03 04'],
      ['sent', false, 5, 'close'],
    ]);
    expect(r.dropped).toEqual({ messages: 0, websockets: 0, requests: 0, rejected: 0 });
  });

  it('sees the popup’s reply on receipt, with the listener’s source check', async () => {
    const page = await browser.open(`${lab.origins.app}/?run=none`);
    await page.evaluate(() => (document.getElementById('open-popup') as HTMLButtonElement).click());
    await page.waitFor(() => (window as unknown as { labResults: Record<string, unknown> }).labResults.popup);
    const tabId = await findTabId(control, `${lab.origins.app}/?run=none`);
    const r = await recordsWhen(control, tabId, (x) => windowMessages(x).length >= 1);
    const messages = windowMessages(r);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      senderOrigin: lab.origins.other,
      receiverOrigin: lab.origins.app,
      observed: 'receive',
      targetOrigin: null,
      dataPreview: `{kind:"popup-hello",from:"${lab.origins.other}"}`,
      listenerCount: 4,
      originChecked: 'no',
    });
    expect(messages[0]!.listeners.map((l) => l.check)).toEqual(['yes', 'weak', 'no', 'yes']);
    expect(messages[0]!.listeners[3]).toMatchObject({ readSource: true, readOrigin: false });
  });

  it('records MessageChannel, BroadcastChannel and the credentials of fetch and XHR', async () => {
    const page = await browser.open(`${lab.origins.app}/page/channels.html`);
    await page.waitFor(() => document.documentElement.dataset.done === 'true');
    const results = await page.evaluate(() => (window as unknown as { channelResults: Record<string, unknown> }).channelResults);
    expect(results).toMatchObject({ port: 'pong', broadcast: { hello: 'broadcast' }, fetch: 200, noCors: 'opaque' });
    const tabId = await findTabId(control, `${lab.origins.app}/page/channels.html`);
    const r = await recordsWhen(control, tabId, (x) => x.messages.filter((m) => m.observed === 'both').length >= 3 && x.requests.length >= 3);
    expect(r.messages.map((m) => [m.channel, m.dataPreview, m.observed, m.listenerCount])).toEqual([
      ['message-port', '"ping"', 'both', 1],
      ['message-port', '"pong"', 'both', 1],
      ['broadcast-channel', '{hello:"broadcast"}', 'both', 1],
    ]);
    expect(r.messages[2]!.senderOrigin).toBe(lab.origins.app);
    expect(r.requests.map((q) => [q.api, q.method, q.url, q.mode, q.credentials, q.withCredentials, q.authorization, q.headerNames])).toEqual([
      ['fetch', 'GET', `${lab.origins.api}/s/credentialed-allowed`, 'cors', 'include', null, false, []],
      ['xhr', 'GET', `${lab.origins.api}/s/credentialed-allowed`, 'cors', 'include', true, true, ['authorization']],
      ['fetch', 'GET', `${lab.origins.other}/pixel.gif`, 'no-cors', 'same-origin', null, false, []],
    ]);
    expect(r.websockets).toEqual([]);
  });

  it('a hostile page: forged bridge traffic is never recorded, replaced APIs keep working, no page error', async () => {
    const page = await browser.open(`${lab.origins.app}/page/hostile.html`);
    await page.waitFor(() => document.documentElement.dataset.done === 'true');
    const results = await page.evaluate(() => (window as unknown as { hostileResults: { errors: string[]; seenEarly: string[]; checks: Record<string, unknown> } }).hostileResults);
    expect(results.errors).toEqual([]);
    expect(results.checks).toEqual({
      postMessageLooksNative: true,
      fetchLooksNative: true,
      webSocketLooksNative: true,
      sendLooksNative: true,
      addEventListenerLooksNative: true,
      toStringLooksNative: true,
      originGetterLooksNative: true,
      nothingEnumerableAdded: true,
      constructorOk: true,
      subclassOk: true,
      messageDelivered: true,
      socketInstance: true,
      echo: true,
      fetchOk: true,
      // The page's one postMessage, listener, fetch and socket, and its listener's one read of event.origin.
      wrappedCalls: { postMessage: 1, addEventListener: 1, fetch: 1, WebSocket: 1, origin: 1 },
      forgedHandshakeIgnored: true,
    });
    // The page never saw our own handoff: only the one it forged itself.
    expect(results.seenEarly.filter((d) => d.startsWith('origin-lens:handoff:'))).toEqual(['origin-lens:handoff:' + 'a'.repeat(32)]);

    const tabId = await findTabId(control, `${lab.origins.app}/page/hostile.html`);
    const r = await recordsWhen(control, tabId, (x) => x.websockets[0]?.closeCode != null && windowMessages(x).length >= 3 && x.requests.length >= 1);
    // The forged batch shows up only as what it really is: data the page posted (previews).
    expect(r.websockets.map((w) => w.url)).toEqual([`${lab.origins.other.replace('http', 'ws')}/ws`]);
    expect(r.messages.filter((m) => [m.senderOrigin, m.receiverOrigin].includes('https://forged.example'))).toEqual([]);
    expect(r.dropped.rejected).toBe(0);
    // What the page really did: three window messages to itself, one socket, one fetch.
    expect(windowMessages(r).map((m) => [m.observed, m.targetOrigin, m.senderOrigin])).toEqual([
      ['both', '*', lab.origins.app],
      ['both', '*', lab.origins.app],
      ['both', '*', lab.origins.app],
    ]);
    expect(windowMessages(r)[2]!.dataPreview).toBe('{real:1}');
    expect(r.websockets.map((w) => [w.framesSent, w.framesReceived, w.closeCode])).toEqual([[1, 1, 1000]]);
    expect(r.requests.map((q) => [q.api, q.url])).toEqual([['fetch', `${lab.origins.app}/page/hostile.html`]]);
  });
});
