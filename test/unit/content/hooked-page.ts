// A happy-dom page with the MAIN-world hooks installed in it, as the extension does at
// document_start. The hooks run inside the window's own VM context (bundled by esbuild, like the
// product), so that their globalThis is the window, as in a page. Vitest's happy-dom environment
// would not do: its globals are Node's, forwarding to a window (window.addEventListener there is a
// copy bound before any hook runs), so a page's calls would never reach the hooks.
//
// Where happy-dom departs from the browsers in a way the hooks depend on, the page is first made
// browser-shaped (see SHAPE); everything else is happy-dom's own. Page scripts call the window's
// methods as `window.f()`: a bare `f()` reaches them with an undefined `this`, which browsers take
// as the window and happy-dom does not.
import { buildSync } from 'esbuild';
import { Window } from 'happy-dom';
import { runInContext } from 'node:vm';
import { parsePageEvents, type PageEvent } from '../../../src/core/page/records';
import type { MainChannel } from '../../../src/content/channel';

export const PAGE_ORIGIN = 'https://app.example';
/** Page scripts run under this URL: the hooks take listener locations from it. */
export const PAGE_SCRIPT = `${PAGE_ORIGIN}/app.js`;
/** The one window message the channel treats as its own handoff. */
export const HANDOFF = 'handoff-for-test';

const SHAPE = `
  // WebIDL attributes are accessors on the prototype (the hooks read them with the getters they
  // saved, and instrument origin and source there); happy-dom makes them own fields of each event. isTrusted, which happy-dom lacks, is
  // an own accessor of each event ([LegacyUnforgeable]): false for the events scripts make, true
  // for those browserEvent() makes (what the browser dispatches for a real message).
  const browserMade = new WeakSet();
  window.browserEvent = (type, init) => {
    const e = new MessageEvent(type, init);
    browserMade.add(e);
    return e;
  };
  class MessageEvent extends Event {
    #data; #origin; #source;
    constructor(type, init = {}) {
      super(type, init);
      Object.defineProperty(this, 'isTrusted', { get: () => browserMade.has(this), enumerable: true });
      this.#data = init.data ?? null;
      this.#origin = init.origin ?? '';
      this.#source = init.source ?? null;
    }
    get data() { return this.#data; }
    get origin() { return this.#origin; }
    get source() { return this.#source; }
  }
  window.MessageEvent = MessageEvent;
  class CloseEvent extends Event {
    #code; #reason;
    constructor(type, init = {}) {
      super(type, init);
      this.#code = init.code ?? 0;
      this.#reason = init.reason ?? '';
    }
    get code() { return this.#code; }
    get reason() { return this.#reason; }
  }
  window.CloseEvent = CloseEvent;
  // A window inherits addEventListener and removeEventListener from EventTarget.prototype;
  // happy-dom gives each window its own bound copies.
  delete window.addEventListener;
  delete window.removeEventListener;
  // The browsers' lengths (happy-dom declares more parameters): the hooks' wrappers are written
  // with the browsers' own.
  for (const key of ['addEventListener', 'removeEventListener']) Object.defineProperty(EventTarget.prototype[key], 'length', { value: 2 });
  Object.defineProperty(MessagePort.prototype.postMessage, 'length', { value: 1 });
  // The native postMessage, as a stand-in that keeps what it was called with (happy-dom's would
  // deliver its own event shape, later): tests dispatch the receipts they need themselves.
  window.nativeCalls = [];
  window.postMessage = {
    postMessage(message) { // one declared parameter, as the browsers' own
      window.nativeCalls.push({ self: this, args: [...arguments] });
    },
  }.postMessage;
`;

// happy-dom's classes are shared by every window in the process: what the hooks patch on their
// prototypes is put back when the page closes, so that each page starts from happy-dom's own.
const SHARED = ['EventTarget', 'MessagePort', 'WebSocket', 'HTMLIFrameElement', 'HTMLFrameElement'];
function saveShared(window: Window): () => void {
  const saved: [object, PropertyKey, PropertyDescriptor][] = [];
  for (const name of SHARED) {
    const ctor = (window as unknown as Record<string, { prototype: object } | undefined>)[name];
    for (let p = ctor?.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
      for (const key of Reflect.ownKeys(p)) saved.push([p, key, Object.getOwnPropertyDescriptor(p, key)!]);
    }
  }
  return () => {
    for (const [p, key, desc] of saved) Object.defineProperty(p, key, desc);
  };
}

let bundle: string | null = null;
function hooksBundle(): string {
  bundle ??= buildSync({
    stdin: {
      contents: [
        "export { installPostMessageHooks } from './src/content/postmessage-hook';",
        "export { installWebSocketHooks } from './src/content/websocket-hook';",
        "export { Recorder } from './src/content/recorder';",
      ].join('\n'),
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    // Wrapped in a strict function below, as the product's bundle is strict.
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
  }).outputFiles[0]!.text;
  return bundle;
}

interface Hooks {
  installPostMessageHooks(rec: unknown, channel: MainChannel): void;
  installWebSocketHooks(rec: unknown): void;
  Recorder: new (channel: MainChannel) => { flush(): void };
}

export interface HookedPage {
  window: Window;
  /** Runs a page script (as from PAGE_SCRIPT) and returns its completion value. */
  run<T = unknown>(code: string): T;
  /** Everything the hooks recorded since the last call, through the validator the bridge uses. */
  recorded(): PageEvent[];
  close(): Promise<void>;
}

/**
 * Opens a page and installs the hooks in it. `before` runs first, as a page would have it
 * before document_start (e.g. what the tests compare the hooked functions with).
 */
export function openHookedPage(which: 'postmessage' | 'websocket', before = ''): HookedPage {
  const window = new Window({ url: `${PAGE_ORIGIN}/` });
  const run = <T>(code: string): T => runInContext(code, window, { filename: PAGE_SCRIPT }) as T;
  run(SHAPE + before);
  const restoreShared = saveShared(window);
  const module = { exports: {} as Hooks };
  const load = runInContext(`(function (module, exports) {'use strict';${hooksBundle()}\n})`, window, { filename: 'chrome-extension://origin-lens/content-main.js' }) as (m: typeof module, e: Hooks) => void;
  load(module, module.exports);
  const batches: string[] = [];
  const channel: MainChannel = { post: (json) => void batches.push(json), isHandoff: (data) => data === HANDOFF, connected: true };
  const rec = new module.exports.Recorder(channel);
  if (which === 'postmessage') module.exports.installPostMessageHooks(rec, channel);
  else module.exports.installWebSocketHooks(rec);
  return {
    window,
    run,
    recorded() {
      rec.flush();
      const events: PageEvent[] = [];
      for (const json of batches.splice(0)) {
        const parsed = parsePageEvents(json);
        if (parsed.rejected > 0) throw new Error(`the validator rejected ${parsed.rejected} events of ${json}`);
        events.push(...parsed.events);
      }
      return events;
    },
    close: () => {
      restoreShared();
      return window.happyDOM.close();
    },
  };
}
