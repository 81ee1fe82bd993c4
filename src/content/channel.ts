// The private channel between the MAIN-world hooks and the isolated bridge: a MessagePort the
// MAIN world creates and transfers to the bridge, before any page script runs.
//
// Handshake (both scripts run at document_start, in either order):
//   1. The bridge makes a random nonce, listens (capture) for `message` and for READY, and
//      dispatches HELLO carrying the nonce (a string: Firefox refuses object `detail` across worlds).
//   2. The MAIN world listens for HELLO and dispatches READY when it starts; the bridge answers
//      READY with HELLO once, if the MAIN world had not caught its first HELLO.
//   3. On HELLO the MAIN world cancels the event (so the bridge knows it was caught), stops
//      listening, and posts HANDOFF+nonce to its own window with a new MessagePort transferred.
//   4. The bridge takes the first `message` whose data is exactly HANDOFF+nonce and whose source
//      is its window, stops it there (stopImmediatePropagation: its capture listener was the
//      first one registered) and keeps the port. Nothing else on the window is ever trusted.
// Only JSON strings travel on the port. The nonce only travels in synchronous events
// dispatched before the page has run any script, so the page cannot learn it; even if it did,
// the bridge accepts one port only and validates everything that arrives on it.
import { HANDOFF, HELLO, READY } from './handshake';
import { N, append, apply, call, test } from './native';
const NONCE = /^[0-9a-f]{32}$/;

export interface MainChannel {
  /** Sends one JSON string to the bridge; queued (bounded) until the port exists. */
  post(json: string): void;
  /** True for the one window message that carries our own handoff (never page traffic). */
  isHandoff(data: unknown): boolean;
  readonly connected: boolean;
}

/** MAIN world side. Call once, first thing at document_start. */
export function openMainChannel(): MainChannel {
  const w = N.window;
  let port: MessagePort | null = null;
  let handoff: string | null = null;
  const pending: string[] = [];
  const onHello = (event: Event): void => {
    try {
      if (port) return;
      const nonce = call(N.customEventDetail, event);
      if (typeof nonce !== 'string' || !test(NONCE, nonce)) return;
      call(N.preventDefault, event);
      call(N.stopImmediatePropagation, event);
      call(N.removeEventListener, w, HELLO, onHello, true);
      const channel = new N.MessageChannel();
      port = channel.port1;
      handoff = HANDOFF + nonce;
      apply(N.windowPostMessage, w, [handoff, '*', [channel.port2]]);
      for (let i = 0; i < pending.length; i++) call(N.portPostMessage, port, pending[i]);
      pending.length = 0;
    } catch {
      // the page must never see our failure
    }
  };
  call(N.addEventListener, w, HELLO, onHello, true);
  try {
    call(N.dispatchEvent, w, new N.CustomEvent(READY));
  } catch {
    // ignore
  }
  return {
    post(json) {
      if (port) call(N.portPostMessage, port, json);
      else if (pending.length < 50) append(pending, json);
    },
    isHandoff: (data) => handoff !== null && data === handoff,
    get connected() {
      return port !== null;
    },
  };
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Isolated-world side: calls `onBatch` with each string the MAIN world sends. */
export function acceptMainChannel(onBatch: (json: string) => void): void {
  const nonce = randomNonce();
  const expected = HANDOFF + nonce;
  let accepted = false;
  let helloCaught = false;
  const sendHello = (): void => {
    const hello = new CustomEvent(HELLO, { detail: nonce, cancelable: true });
    // dispatchEvent returns false when a listener cancelled it: the MAIN world caught it.
    if (!window.dispatchEvent(hello)) {
      helloCaught = true;
      window.removeEventListener(READY, onReady, true);
    }
  };
  const onReady = (event: Event): void => {
    event.stopImmediatePropagation();
    if (!helloCaught) sendHello();
  };
  const onMessage = (event: MessageEvent): void => {
    if (event.source !== window || event.data !== expected) return;
    event.stopImmediatePropagation();
    if (accepted) return;
    const port = event.ports[0];
    if (!port) return;
    accepted = true;
    window.removeEventListener('message', onMessage, true);
    window.removeEventListener(READY, onReady, true);
    port.onmessage = (m: MessageEvent) => {
      if (typeof m.data === 'string') onBatch(m.data);
    };
  };
  window.addEventListener('message', onMessage, true);
  window.addEventListener(READY, onReady, true);
  sendHello();
}
