// The WebSocket hook in a happy-dom page (hooked-page.ts), against a local echo server: what the
// recorder receives for a socket's life, and that the page cannot tell the hook is there.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { PageEvent } from '../../../src/core/page/records';
import { openHookedPage, type HookedPage } from './hooked-page';

let server: WebSocketServer;
let url: string;
beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
});

const KEEP_ORIGINAL = `
  window.original = { ctor: WebSocket, text: Function.prototype.toString.call(WebSocket), send: WebSocket.prototype.send };
`;

let page: HookedPage;
beforeEach(() => {
  page = openHookedPage('websocket', KEEP_ORIGINAL);
});
afterEach(() => page.close());

/** Opens a socket in the page and waits until it is open. */
async function openSocket(protocols = "['chat']"): Promise<void> {
  await page.run(`
    window.ws = new WebSocket('${url}', ${protocols});
    ws.binaryType = 'arraybuffer';
    new Promise((resolve) => ws.addEventListener('open', resolve));
  `);
}

describe('a socket\'s life', () => {
  it('records creation, opening, each frame both ways and the close code and reason', async () => {
    await openSocket();
    await page.run(`
      const echoed = new Promise((resolve) => {
        let n = 0;
        ws.addEventListener('message', () => ++n === 2 && resolve());
      });
      ws.send('héllo');
      ws.send(new Uint8Array([1, 2, 255]));
      echoed;
    `);
    await page.run(`
      const closed = new Promise((resolve) => ws.addEventListener('close', resolve));
      ws.close(4000, 'bye');
      closed;
    `);
    const events = page.recorded();
    const sid = events[0]!.k === 'ws-new' ? events[0]!.sid : -1;
    const t = expect.any(Number) as number;
    expect(events).toEqual<PageEvent[]>([
      { k: 'ws-new', sid, t, url, protocols: ['chat'] },
      { k: 'ws-open', sid, t },
      { k: 'ws-frame', sid, t, dir: 'sent', binary: false, preview: 'héllo', size: 6 },
      { k: 'ws-frame', sid, t, dir: 'sent', binary: true, preview: '01 02 ff', size: 3 },
      { k: 'ws-frame', sid, t, dir: 'received', binary: false, preview: 'héllo', size: 6 },
      { k: 'ws-frame', sid, t, dir: 'received', binary: true, preview: '01 02 ff', size: 3 },
      { k: 'ws-close', sid, t, code: 4000, reason: 'bye' },
    ]);
  });

  it('records no frame for a send the native refused, and throws what it threw', async () => {
    const error = page.run<string>(`
      window.ws = new WebSocket('${url}');
      let error;
      try { ws.send('too early'); } catch (e) { error = e.name; }
      error;
    `);
    expect(error).toBe('InvalidStateError');
    await page.run(`new Promise((resolve) => ws.addEventListener('open', resolve))`);
    expect(page.recorded().map((e) => e.k)).toEqual(['ws-new', 'ws-open']);
  });

  it('tells sockets apart', async () => {
    await openSocket();
    await page.run(`
      window.first = ws;
      window.second = new WebSocket('${url}');
      new Promise((resolve) => second.addEventListener('open', resolve));
    `);
    page.run(`first.send('a'); second.send('b'); second.send('c');`);
    const frames = page.recorded().filter((e) => e.k === 'ws-frame');
    expect(frames.map((f) => f.preview)).toEqual(['a', 'b', 'c']);
    expect(new Set(frames.map((f) => f.sid)).size).toBe(2);
    expect(frames[1]!.sid).toBe(frames[2]!.sid);
  });
});

describe('what the page can see of the hook', () => {
  it('sees a WebSocket constructor with the same name, length, text, statics and prototype', () => {
    expect(page.run(`[
      WebSocket !== original.ctor,
      WebSocket.name === original.ctor.name,
      WebSocket.length === original.ctor.length,
      Function.prototype.toString.call(WebSocket) === original.text,
      WebSocket.OPEN === 1,
      WebSocket.prototype === original.ctor.prototype,
      WebSocket.prototype.constructor === WebSocket,
      new WebSocket('${url}') instanceof WebSocket,
      WebSocket.prototype.send !== original.send,
      WebSocket.prototype.send.name === 'send' && WebSocket.prototype.send.length === original.send.length,
      Function.prototype.toString.call(WebSocket.prototype.send) === Function.prototype.toString.call(original.send),
    ].join()`)).toBe('true,true,true,true,true,true,true,true,true,true,true');
  });

  it('records a subclass\'s sockets too', () => {
    page.run(`class Chat extends WebSocket {} window.chat = new Chat('${url}');`);
    expect(page.run('chat instanceof WebSocket')).toBe(true);
    expect(page.recorded().map((e) => e.k)).toEqual(['ws-new']);
  });
});
