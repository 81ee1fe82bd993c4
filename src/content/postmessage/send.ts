// The sending side: this window's postMessage, the postMessage of MessagePort, BroadcastChannel and
// Worker, and the postMessage of the references to cross-origin windows (window-refs.ts). The native call
// always comes first, with the page's own `this` and arguments; the send is recorded after it.
import type { MessageChannelKind, MessageEventWire } from '../../core/page/records';
import { preview } from '../../core/page/preview';
import { N, PrivateWeakMap, apply, disguise, invoke, getOwnPropertyDescriptor, ownValue, reflectGet, replaceMethod, safely, withoutOurFrames } from '../native';
import type { Recorder, Thunk } from '../recorder';
import { PREVIEW, type PostMessageContext } from './context';
import { channelPrototypes } from './ports';

const w = N.window;

function recordSend(rec: Recorder, data: unknown, target: string | null, kind: MessageChannelKind, peer: MessageEventWire['peer']): void {
  const t = N.now();
  if (rec.admit(t)) rec.add(sendRecord(data, t, target, kind, peer));
}

/** A send's record (see Thunk). */
function sendRecord(data: unknown, t: number, target: string | null, kind: MessageChannelKind, peer: MessageEventWire['peer']): Thunk {
  return (): MessageEventWire => {
    const p = preview(data, PREVIEW);
    return { k: 'msg', side: 'send', channel: kind, t, origin: null, target, peer, preview: p.text, size: p.size, trusted: null, listeners: [] };
  };
}

/**
 * The targetOrigin of a window.postMessage call from its second argument (undefined when none
 * was given): a string, or the options form's, or '/' when none was given; '?' for what we cannot
 * read without running the page's code (a getter, a value the native converts to a string).
 */
function targetOriginOf(a: unknown): string {
  if (typeof a === 'string') return a;
  if (typeof a === 'object' && a !== null) {
    if (!getOwnPropertyDescriptor(a, 'targetOrigin')) return '/';
    const v = ownValue(a, 'targetOrigin');
    return typeof v === 'string' ? v : '?';
  }
  return a === undefined ? '/' : '?';
}

/**
 * A postMessage that calls `original` with the page's `this` and arguments, in its own try block
 * (invoke, shared by every hook, is a call site the engine cannot specialize: 1.5 µs a call in
 * Chromium), then records the send. A try block rather than safely() on this path, which pages
 * may run in a loop: no closure per call.
 */
function sendHook(original: (...a: unknown[]) => unknown, record: (self: unknown, message: unknown, second: unknown) => void): (...a: unknown[]) => unknown {
  return {
    postMessage(this: unknown, message: unknown) {
      let result: unknown;
      try {
        result = apply(original, this, arguments);
      } catch (e) {
        throw withoutOurFrames(e, original);
      }
      try {
        // The second argument, not `arguments`: passed on, the engine would make it an object
        // each call. Not read past the arguments given (that would look on Object.prototype).
        record(this, message, arguments.length > 1 ? arguments[1] : undefined);
      } catch {
        // our bookkeeping never reaches the page
      }
      return result;
    },
  }.postMessage;
}

export function hookSends(ctx: PostMessageContext): void {
  const { rec } = ctx;
  replaceMethod<(...a: unknown[]) => unknown>(w, 'postMessage', (original) =>
    sendHook(original, (self, message, second) => {
      if (self === w || self === undefined) recordSend(rec, message, targetOriginOf(second), 'window', 'self');
    }),
  );
  for (const [proto, kind] of channelPrototypes()) {
    replaceMethod<(...a: unknown[]) => unknown>(proto, 'postMessage', (original) => sendHook(original, (_self, message) => recordSend(rec, message, null, kind, 'port')));
  }
}

// Whether a window is cross-origin, asked on each send through its reference: cached briefly, as
// a page may post to the same window in a loop.
const crossCache = new PrivateWeakMap<object, { cross: boolean; at: number }>();
function isCrossOrigin(target: object): boolean {
  const now = N.now();
  const c = crossCache.get(target);
  if (c && now - c.at < 500) return c.cross;
  let cross: boolean;
  try {
    void (target as Window).document;
    cross = false;
  } catch {
    cross = true;
  }
  crossCache.set(target, { cross, at: now });
  return cross;
}

/**
 * The postMessage a reference to window `target` offers: the window's own (fetched on each call,
 * as the page would get it), recording the send while the window is cross-origin.
 */
export function postMessageFor(rec: Recorder, target: object): (...a: unknown[]) => unknown {
  const fn = {
    postMessage(message: unknown) {
      const native = reflectGet(target, 'postMessage') as (...a: unknown[]) => unknown;
      const result = invoke(native, target, arguments, fn);
      safely(() => {
        if (isCrossOrigin(target)) recordSend(rec, message, targetOriginOf(arguments.length > 1 ? arguments[1] : undefined), 'window', 'other');
      });
      return result;
    },
  }.postMessage;
  return disguise(fn, N.windowPostMessage);
}
