// The postMessage hooks in a happy-dom page (hooked-page.ts): what the recorder receives for what
// the page does, and that the page cannot tell the hooks are there. Not covered here, because
// happy-dom lacks them or runs them unlike browsers: BroadcastChannel, window.onmessage (happy-dom
// runs an `on*` handler after every listener, not in its place among them), port.onmessage,
// parent / opener / window.open / iframe.contentWindow (no frames); the e2e tests cover them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListenerInfo, MessageEventWire, PageEvent } from '../../../src/core/page/records';
import { HANDOFF, openHookedPage, PAGE_ORIGIN, PAGE_SCRIPT, type HookedPage } from './hooked-page';

const OTHER = 'https://other.example';

// Page functions as they were before the hooks, to compare the hooked ones with.
const KEEP_ORIGINALS = `
  window.holderOf = (o, key) => (Object.hasOwn(o, key) ? o : holderOf(Object.getPrototypeOf(o), key));
  window.originals = {
    postMessage: [window, 'postMessage', 'value'],
    addEventListener: [EventTarget.prototype, 'addEventListener', 'value'],
    removeEventListener: [EventTarget.prototype, 'removeEventListener', 'value'],
    origin: [MessageEvent.prototype, 'origin', 'get'],
    source: [MessageEvent.prototype, 'source', 'get'],
    portPostMessage: [MessagePort.prototype, 'postMessage', 'value'],
  };
  for (const entry of Object.values(originals)) {
    entry[0] = holderOf(entry[0], entry[1]);
    entry.push(Object.getOwnPropertyDescriptor(entry[0], entry[1]));
  }
  window.toStringText = Function.prototype.toString.call(Function.prototype.toString);
  window.errorOf = (f) => {
    try {
      f();
    } catch (e) {
      return String(e);
    }
  };
  window.nativeErrors = [
    errorOf(() => EventTarget.prototype.addEventListener.call(null, 'message', () => {})),
    errorOf(() => Function.prototype.toString.call({})),
  ];
`;

let page: HookedPage;
beforeEach(() => {
  page = openHookedPage('postmessage', KEEP_ORIGINALS);
});
afterEach(() => page.close());

const messages = (events: PageEvent[]): MessageEventWire[] => events.filter((e): e is MessageEventWire => e.k === 'msg');
/** Dispatches a message event on the window, as the browser does for a receipt. */
const deliver = (data: string, origin = OTHER): void => {
  page.run(`window.dispatchEvent(browserEvent('message', { data: ${JSON.stringify(data)}, origin: ${JSON.stringify(origin)}, source: window }))`);
};
const listenersOf = (): ListenerInfo[][] => messages(page.recorded()).map((m) => m.listeners);
const at = (line: number) => ({ url: PAGE_SCRIPT, line, column: expect.any(Number) as number });

describe('sending with window.postMessage', () => {
  it('records the send with its target origin, after the native call with the page\'s own this and arguments', () => {
    page.run(`window.postMessage({ text: 'hi' }, '${OTHER}', []);`);
    expect(page.recorded()).toEqual([
      { k: 'msg', side: 'send', channel: 'window', t: expect.any(Number), origin: null, target: OTHER, peer: 'self', preview: '{text:"hi"}', size: expect.any(Number), trusted: null, listeners: [] },
    ]);
    expect(page.run('nativeCalls.length === 1 && nativeCalls[0].self === window && nativeCalls[0].args.length')).toBe(3);
  });

  it('reads the target origin from every form of the call', () => {
    page.run(`
      postMessage('a');
      postMessage('b', { targetOrigin: '${OTHER}' });
      postMessage('c', {});
      postMessage('d', 42);
    `);
    expect(messages(page.recorded()).map((m) => m.target)).toEqual(['/', OTHER, '/', '?']);
  });
});

describe('receiving on the window', () => {
  it('records each delivery with its origin, and no listeners when none ran', () => {
    deliver('hello', OTHER);
    expect(page.recorded()).toEqual([
      { k: 'msg', side: 'receive', channel: 'window', t: expect.any(Number), origin: OTHER, target: null, peer: 'self', preview: '"hello"', size: 5, trusted: true, listeners: [] },
    ]);
  });

  it('records no message the page dispatches itself (isTrusted false): its origin is whatever the page wrote', () => {
    page.run(`
      window.got = [];
      window.addEventListener('message', function (e) { got.push(e.origin); });
      window.dispatchEvent(new MessageEvent('message', { data: 'invented', origin: 'https://forged.example' }));
      new MessagePort().dispatchEvent(new MessageEvent('message', { data: 'invented' }));
    `);
    deliver('real');
    expect(messages(page.recorded()).map((m) => [m.origin, m.preview, m.listeners.length])).toEqual([[OTHER, '"real"', 1]]);
    expect(page.run('got.join()')).toBe(`https://forged.example,${OTHER}`);
  });

  it('tells, per listener in dispatch order, where it was added and whether it checked event.origin', () => {
    page.run(`
      window.addEventListener('message', function (e) { if (e.origin !== '${OTHER}') return; });
      window.addEventListener('message', function (e) { if (e.origin.indexOf('other') < 0) return; });
      window.addEventListener('message', function (e) { window.last = e.data; });
      window.addEventListener('message', { handleEvent(e) { if (e.source !== window) return; } });
      window.addEventListener('message', function (e) { window.early = e.data; }, true);
    `);
    deliver('x');
    const [listeners] = listenersOf();
    expect(listeners).toEqual([
      { location: at(6), readOrigin: false, readSource: false, check: 'no' }, // capture: runs first
      { location: at(2), readOrigin: true, readSource: false, check: 'yes' },
      { location: at(3), readOrigin: true, readSource: false, check: 'weak' },
      { location: at(4), readOrigin: false, readSource: false, check: 'no' },
      { location: at(5), readOrigin: false, readSource: true, check: 'yes' },
    ]);
    expect(page.run('window.early + window.last')).toBe('xx');
  });

  it('never records its own handoff message, and only the first one', () => {
    deliver(HANDOFF);
    deliver(HANDOFF);
    expect(messages(page.recorded()).map((m) => m.preview)).toEqual([JSON.stringify(HANDOFF)]);
  });

  it('returns the window itself as event.source when a message comes from it', () => {
    page.run(`window.addEventListener('message', (e) => { window.same = e.source === window; });`);
    deliver('x');
    expect(page.run('window.same')).toBe(true);
  });
});

describe('listeners added and removed', () => {
  it('drops a removed listener, and the page\'s listener is really gone', () => {
    page.run(`
      window.runs = 0;
      window.counted = function (e) { window.runs++; return e.origin; };
      window.addEventListener('message', counted);
      window.addEventListener('message', function (e) { return e.data; });
    `);
    deliver('one');
    page.run(`window.removeEventListener('message', counted);`);
    deliver('two');
    expect(listenersOf().map((ls) => ls.map((l) => l.readOrigin))).toEqual([[true, false], [false]]);
    expect(page.run('window.runs')).toBe(1);
  });

  // A listener the hook wrongly still expects would leave the dispatch open: a read of
  // event.origin made after it (through `kept`) would then be credited to a listener.
  it('counts a `once` listener for the first message only', () => {
    page.run(`
      window.runs = 0;
      window.addEventListener('message', function (e) { window.runs++; return e.origin; }, { once: true });
      window.addEventListener('message', function (e) { window.kept = e; });
    `);
    deliver('one');
    deliver('two');
    page.run('window.kept.origin');
    expect(listenersOf().map((ls) => ls.map((l) => [l.location?.line, l.readOrigin]))).toEqual([[[3, true], [4, false]], [[4, false]]]);
    expect(page.run('window.runs')).toBe(1);
  });

  it('forgets a listener whose signal aborted', () => {
    page.run(`
      window.controller = new AbortController();
      window.addEventListener('message', function (e) { return e.origin; }, { signal: controller.signal });
      window.addEventListener('message', function (e) { window.kept = e; });
    `);
    deliver('one');
    page.run('controller.abort()');
    deliver('two');
    page.run('window.kept.origin');
    expect(listenersOf().map((ls) => ls.map((l) => [l.location?.line, l.readOrigin]))).toEqual([[[3, true], [4, false]], [[4, false]]]);
  });

  it('counts a listener added twice once, as it runs once', () => {
    page.run(`
      window.runs = 0;
      window.twice = function () { window.runs++; };
      window.addEventListener('message', twice);
      window.addEventListener('message', twice);
    `);
    deliver('x');
    expect(listenersOf().map((ls) => ls.length)).toEqual([1]);
    expect(page.run('window.runs')).toBe(1);
  });

  it('credits a listener that removes itself while handling the message', () => {
    page.run(`
      window.self_ = function (e) { const from = e.origin; window.removeEventListener('message', self_); return from; };
      window.addEventListener('message', self_);
    `);
    deliver('x');
    expect(listenersOf()).toEqual([[{ location: at(3), readOrigin: true, readSource: false, check: 'unknown' }]]);
  });

  it('still counts a listener that stopped the others after reading event.origin, without its location', () => {
    page.run(`
      window.addEventListener('message', function (e) { if (e.origin === '${OTHER}') e.stopImmediatePropagation(); });
      window.addEventListener('message', function (e) { window.after = true; });
    `);
    deliver('x');
    expect(listenersOf()).toEqual([[{ location: null, readOrigin: true, readSource: false, check: 'unknown' }]]);
    expect(page.run('window.after')).toBeUndefined();
  });

  // A sole listener runs without a marker; the second one added gives it one, right after it.
  it('credits each listener when a sole listener is joined by others, in either group', () => {
    page.run(`window.addEventListener('message', function (e) { return e.origin; });`);
    deliver('one');
    page.run(`
      window.addEventListener('message', function (e) { return e.source; }, true);
      window.addEventListener('message', function (e) { window.kept = e; });
    `);
    deliver('two');
    page.run('window.kept.origin');
    expect(listenersOf().map((ls) => ls.map((l) => [l.location?.line, l.readOrigin, l.readSource]))).toEqual([
      [[1, true, false]],
      [[2, false, true], [1, true, false], [3, false, false]],
    ]);
  });

  it('does not credit a read of event.origin made after the dispatch', () => {
    page.run(`window.addEventListener('message', function (e) { window.kept = e; });`);
    deliver('x');
    page.run('window.kept.origin');
    expect(listenersOf()).toEqual([[{ location: at(1), readOrigin: false, readSource: false, check: 'no' }]]);
  });
});

describe('other windows', () => {
  // Stands for another origin's window: its document cannot be read.
  const CROSS_ORIGIN_SOURCE = `
    window.other = {
      get document() { throw new DOMException('Blocked a frame', 'SecurityError'); },
      postMessage(message) { nativeCalls.push({ self: this, args: [...arguments] }); },
    };
  `;

  it('records a reply through event.source, with one stable reference per window', () => {
    page.run(CROSS_ORIGIN_SOURCE + `
      window.sources = [];
      window.addEventListener('message', (e) => { sources.push(e.source); e.source.postMessage('reply', '${OTHER}'); });
    `);
    for (let i = 0; i < 2; i++) page.run(`window.dispatchEvent(browserEvent('message', { data: 'ping', origin: '${OTHER}', source: other }))`);
    const sent = messages(page.recorded()).filter((m) => m.side === 'send');
    expect(sent.map((m) => [m.peer, m.target, m.preview])).toEqual([
      ['other', OTHER, '"reply"'],
      ['other', OTHER, '"reply"'],
    ]);
    expect(page.run('sources[0] === sources[1] && sources[0] !== other')).toBe(true);
    expect(page.run("nativeCalls.map((c) => c.self === other && c.args.join()).join(' ')")).toBe(`reply,${OTHER} reply,${OTHER}`);
    expect(page.run('sources[0].postMessage.name + sources[0].postMessage.length')).toBe('postMessage1');
  });
});

describe('message ports', () => {
  it('records what a port the page listens on receives, and what it sends', () => {
    page.run(`
      window.port = new MessagePort();
      port.addEventListener('message', function (e) { window.got = e.data; });
      port.dispatchEvent(browserEvent('message', { data: 'in' }));
      port.postMessage('out');
    `);
    expect(messages(page.recorded()).map((m) => [m.side, m.channel, m.peer, m.preview, m.listeners.map((l) => l.check)])).toEqual([
      ['receive', 'message-port', 'port', '"in"', ['unknown']],
      ['send', 'message-port', 'port', '"out"', []],
    ]);
    expect(page.run('window.got')).toBe('in');
  });

  it('records nothing for a port nobody listens on', () => {
    page.run(`new MessagePort().dispatchEvent(browserEvent('message', { data: 'in' }));`);
    expect(page.recorded()).toEqual([]);
  });
});

describe('what the page can see of the hooks', () => {
  it('sees the same name, length, source text and property attributes as before', () => {
    const seen = page.run<Record<string, unknown[]>>(`
      const show = (f) => [f.name, f.length, Function.prototype.toString.call(f), 'prototype' in f];
      const out = {};
      for (const [key, [holder, prop, kind, before]] of Object.entries(originals)) {
        const now = Object.getOwnPropertyDescriptor(holder, prop);
        const attrs = (d) => [d.enumerable, d.configurable, d.writable];
        out[key] = [now[kind] !== before[kind], ...show(now[kind]), ...attrs(now), '=', ...show(before[kind]), ...attrs(before)];
      }
      out;
    `);
    for (const [key, [replaced, ...rest]] of Object.entries(seen)) {
      const eq = rest.indexOf('=');
      expect([key, replaced, ...rest.slice(0, eq)]).toEqual([key, true, ...rest.slice(eq + 1)]);
    }
  });

  it('keeps Function.prototype.toString native-looking, even for itself', () => {
    expect(page.run(`Function.prototype.toString.call(Function.prototype.toString) === toStringText`)).toBe(true);
    expect(page.run(`Function.prototype.toString.name + Function.prototype.toString.length`)).toBe('toString0');
  });

  it('throws what the natives throw when misused', () => {
    const errors = page.run<string[]>(`[
      errorOf(() => EventTarget.prototype.addEventListener.call(null, 'message', () => {})),
      errorOf(() => Function.prototype.toString.call({})),
    ]`);
    expect([...errors]).toEqual([...page.run<string[]>('nativeErrors')]);
    expect(errors.every((e) => e.startsWith('TypeError'))).toBe(true);
  });

  it('passes the page\'s listener and options through untouched', () => {
    expect(page.run(`
      window.calls = [];
      const l = { handleEvent(e) { calls.push(this === l && e.data); } };
      window.addEventListener('message', l, { passive: true });
      window.dispatchEvent(new MessageEvent('message', { data: 'x' }));
      calls.join();
    `)).toBe('x');
    expect(page.run(`location.origin`)).toBe(PAGE_ORIGIN);
  });
});
