// ECMAScript built-ins saved when this module loads. In the page's MAIN world the bundle loads at
// document_start, before any page script: code that runs later on page data (previews, the batch
// writer) calls these, never what the page may have put in their place since. Methods are
// uncurried (`slice(s, 0, 3)` for `s.slice(0, 3)`): calling them looks nothing up on a prototype.

const fnProto = Function.prototype;

/** `f` as a plain function taking its `this` first: `uncurry(f)(self, ...args)` is `f.call(self, ...args)`. */
export function uncurry<A extends unknown[], R>(f: (this: never, ...args: A) => R): (self: unknown, ...args: A) => R {
  return Reflect.apply(fnProto.bind, fnProto.call, [f]) as (self: unknown, ...args: A) => R;
}

export const apply = Reflect.apply;
export const ownKeys = Reflect.ownKeys;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const getPrototypeOf = Object.getPrototypeOf;
export const create = Object.create;
export const setPrototypeOf = Object.setPrototypeOf;
export const isArray = Array.isArray;
export const stringify = JSON.stringify;
export const slice = uncurry(String.prototype.slice);
export const lastIndexOf = uncurry(String.prototype.lastIndexOf);
export const includes = uncurry(String.prototype.includes);
export const indexOf = uncurry(String.prototype.indexOf);
export const toUpperCase = uncurry(String.prototype.toUpperCase);
export const charCodeAt = uncurry(String.prototype.charCodeAt);
export const toLowerCase = uncurry(String.prototype.toLowerCase);
export const exec = uncurry(RegExp.prototype.exec);
export const objectToString = uncurry(Object.prototype.toString);

/** `re.test(s)` through the saved exec (RegExp.prototype.test looks `exec` up on the regex). */
export function test(re: RegExp, s: string): boolean {
  return exec(re, s) !== null;
}

/**
 * The value of `o`'s own data property `key`, else undefined: no getter runs, and the descriptor's
 * own `value` is read as a descriptor too (an accessor's has none, and would inherit the page's).
 */
export function ownValue(o: object, key: PropertyKey): unknown {
  const d = getOwnPropertyDescriptor(o, key);
  return d ? getOwnPropertyDescriptor(d, 'value')?.value : undefined;
}

// One descriptor, without a prototype: an `Object.prototype.get` the page adds is not read as part of it.
const slot = create(null) as PropertyDescriptor;
slot.writable = slot.enumerable = slot.configurable = true;

/**
 * A new list of ours: an array without a prototype, so an assignment past its end finds no index
 * setter of the page's, and `append` to it is a plain store (defineProperty costs about ten times
 * as much, on paths that run for every message).
 */
export function list<T>(): T[] {
  return setPrototypeOf([], null) as T[];
}

/**
 * `list.push(v)` that neither calls a replaced push nor runs an index setter the page put on
 * Array.prototype or Object.prototype (an assignment past the end of an ordinary array would).
 */
export function append<T>(list: T[], v: T): void {
  if (getPrototypeOf(list) === null) {
    list[list.length] = v;
    return;
  }
  slot.value = v;
  defineProperty(list, list.length, slot);
  slot.value = undefined;
}

/**
 * A Proxy handler holding only `handler`'s own traps: the engine looks each trap up on the handler,
 * so a `get`, `apply` or `has` the page puts on Object.prototype would otherwise run as one.
 */
export function traps<T extends object>(handler: ProxyHandler<T>): ProxyHandler<T> {
  return setPrototypeOf(handler, null) as ProxyHandler<T>;
}
