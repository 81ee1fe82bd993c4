// The page's own built-ins, saved when the MAIN-world script starts (document_start, before any
// page script): the hooks call these, never what the page may have put in their place later.
// Also keeps Function.prototype.toString honest for our wrappers: a wrapper prints exactly what
// the function it replaces printed.

import { append, apply, create, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, includes, lastIndexOf, ownValue, slice, uncurry } from '../core/page/natives';

export { append, apply, create, list, defineProperty, exec, traps, getOwnPropertyDescriptor, getPrototypeOf, indexOf, isArray, ownKeys, ownValue, slice, stringify, test, toLowerCase, toUpperCase, uncurry } from '../core/page/natives';

const g = globalThis as unknown as Window & typeof globalThis;
const fnProto = Function.prototype;

/** `call(f, self, ...args)` is `f.call(self, ...args)`, without looking `call` up on `f`. */
export const call = uncurry(fnProto.call) as <T>(fn: (...a: never[]) => T, self: unknown, ...args: unknown[]) => T;
export const construct = Reflect.construct;
export const reflectGet = Reflect.get;
export const reflectSet = Reflect.set;

const weakMapGet = uncurry(WeakMap.prototype.get);
const weakMapSet = uncurry(WeakMap.prototype.set);
const weakMapHas = uncurry(WeakMap.prototype.has);
const weakMapDelete = uncurry(WeakMap.prototype.delete);

/**
 * A WeakMap the page cannot reach: its methods are the saved natives, so a page that replaces
 * WeakMap.prototype.get or .set later never sees (nor swaps) what the hooks keep in it.
 */
export class PrivateWeakMap<K extends object, V> {
  private readonly map = new g.WeakMap<K, V>();
  get(key: K): V | undefined {
    return weakMapGet(this.map, key) as V | undefined;
  }
  set(key: K, value: V): void {
    weakMapSet(this.map, key, value);
  }
  has(key: K): boolean {
    return weakMapHas(this.map, key);
  }
  delete(key: K): void {
    weakMapDelete(this.map, key);
  }
}

/** The descriptor of `key` on `obj` or the first prototype that has it, with its holder. */
export function findProperty(obj: object, key: PropertyKey): { holder: object; desc: PropertyDescriptor } | null {
  for (let o: object | null = obj; o; o = getPrototypeOf(o) as object | null) {
    const desc = getOwnPropertyDescriptor(o, key);
    if (desc) return { holder: o, desc };
  }
  return null;
}

function getter<T>(proto: object | undefined, key: string): ((this: unknown) => T) | undefined {
  if (!proto) return undefined;
  return findProperty(proto, key)?.desc.get as ((this: unknown) => T) | undefined;
}

export const N = {
  window: g,
  Error: g.Error,
  Proxy: g.Proxy,
  URL: g.URL,
  urlProtocol: getter<string>(g.URL.prototype, 'protocol')!,
  urlOrigin: getter<string>(g.URL.prototype, 'origin')!,
  urlHref: getter<string>(g.URL.prototype, 'href')!,
  now: Date.now,
  setTimeout: g.setTimeout.bind(g) as typeof setTimeout,
  requestIdleCallback: typeof g.requestIdleCallback === 'function' ? (g.requestIdleCallback.bind(g) as typeof requestIdleCallback) : null,
  idleTimeRemaining: (g as { IdleDeadline?: { prototype: IdleDeadline } }).IdleDeadline?.prototype.timeRemaining as ((this: IdleDeadline) => number) | undefined,
  MessageChannel: g.MessageChannel,
  PerformanceObserver: g.PerformanceObserver,
  CustomEvent: g.CustomEvent,
  addEventListener: g.EventTarget.prototype.addEventListener,
  removeEventListener: g.EventTarget.prototype.removeEventListener,
  dispatchEvent: g.EventTarget.prototype.dispatchEvent,
  preventDefault: g.Event.prototype.preventDefault,
  stopImmediatePropagation: g.Event.prototype.stopImmediatePropagation,
  eventPhase: getter<number>(g.Event.prototype, 'eventPhase') ?? function (this: Event) { return this.eventPhase; },
  customEventDetail: getter<unknown>(g.CustomEvent.prototype, 'detail')!,
  messageEventData: getter<unknown>(g.MessageEvent.prototype, 'data')!,
  messageEventOrigin: getter<string>(g.MessageEvent.prototype, 'origin')!,
  windowPostMessage: g.postMessage,
  portPostMessage: g.MessagePort.prototype.postMessage,
  fnToString: fnProto.toString,
  baseURI: getter<string>(g.Node.prototype, 'baseURI')!,
  signalAborted: getter<boolean>(g.AbortSignal.prototype, 'aborted')!,
  locationHref: getter<string>(g.location, 'href') ?? null,
  document: g.document,
  visibilityState: getter<DocumentVisibilityState>(g.Document.prototype, 'visibilityState')!,
};

/** Options for the native addEventListener, without a prototype: no getter the page puts on Object.prototype is read. */
export function listenerOptions(capture: boolean, once: boolean, signal: AbortSignal | null): AddEventListenerOptions {
  const o = create(null) as AddEventListenerOptions;
  o.capture = capture;
  o.once = once;
  if (signal) o.signal = signal;
  return o;
}

/**
 * `args` with `args[i]` replaced by `v`, for apply: an array-like without a prototype, so that no
 * index getter the page puts on Array.prototype or Object.prototype is read.
 */
export function withArg(args: ArrayLike<unknown>, i: number, v: unknown): ArrayLike<unknown> {
  const n = args.length;
  const out = create(null) as { [k: number]: unknown; length: number };
  for (let k = 0; k < n; k++) out[k] = args[k];
  out[i] = v;
  out.length = n > i ? n : i + 1;
  return out;
}

/** Own stack frames come from our bundle: skip them when locating page code. */
export const OWN_SCRIPT = /(?:chrome|moz)-extension:\/\//;

// ---- toString honesty ----

const shown = new PrivateWeakMap<object, object>();
let toStringHooked = false;

/**
 * Makes `wrapper` look like `original` to Function.prototype.toString. Its name and length are
 * left alone: each wrapper is written to have the original's own (a method named like it, with
 * as many declared parameters), so both are created as the engine creates them for a function;
 * Firefox resolves them lazily, in the order a script first asks for them, as it does a native's.
 */
export function disguise<T extends object>(wrapper: T, original: object): T {
  const target = shown.get(original) ?? original;
  shown.set(wrapper, target);
  hookToString();
  byText(wrapper, target);
  return wrapper;
}

// Another same-origin realm (an about:blank, srcdoc or document.open frame) runs this same code:
// its wrappers have the same source text as ours. By that text, our toString prints for them
// what their originals print. One text may stand for several originals (a getter written once
// for two keys): then the wrapper's name picks among them.
const texts = create(null) as Record<string, string[]>;

function byText(wrapper: object, original: object): void {
  try {
    const text = apply(N.fnToString, wrapper, []) as string;
    // A Proxy prints like any native: its text tells nothing of which one it stands for.
    if (includes(text, '[native code]')) return;
    const shownText = apply(N.fnToString, original, []) as string;
    const list = (texts[text] ??= []);
    for (let i = 0; i < list.length; i++) if (list[i] === shownText) return;
    append(list, shownText);
  } catch {
    // a wrapper toString cannot print stays as it prints
  }
}

function shownTextOf(fn: unknown, text: string): string {
  const list = texts[text];
  if (!list) return text;
  if (list.length === 1) return list[0]!;
  const name = ownValue(fn as object, 'name');
  if (typeof name !== 'string') return text;
  const word = slice(name, lastIndexOf(name, ' ') + 1) + '(';
  for (let i = 0; i < list.length; i++) if (includes(list[i]!, word)) return list[i]!;
  return text;
}

function hookToString(): void {
  if (toStringHooked) return;
  toStringHooked = true;
  const native = N.fnToString;
  const wrapped = {
    toString(this: unknown): string {
      // Built-in toString throws on non-functions: keep that (native call with the original this).
      const target = (typeof this === 'function' || (typeof this === 'object' && this !== null)) ? shown.get(this as object) : undefined;
      if (target) return invoke(native, target, []) as string;
      return shownTextOf(this, invoke(native, this, []) as string);
    },
  }.toString;
  shown.set(wrapped, native);
  wrappers.set(native, wrapped);
  byText(wrapped, native);
  const d = getOwnPropertyDescriptor(fnProto, 'toString');
  try {
    defineProperty(fnProto, 'toString', { ...d, value: wrapped });
  } catch {
    // leave toString alone rather than break it
  }
}

// ---- errors the page's calls throw ----

const captureStackTrace = (g.Error as { captureStackTrace?: (o: object, fn: object) => void }).captureStackTrace;
/** The wrapper installed in place of each original: the frames an error loses. */
const wrappers = new PrivateWeakMap<object, object>();

/**
 * Re-captures the stack of `e` (what a native threw through our wrapper `fn`) from the page's
 * call: the frames of `fn` and above are left out, as if the page had called the native itself.
 * Only where errors carry their own `stack` (V8): in Firefox it is inherited, and capturing would
 * add an own property no native error has; there the stack keeps our frame.
 */
export function hideFrames(e: unknown, fn: object): unknown {
  if (captureStackTrace && typeof e === 'object' && e !== null && getOwnPropertyDescriptor(e, 'stack')) {
    try {
      captureStackTrace(e, fn);
    } catch {
      // a frozen error keeps its stack
    }
  }
  return e;
}

/** `original` called with the page's `this` and arguments; what it throws, without our frames. */
export function invoke(original: (...a: never[]) => unknown, self: unknown, args: ArrayLike<unknown>, wrapper?: object): unknown {
  try {
    return apply(original, self, args);
  } catch (e) {
    throw withoutOurFrames(e, original, wrapper);
  }
}

/**
 * What `original` threw, as the page would see it: without our frames. For a hot wrapper that
 * calls its original in its own try block (invoke, shared by every hook, is a call site the
 * engine cannot specialize).
 */
export function withoutOurFrames(e: unknown, original: object, wrapper?: object): unknown {
  // Looked up only here: a call that does not throw costs no lookup.
  const fn = wrapper ?? wrappers.get(original);
  return fn ? hideFrames(e, fn) : e;
}

/** Replaces a method (data property) on `obj`, keeping its attributes. Returns the original. */
export function replaceMethod<F extends (...a: never[]) => unknown>(obj: object, key: string, make: (original: F) => F): F | null {
  const found = findProperty(obj, key);
  if (!found || typeof found.desc.value !== 'function') return null;
  const original = found.desc.value as F;
  const wrapper = disguise(make(original), original);
  wrappers.set(original, wrapper);
  defineProperty(found.holder, key, { ...found.desc, value: wrapper });
  return original;
}

/** Replaces a getter (and optionally setter) on the holder of `key`, keeping attributes. */
export function replaceAccessor(
  obj: object,
  key: string,
  makeGet: ((original: (this: unknown) => unknown) => (this: unknown) => unknown) | null,
  makeSet: ((original: (this: unknown, v: unknown) => void) => (this: unknown, v: unknown) => void) | null = null,
): { get: (this: unknown) => unknown; set: ((this: unknown, v: unknown) => void) | undefined } | null {
  const found = findProperty(obj, key);
  if (!found || !found.desc.get || !found.desc.configurable) return null;
  const get = found.desc.get as (this: unknown) => unknown;
  const set = found.desc.set as ((this: unknown, v: unknown) => void) | undefined;
  const desc: PropertyDescriptor = { ...found.desc };
  if (makeGet) wrappers.set(get, (desc.get = disguise(makeGet(get), get)));
  if (makeSet && set) wrappers.set(set, (desc.set = disguise(makeSet(set), set)));
  defineProperty(found.holder, key, desc);
  return { get, set };
}

/** The getter an object literal defines for `key`: written `get key() {}`, it is named like a native one. */
export function getterOf(obj: object, key: string): (this: unknown) => unknown {
  return getOwnPropertyDescriptor(obj, key)!.get as (this: unknown) => unknown;
}

/** The setter an object literal defines for `key` (named like a native one, as with getterOf). */
export function setterOf(obj: object, key: string): (this: unknown, v: unknown) => void {
  return getOwnPropertyDescriptor(obj, key)!.set as (this: unknown, v: unknown) => void;
}

/** Runs `fn`, swallowing anything it throws: our bookkeeping must never reach the page. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored on purpose
  }
}
