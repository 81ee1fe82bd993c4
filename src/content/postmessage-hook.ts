// postMessage in the page's own world: every `message` event delivered to this window (receiver
// side), the calls that send (this window's postMessage, and through the references the hook can
// wrap: parent, opener, window.open() results, iframe contentWindow, event.source), MessagePort
// and BroadcastChannel traffic, and for each window listener whether it read event.origin /
// event.source while handling a message.
//
// How listeners are observed without wrapping them: for each page listener registered for
// `message` on the window, a tiny marker listener is registered right after it, with the same
// capture flag (and once/signal). Dispatch order at the target is registration order within the
// capture group, then the bubble group, so marker k runs right after listener k: the reads of
// event.origin/event.source (instrumented getters on MessageEvent.prototype) since the previous
// marker belong to listener k. The page's listeners are registered exactly as the page asked
// (same function, same options), so removeEventListener, `this` and ordering are unchanged.
import { analyzeListenerSource, combineCheck, type SourceAnalysis } from '../core/page/listener-check';
import type { ListenerInfo, MessageChannelKind, MessageEventWire, SourceLocation } from '../core/page/records';
import { preview } from '../core/page/preview';
import type { MainChannel } from './channel';
import { N, OWN_SCRIPT, apply, call, findProperty, getOwnPropertyDescriptor, getPrototypeOf, replaceAccessor, replaceMethod, disguise } from './native';
import type { Recorder } from './recorder';

const PREVIEW = { maxChars: 200 } as const;
const w = N.window;

// ---- stacks: where a listener was registered ----

const CHROME_FRAME = /\(?((?:https?|file|blob|data|about|chrome-extension|moz-extension):[^\s)]*?):(\d+):(\d+)\)?\s*$/;
const FIREFOX_FRAME = /@(.*?):(\d+):(\d+)$/;

export function callerLocation(): SourceLocation | null {
  try {
    const stack = new N.Error().stack;
    if (typeof stack !== 'string') return null;
    const lines = stack.split('\n');
    for (const line of lines) {
      const m = FIREFOX_FRAME.exec(line) ?? CHROME_FRAME.exec(line);
      if (!m) continue;
      const url = m[1]!;
      // Our own frames: an extension URL (Chrome), "<anonymous code>" (Firefox's MAIN world).
      if (OWN_SCRIPT.test(url) || url.startsWith('<')) continue;
      return { url: url.length > 2048 ? url.slice(0, 2048) : url, line: Number(m[2]), column: Number(m[3]) };
    }
  } catch {
    // a page's Error.prepareStackTrace may throw or lie: no location then
  }
  return null;
}

// ---- listener source analysis, cached per function ----

const analyses = new N.WeakMap<object, SourceAnalysis | null>();
function analysisOf(listener: unknown): SourceAnalysis | null {
  if (listener === null || (typeof listener !== 'function' && typeof listener !== 'object')) return null;
  const key = listener as object;
  if (analyses.has(key)) return analyses.get(key)!;
  let result: SourceAnalysis | null = null;
  try {
    let fn: unknown = listener;
    if (typeof fn !== 'function') {
      const d = findProperty(fn as object, 'handleEvent');
      fn = d && 'value' in d.desc ? d.desc.value : null;
    }
    if (typeof fn === 'function') {
      const text = call(N.fnToString, fn) as string;
      if (!/\{\s*\[native code\]\s*\}\s*$/.test(text)) result = analyzeListenerSource(text);
    }
  } catch {
    result = null;
  }
  analyses.set(key, result);
  return result;
}

// ---- window listener registry and per-dispatch state ----

interface Entry {
  listener: unknown;
  capture: boolean;
  once: boolean;
  marker: (e: Event) => void;
  location: SourceLocation | null;
}

interface Ran {
  entry: Entry | null;
  origin: boolean;
  source: boolean;
}

interface DispatchState {
  event: Event;
  t: number;
  expected: number;
  ran: Ran[];
  readOrigin: boolean;
  readSource: boolean;
  ended: boolean;
}

export function installPostMessageHooks(rec: Recorder, channel: MainChannel): void {
  const entries: Entry[] = [];
  const states = new N.WeakMap<object, DispatchState>();
  let last: DispatchState | null = null;
  let handlerEntry: Entry | null = null;
  let handoffSeen = false;

  const removeEntry = (entry: Entry): void => {
    const i = entries.indexOf(entry);
    if (i >= 0) entries.splice(i, 1);
  };

  const onMarker = (entry: Entry, e: Event): void => {
    const st = states.get(e);
    if (entry.once) removeEntry(entry);
    if (!st || st.ended) return;
    st.ran[st.ran.length] = { entry, origin: st.readOrigin, source: st.readSource };
    st.readOrigin = st.readSource = false;
    if (st.ran.length >= st.expected) st.ended = true;
  };

  const newEntry = (listener: unknown, capture: boolean, once: boolean): Entry => {
    const entry: Entry = { listener, capture, once, location: callerLocation(), marker: (e: Event) => {
      try {
        onMarker(entry, e);
      } catch {
        // ignore
      }
    } };
    return entry;
  };

  const finalize = (st: DispatchState): void => {
    if (st.ended) return;
    // A listener read what it read but its marker never ran (it stopped propagation).
    if (st.readOrigin || st.readSource) st.ran[st.ran.length] = { entry: null, origin: st.readOrigin, source: st.readSource };
    st.ended = true;
  };

  const listenersOf = (st: DispatchState): ListenerInfo[] => {
    const out: ListenerInfo[] = [];
    for (let i = 0; i < st.ran.length && i < 16; i++) {
      const r = st.ran[i]!;
      out[out.length] = {
        location: r.entry?.location ?? null,
        readOrigin: r.origin,
        readSource: r.source,
        check: combineCheck({ origin: r.origin, source: r.source }, r.entry ? analysisOf(r.entry.listener) : null),
      };
    }
    return out;
  };

  // Receiver side: our capture listener is the first one on the window (document_start).
  const onWindowMessage = (e: Event): void => {
    try {
      if (!handoffSeen && channel.isHandoff(call(N.messageEventData, e))) {
        handoffSeen = true;
        return;
      }
      if (last) finalize(last);
      const st: DispatchState = { event: e, t: N.now(), expected: entries.length, ran: [], readOrigin: false, readSource: false, ended: entries.length === 0 };
      states.set(e, st);
      last = st;
      rec.push((): MessageEventWire => {
        finalize(st);
        const p = preview(call(N.messageEventData, st.event), PREVIEW);
        const origin = call(N.messageEventOrigin, st.event) as string;
        return {
          k: 'msg', side: 'receive', channel: 'window', t: st.t, origin: origin || null, target: null, peer: 'self',
          preview: p.text, size: p.size, trusted: call(N.eventIsTrusted, st.event) as boolean, listeners: listenersOf(st),
        };
      });
    } catch {
      // ignore
    }
  };
  N.addEventListener.call(w, 'message', onWindowMessage, true);

  // event.origin / event.source, instrumented per dispatch.
  replaceAccessor(w.MessageEvent.prototype, 'origin', (get) => getterOf({
    get origin() {
      const v = call(get, this);
      try {
        const st = states.get(this as object);
        if (st && !st.ended) st.readOrigin = true;
      } catch {
        // ignore
      }
      return v;
    },
  }, 'origin'));
  replaceAccessor(w.MessageEvent.prototype, 'source', (get) => getterOf({
    get source() {
      const v = call(get, this);
      try {
        const st = states.get(this as object);
        if (st && !st.ended) st.readSource = true;
        return windowRef(v);
      } catch {
        return v;
      }
    },
  }, 'source'));

  // addEventListener / removeEventListener: track window `message` listeners, add markers;
  // attach our recorder to ports and broadcast channels the page listens on.
  const add = N.addEventListener;
  const remove = N.removeEventListener;
  const isListener = (l: unknown): boolean => typeof l === 'function' || (typeof l === 'object' && l !== null);
  const optionsOf = (options: unknown): { capture: boolean; once: boolean; signal: AbortSignal | null } => {
    if (typeof options === 'boolean') return { capture: options, once: false, signal: null };
    if (typeof options !== 'object' || options === null) return { capture: false, once: false, signal: null };
    const o = options as { capture?: unknown; once?: unknown; signal?: unknown };
    return { capture: !!o.capture, once: !!o.once, signal: (o.signal as AbortSignal | undefined) ?? null };
  };

  const track = (listener: unknown, options: unknown): void => {
    const { capture, once, signal } = optionsOf(options);
    for (const e of entries) if (e.listener === listener && e.capture === capture) return; // a duplicate is a no-op
    if (signal && signal.aborted) return;
    const entry = newEntry(listener, capture, once);
    entries[entries.length] = entry;
    const markerOptions: AddEventListenerOptions = { capture, once };
    if (signal) {
      markerOptions.signal = signal;
      call(add, signal, 'abort', () => removeEntry(entry), { once: true });
    }
    call(add, w, 'message', entry.marker, markerOptions);
  };

  const untrack = (listener: unknown, options: unknown): void => {
    const capture = typeof options === 'boolean' ? options : typeof options === 'object' && options !== null ? !!(options as { capture?: unknown }).capture : false;
    for (const entry of entries) {
      if (entry.listener !== listener || entry.capture !== capture) continue;
      call(remove, w, 'message', entry.marker, capture);
      removeEntry(entry);
      const st = last;
      if (st && !st.ended) {
        if (st.readOrigin || st.readSource) {
          // Most often a listener removing itself while it handles the message.
          st.ran[st.ran.length] = { entry, origin: st.readOrigin, source: st.readSource };
          st.readOrigin = st.readSource = false;
        } else st.expected--;
        if (st.ran.length >= st.expected) st.ended = true;
      }
      return;
    }
  };

  const portRecorders = new N.WeakSet<object>();
  const listenerCounts = new N.WeakMap<object, number>();
  const portProto = w.MessagePort.prototype;
  const bcProto = (w as unknown as { BroadcastChannel?: { prototype: object } }).BroadcastChannel?.prototype ?? null;
  const kindOf = (target: unknown): MessageChannelKind | null => {
    if (typeof target !== 'object' || target === null) return null;
    for (let o = getPrototypeOf(target) as object | null; o; o = getPrototypeOf(o) as object | null) {
      if (o === portProto) return 'message-port';
      if (o === bcProto) return 'broadcast-channel';
    }
    return null;
  };
  const attachRecorder = (target: object, kind: MessageChannelKind): void => {
    if (portRecorders.has(target)) return;
    portRecorders.add(target);
    // Registered with the saved native addEventListener: it does not start a port.
    call(add, target, 'message', (e: Event) => {
      try {
        const t = N.now();
        const count = listenerCounts.get(target) ?? 0;
        rec.push((): MessageEventWire => {
          const p = preview(call(N.messageEventData, e), PREVIEW);
          const origin = call(N.messageEventOrigin, e) as string;
          const listeners: ListenerInfo[] = [];
          for (let i = 0; i < count && i < 16; i++) listeners[i] = { location: null, readOrigin: false, readSource: false, check: 'unknown' };
          return { k: 'msg', side: 'receive', channel: kind, t, origin: origin || null, target: null, peer: 'port', preview: p.text, size: p.size, trusted: call(N.eventIsTrusted, e) as boolean, listeners };
        });
      } catch {
        // ignore
      }
    });
  };
  const countListener = (target: object, delta: number): void => {
    listenerCounts.set(target, Math.max(0, (listenerCounts.get(target) ?? 0) + delta));
  };

  replaceMethod<(...a: unknown[]) => unknown>(w.EventTarget.prototype, 'addEventListener', (original) => ({
    addEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
      if (type !== 'message' || !isListener(listener)) return apply(original, this, arguments);
      const self = this ?? w;
      let kind: MessageChannelKind | null = null;
      if (self !== w) {
        try {
          kind = kindOf(self);
          if (kind) attachRecorder(self as object, kind);
        } catch {
          kind = null;
        }
      }
      const result = apply(original, this, arguments);
      try {
        if (self === w) track(listener, options);
        else if (kind) countListener(self as object, 1);
      } catch {
        // ignore
      }
      return result;
    },
  }).addEventListener);

  replaceMethod<(...a: unknown[]) => unknown>(w.EventTarget.prototype, 'removeEventListener', (original) => ({
    removeEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
      const result = apply(original, this, arguments);
      if (type === 'message' && isListener(listener)) {
        try {
          const self = this ?? w;
          if (self === w) untrack(listener, options);
          else if (kindOf(self)) countListener(self as object, -1);
        } catch {
          // ignore
        }
      }
      return result;
    },
  }).removeEventListener);

  // window.onmessage: the handler sits in the bubble group where it was first set.
  replaceAccessor(w, 'onmessage', null, (set) => setterOf({
    set onmessage(v: unknown) {
      const getter = findProperty(w, 'onmessage')?.desc.get;
      const before = getter ? call(getter, this) : null;
      call(set, this, v);
      try {
        if (this !== w && this !== undefined) return;
        const after = getter ? call(getter, w) : null;
        if (before == null && typeof after === 'function') {
          handlerEntry = newEntry(after, false, false);
          entries[entries.length] = handlerEntry;
          call(add, w, 'message', handlerEntry.marker, false);
        } else if (before != null && after == null && handlerEntry) {
          call(remove, w, 'message', handlerEntry.marker, false);
          removeEntry(handlerEntry);
          handlerEntry = null;
        } else if (handlerEntry && typeof after === 'function') {
          handlerEntry.listener = after;
          handlerEntry.location = callerLocation();
        }
      } catch {
        // ignore
      }
    },
  }, 'onmessage'));

  // port.onmessage / channel.onmessage: attach the recorder first, count the handler.
  for (const [proto, kind] of [[portProto, 'message-port'], [bcProto, 'broadcast-channel']] as const) {
    if (!proto) continue;
    replaceAccessor(proto, 'onmessage', null, (set) => setterOf({
      set onmessage(v: unknown) {
        try {
          if (typeof this === 'object' && this !== null && kindOf(this)) attachRecorder(this, kind);
        } catch {
          // ignore
        }
        const had = handlers.has(this as object);
        call(set, this, v);
        try {
          const has = typeof v === 'function';
          if (has && !had) {
            handlers.add(this as object);
            countListener(this as object, 1);
          } else if (!has && had) {
            handlers.delete(this as object);
            countListener(this as object, -1);
          }
        } catch {
          // ignore
        }
      },
    }, 'onmessage'));
  }

  // ---- sender side ----

  const recordSend = (data: unknown, target: string | null, kind: MessageChannelKind, peer: MessageEventWire['peer']): void => {
    const t = N.now();
    rec.push((): MessageEventWire => {
      const p = preview(data, PREVIEW);
      return { k: 'msg', side: 'send', channel: kind, t, origin: null, target, peer, preview: p.text, size: p.size, trusted: null, listeners: [] };
    });
  };

  replaceMethod<(...a: unknown[]) => unknown>(w, 'postMessage', (original) => ({
    postMessage(this: unknown, message: unknown) {
      const result = apply(original, this, arguments);
      try {
        if (this === w || this === undefined) recordSend(message, targetOriginOf(arguments), 'window', 'self');
      } catch {
        // ignore
      }
      return result;
    },
  }).postMessage);

  for (const [proto, kind] of [[portProto, 'message-port'], [bcProto, 'broadcast-channel']] as const) {
    if (!proto) continue;
    replaceMethod<(...a: unknown[]) => unknown>(proto, 'postMessage', (original) => ({
      postMessage(this: unknown, message: unknown) {
        const result = apply(original, this, arguments);
        try {
          recordSend(message, null, kind, 'port');
        } catch {
          // ignore
        }
        return result;
      },
    }).postMessage);
  }

  // ---- references to other windows ----
  // A call on a cross-origin window gets a fresh built-in postMessage no patch sees; so the
  // references a script gets to other windows are wrapped in one Proxy per window (always the
  // same one, so identity comparisons between wrapped references hold) whose postMessage records
  // the send. Whether a window is wrapped is decided once, when the hook first sees it: a window
  // first seen same-origin stays unwrapped (its own hook sees its calls), so a reference handed
  // out earlier never changes identity. `top` cannot be wrapped ([LegacyUnforgeable]).

  const refs = new N.WeakMap<object, object>();
  const crossCache = new N.WeakMap<object, { cross: boolean; at: number }>();
  const isCrossOrigin = (target: object): boolean => {
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
  };
  const handlers = new N.WeakSet<object>();
  const bound = new N.WeakMap<object, Map<PropertyKey, unknown>>();
  const WINDOW_PROPS = new Set<PropertyKey>(['self', 'window', 'frames', 'parent', 'opener', 'top']);

  const postMessageFor = (target: object): ((...a: unknown[]) => unknown) => {
    const fn = {
      postMessage(message: unknown) {
        const native = Reflect.get(target, 'postMessage') as (...a: unknown[]) => unknown;
        const result = apply(native, target, arguments);
        try {
          if (isCrossOrigin(target)) recordSend(message, targetOriginOf(arguments), 'window', 'other');
        } catch {
          // ignore
        }
        return result;
      },
    }.postMessage;
    return disguise(fn, N.windowPostMessage);
  };

  const makeProxy = (target: object): object => {
    let pm: ((...a: unknown[]) => unknown) | null = null;
    return new N.Proxy(target, {
      get(t, key) {
        if (key === 'postMessage') return (pm ??= postMessageFor(t));
        const v = Reflect.get(t, key);
        if (WINDOW_PROPS.has(key) || (typeof key === 'string' && /^\d+$/.test(key))) {
          if (v === t) return proxyOf(t);
          return windowRef(v);
        }
        if (typeof v === 'function' && (key === 'close' || key === 'focus' || key === 'blur')) {
          let m = bound.get(t);
          if (!m) bound.set(t, (m = new N.Map()));
          let b = m.get(key);
          if (!b) m.set(key, (b = disguise({ [key]: (...args: unknown[]) => apply(v, t, args) }[key] as object, v)));
          return b;
        }
        return v;
      },
      set(t, key, value) {
        return Reflect.set(t, key, value);
      },
    });
  };
  const proxyOf = (target: object): object => refs.get(target) ?? target;

  /** The reference a script should get for window `v` (`hintCross`: it is about to become cross-origin). */
  function windowRef(v: unknown, hintCross = false): unknown {
    if (typeof v !== 'object' || v === null || v === w) return v;
    const known = refs.get(v);
    if (known) return known;
    // Only windows: a same-origin window has a document; a cross-origin one throws on it.
    let cross = false;
    try {
      const doc = (v as Window).document;
      if (doc === undefined) return v; // not a window (a MessagePort, a ServiceWorker...)
    } catch {
      cross = true;
    }
    const r = cross || hintCross ? makeProxy(v) : v;
    refs.set(v, r);
    return r;
  }

  const crossUrl = (url: unknown): boolean => {
    try {
      if (typeof url !== 'string' && !(typeof url === 'object' && url !== null)) return false;
      const u = new N.URL(String(url), call(N.locationHref!, w.location));
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== w.location.origin;
    } catch {
      return false;
    }
  };

  for (const key of ['parent', 'opener'] as const) {
    replaceAccessor(w, key, (get) => getterOf({
      // A computed getter name keeps the native one ("get parent", "get opener").
      get [key]() {
        const v = call(get, this);
        if (this !== w) return v;
        try {
          return windowRef(v);
        } catch {
          return v;
        }
      },
    }, key));
  }
  replaceMethod<(...a: unknown[]) => unknown>(w, 'open', (original) => ({
    open(this: unknown, url?: unknown) {
      const v = apply(original, this, arguments);
      try {
        return windowRef(v, crossUrl(url));
      } catch {
        return v;
      }
    },
  }).open);
  for (const ctor of [w.HTMLIFrameElement, w.HTMLFrameElement]) {
    if (!ctor) continue;
    const srcGetter = findProperty(ctor.prototype, 'src')?.desc.get;
    replaceAccessor(ctor.prototype, 'contentWindow', (get) => getterOf({
      get contentWindow() {
        const v = call(get, this);
        try {
          return windowRef(v, srcGetter ? crossUrl(call(srcGetter, this)) : false);
        } catch {
          return v;
        }
      },
    }, 'contentWindow'));
  }
}

/** The targetOrigin of a window.postMessage call: a string, or the options form's, or '/'. */
function targetOriginOf(args: IArguments): string {
  const a = args[1];
  if (typeof a === 'string') return a;
  if (typeof a === 'object' && a !== null) {
    const d = getOwnPropertyDescriptor(a, 'targetOrigin');
    return d && typeof d.value === 'string' ? d.value : '/';
  }
  return a === undefined ? '/' : '?';
}

function getterOf(obj: object, key: string): (this: unknown) => unknown {
  return getOwnPropertyDescriptor(obj, key)!.get as (this: unknown) => unknown;
}
function setterOf(obj: object, key: string): (this: unknown, v: unknown) => void {
  return getOwnPropertyDescriptor(obj, key)!.set as (this: unknown, v: unknown) => void;
}
