// A page that turns hostile after load (test/lab/page/hostile-late.html): it replaces every
// global the page hooks could touch, fakes our handshake and handoff, then sends real messages,
// requests and WebSocket frames and tries to invent others. Judged, in Chromium and Firefox, by the
// exported session log: nothing invented in it, the real traffic all there, no page error, and
// none of the replaced globals ever called by the hooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSessionLog, type SessionLog } from '../../src/core/log/session-log';
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

const FORGED = /forged/;

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let control: Tab;
  beforeAll(async () => {
    browser = await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('records the real traffic and nothing invented, and the page sees no error', async () => {
    const url = `${lab.origins.app}/page/hostile-late.html`;
    const page = await browser.open(url);
    await page.waitFor(() => document.documentElement.dataset.done === 'true');
    const results = JSON.parse(await page.evaluate(() => document.documentElement.dataset.results!)) as Record<string, unknown>;
    expect(results).toEqual({ errors: '', touchedByExtension: '', detectorSeesTheHooks: true, messageDelivered: true, workerEchoed: true, fetched: true, echo: true, closed: true });

    const tabId = await findTabId(control, url);
    // Until the socket's close and the real message are in: the page has done all it does by then.
    await askBackgroundUntil(control, 'page-records', { tabId }, (r) =>
      r.websockets.some((w) => w.closeCode !== null) && r.messages.some((m) => m.dataPreview === '{real:"late"}' && m.observed === 'both'));
    const panel = await browser.openExtensionPage(`panel.html?tabId=${tabId}`);
    await panel.waitFor(() => [...document.querySelectorAll('[role=tab]')].some((t) => /^WebSockets \(1\)/.test(t.textContent ?? '')));
    const { text } = await browser.download(() =>
      panel.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export session log')!.click()));
    const log: SessionLog = parseSessionLog(text);

    // Nothing invented: no socket, origin, URL or frame the page never had.
    const ws = `${lab.origins.other.replace('http', 'ws')}/ws`;
    expect(log.websockets.map((w) => w.url)).toEqual([ws]);
    expect(log.websockets[0]).toMatchObject({ pageOrigin: lab.origins.app, framesSent: 1, framesReceived: 1, closeCode: 1000, closeReason: 'done', error: false });
    expect(log.websockets[0]!.frames.map((f) => [f.direction, f.preview])).toEqual([['sent', 'late hello'], ['received', 'late hello']]);
    const origins = log.messages.flatMap((m) => [m.senderOrigin, m.receiverOrigin, m.targetOrigin, m.frameUrl, m.senderFrameUrl]);
    expect(origins.filter((o) => o !== null && FORGED.test(o))).toEqual([]);
    expect(log.messages.every((m) => m.isTrusted !== false)).toBe(true);
    // The real traffic, each message as the page sent it (not as the lying getters or toJSON tell it).
    const summary = log.messages.map((m) => [m.channel, m.dataPreview, m.observed, m.senderOrigin, m.targetOrigin]);
    expect(summary).toEqual(expect.arrayContaining([
      // Its targetOrigin came from a getter, which the hooks never run: recorded as unknown.
      ['window', '"probe"', 'both', lab.origins.app, '?'],
      ['window', `"origin-lens:handoff:${'b'.repeat(32)}"`, 'both', lab.origins.app, '*'],
      ['window', '{real:"late"}', 'both', lab.origins.app, '*'],
      // The page's side of its worker: the send, and the echo (a worker's message has no origin).
      ['worker', '{real:"worker"}', 'send', lab.origins.app, null],
      ['worker', '{real:"worker"}', 'receive', null, null],
    ]));
    // Besides those, only the page's send on the port it made itself (nobody listens on the other end).
    expect(summary).toHaveLength(6);
    expect(log.messages.filter((m) => m.channel === 'message-port').map((m) => m.observed)).toEqual(['send']);
    // The header names of its requests, as the native fetch read them from a Proxy and a Headers.
    const hooked = (query: string) => log.requests.find((r) => r.url === `${lab.origins.app}/page/lab.css?late=${query}`)?.hook;
    expect(hooked('proxy')).toMatchObject({ api: 'fetch', headerNames: ['x-late', 'authorization'], authorization: true });
    expect(hooked('headers')).toMatchObject({ api: 'fetch', headerNames: ['x-late-headers'], authorization: false });
    // Nothing refused: its blob: worker is not reported (worker reports are http(s) URLs only).
    expect(log.dropped).toEqual({ requests: 0, requestsForBudget: 0, messages: 0, websockets: 0, rejected: 0, rejectedBatches: 0 });
  });
});
