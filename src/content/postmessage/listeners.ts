// The receiving side on the window and the page's listeners: every `message` event delivered to
// this window, which listeners ran for it and whether they read event.origin / event.source
// (window-listeners.ts), and the addEventListener / removeEventListener / onmessage calls that
// add and remove them (on ports and channels too, see ports.ts).
import type { MessageChannelKind, MessageEventWire } from '../../core/page/records';
import { preview } from '../../core/page/preview';
import { N, call, invoke, findProperty, getterOf, replaceAccessor, replaceMethod, safely, setterOf, withArg } from '../native';
import type { Thunk } from '../recorder';
import { PREVIEW, type PostMessageContext } from './context';
import { readListenerOptions, type DispatchState, type WindowListeners } from './window-listeners';

const w = N.window;

const isListener = (l: unknown): boolean => typeof l === 'function' || (typeof l === 'object' && l !== null);

/** A window receipt's record, built once its dispatch is over (see Thunk). */
function receiptRecord(listeners: WindowListeners, st: DispatchState): Thunk {
  return (): MessageEventWire => {
    listeners.finalize(st);
    const p = preview(call(N.messageEventData, st.event), PREVIEW);
    const origin = call(N.messageEventOrigin, st.event) as string;
    return {
      k: 'msg', side: 'receive', channel: 'window', t: st.t, origin: origin || null, target: null, peer: 'self',
      preview: p.text, size: p.size, trusted: true, listeners: listeners.listenersOf(st),
    };
  };
}

export function hookListeners(ctx: PostMessageContext): void {
  const { rec, channel, listeners, ports, refs } = ctx;
  let handoffSeen = false;

  // Our capture listener is the first one on the window (document_start). A message event the
  // page dispatches itself (isTrusted false) is no message: its origin and data are whatever the
  // page wrote, so it is not recorded. It runs for every message: a try block rather than
  // safely(), which costs a closure each time.
  const onWindowMessage = (e: Event): void => {
    try {
      // isTrusted is the event's own unforgeable property: the page cannot replace it.
      if (!e.isTrusted) return;
      if (!handoffSeen && channel.isHandoff(call(N.messageEventData, e))) {
        handoffSeen = true;
        return;
      }
      const t = N.now();
      if (rec.admit(t)) rec.add(receiptRecord(listeners, listeners.begin(e, t)));
    } catch {
      // our bookkeeping never reaches the page
    }
  };
  call(N.addEventListener, w, 'message', onWindowMessage, true);

  // event.origin / event.source, instrumented per dispatch; source hands out window references.
  for (const key of ['origin', 'source'] as const) {
    replaceAccessor(w.MessageEvent.prototype, key, (get) => getterOf({
      // A computed getter name keeps the native one ("get origin", "get source").
      get [key]() {
        const v = invoke(get, this, arguments);
        safely(() => listeners.noteRead(this, key));
        return key === 'source' ? refs.refOr(v) : v;
      },
    }, key));
  }

  replaceMethod<(...a: unknown[]) => unknown>(w.EventTarget.prototype, 'addEventListener', (original) => ({
    // Two declared parameters, as the native has (its length); options come from arguments.
    addEventListener(this: unknown, type: unknown, listener: unknown) {
      if (type !== 'message' || !isListener(listener)) return invoke(original, this, arguments);
      const self = this ?? w;
      if (self === w) {
        // Read here, once, for the native and for us (it throws what the page's getters throw).
        const options = readListenerOptions(arguments.length > 2 ? arguments[2] : undefined, true);
        safely(() => listeners.beforeAdd(listener, options.capture));
        const result = invoke(original, this, arguments.length > 2 ? withArg(arguments, 2, options.forNative) : arguments);
        safely(() => listeners.add(listener, options));
        return result;
      }
      const kind: MessageChannelKind | null = ports.tap(self);
      const result = invoke(original, this, arguments);
      if (kind) safely(() => ports.count(self as object, 1));
      return result;
    },
  }).addEventListener);

  replaceMethod<(...a: unknown[]) => unknown>(w.EventTarget.prototype, 'removeEventListener', (original) => ({
    removeEventListener(this: unknown, type: unknown, listener: unknown) {
      if (type !== 'message' || !isListener(listener)) return invoke(original, this, arguments);
      const self = this ?? w;
      if (self === w) {
        const options = readListenerOptions(arguments.length > 2 ? arguments[2] : undefined, false);
        const result = invoke(original, this, arguments.length > 2 ? withArg(arguments, 2, options.forNative) : arguments);
        safely(() => listeners.remove(listener, options.capture));
        return result;
      }
      const result = invoke(original, this, arguments);
      safely(() => {
        if (ports.kindOf(self)) ports.count(self as object, -1);
      });
      return result;
    },
  }).removeEventListener);

  // window.onmessage: the handler sits in the bubble group where it was first set.
  replaceAccessor(w, 'onmessage', null, (set) => setterOf({
    set onmessage(v: unknown) {
      // Read before only on this window: on anything else the native setter's own error comes first.
      const getter = findProperty(w, 'onmessage')?.desc.get;
      const before = getter && this === w ? call(getter, w) : null;
      if (before == null && typeof v === 'function' && this === w) safely(() => listeners.beforeAdd(v, false));
      invoke(set, this, arguments);
      safely(() => {
        if (this !== w && this !== undefined) return;
        listeners.handlerChanged(before, getter ? call(getter, w) : null);
      });
    },
  }, 'onmessage'));
}
