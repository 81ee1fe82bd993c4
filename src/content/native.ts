// The page's own built-ins, saved when the MAIN-world script starts (document_start, before any
// page script): the hooks call these, never what the page may have put in their place later.
// Also keeps Function.prototype.toString honest for our wrappers: a wrapper prints exactly what
// the function it replaces printed.

const g = globalThis as unknown as Window & typeof globalThis;
const fnProto = Function.prototype;

export const call = fnProto.call.bind(fnProto.call) as <T>(fn: (...a: never[]) => T, self: unknown, ...args: unknown[]) => T;
export const apply = Reflect.apply;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const getPrototypeOf = Object.getPrototypeOf;
export const construct = Reflect.construct;

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
  WeakMap: g.WeakMap,
  WeakSet: g.WeakSet,
  Map: g.Map,
  URL: g.URL,
  now: Date.now,
  setTimeout: g.setTimeout.bind(g) as typeof setTimeout,
  MessageChannel: g.MessageChannel,
  PerformanceObserver: g.PerformanceObserver,
  CustomEvent: g.CustomEvent,
  addEventListener: g.EventTarget.prototype.addEventListener,
  removeEventListener: g.EventTarget.prototype.removeEventListener,
  dispatchEvent: g.EventTarget.prototype.dispatchEvent,
  preventDefault: g.Event.prototype.preventDefault,
  stopImmediatePropagation: g.Event.prototype.stopImmediatePropagation,
  eventIsTrusted: getter<boolean>(g.Event.prototype, 'isTrusted') ?? function (this: Event) { return this.isTrusted; },
  customEventDetail: getter<unknown>(g.CustomEvent.prototype, 'detail')!,
  messageEventData: getter<unknown>(g.MessageEvent.prototype, 'data')!,
  messageEventOrigin: getter<string>(g.MessageEvent.prototype, 'origin')!,
  windowPostMessage: g.postMessage,
  portPostMessage: g.MessagePort.prototype.postMessage,
  fnToString: fnProto.toString,
  locationHref: getter<string>(g.location, 'href') ?? null,
};

/** Own stack frames come from our bundle: skip them when locating page code. */
export const OWN_SCRIPT = /(?:chrome|moz)-extension:\/\//;

// ---- toString honesty ----

const shown = new N.WeakMap<object, object>();
let toStringHooked = false;

/**
 * Makes `wrapper` look like `original`: same name and length (non-enumerable, as built-ins have
 * them) and the same Function.prototype.toString text.
 */
export function disguise<T extends object>(wrapper: T, original: object): T {
  try {
    const name = getOwnPropertyDescriptor(original, 'name');
    const length = getOwnPropertyDescriptor(original, 'length');
    if (name) defineProperty(wrapper, 'name', name);
    if (length) defineProperty(wrapper, 'length', length);
  } catch {
    // a proxy or frozen function: its own name/length already match
  }
  shown.set(wrapper, shown.get(original) ?? original);
  hookToString();
  return wrapper;
}

function hookToString(): void {
  if (toStringHooked) return;
  toStringHooked = true;
  const native = N.fnToString;
  const wrapped = {
    toString(this: unknown): string {
      // Built-in toString throws on non-functions: keep that (native call with the original this).
      const target = (typeof this === 'function' || (typeof this === 'object' && this !== null)) ? shown.get(this as object) : undefined;
      return apply(native, target ?? this, []) as string;
    },
  }.toString;
  shown.set(wrapped, native);
  const d = getOwnPropertyDescriptor(fnProto, 'toString');
  try {
    defineProperty(wrapped, 'name', getOwnPropertyDescriptor(native, 'name')!);
    defineProperty(wrapped, 'length', getOwnPropertyDescriptor(native, 'length')!);
    defineProperty(fnProto, 'toString', { ...d, value: wrapped });
  } catch {
    // leave toString alone rather than break it
  }
}

/** Replaces a method (data property) on `obj`, keeping its attributes. Returns the original. */
export function replaceMethod<F extends (...a: never[]) => unknown>(obj: object, key: string, make: (original: F) => F): F | null {
  const found = findProperty(obj, key);
  if (!found || typeof found.desc.value !== 'function') return null;
  const original = found.desc.value as F;
  const wrapper = disguise(make(original), original);
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
  if (makeGet) desc.get = disguise(makeGet(get), get);
  if (makeSet && set) desc.set = disguise(makeSet(set), set);
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
