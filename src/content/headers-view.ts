// The header names of fetch's `init.headers`, taken as the native fetch reads them, never by a
// read of ours the page could see: the native gets a view of the page's value that forwards each
// of its reads (a record's [[OwnPropertyKeys]], [[GetOwnProperty]] and [[Get]]; a sequence's
// @@iterator, its iterator's `next`, each result's `done` and `value`) to the page's object, with
// the page's object as receiver and `this`, and notes the names as they pass. A Proxy the page
// passes therefore sees exactly the traps the native makes, in the native's order (which
// differs: Chromium reads a result's `value` before its `done`). docs/page-hooks.md, "Invisible
// to the page".
import { setPrototypeOf } from '../core/page/natives';
import { N, append, apply, call, create, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, isArray, ownKeys, ownValue, reflectGet, test, toLowerCase } from './native';

/** The names read so far; `complete` is false when the native read some that we could not see. */
export interface HeadersSeen {
  names: string[];
  complete: boolean;
}

const MAX_NAMES = 64;
const ITERATOR: typeof Symbol.iterator = Symbol.iterator;
const arrayProto = Array.prototype;
const arrayValues = arrayProto[ITERATOR] as (this: unknown[]) => Iterator<unknown>;
const arrayIteratorProto = getPrototypeOf(apply(arrayValues, [], [])) as object;
const arrayIteratorNext = ownValue(arrayIteratorProto, 'next');
const Hdrs = N.window.Headers as typeof Headers | undefined;
const headersForEach = Hdrs?.prototype.forEach;
const headersEntries = Hdrs?.prototype[ITERATOR];

type Item = (value: unknown, index: number) => unknown;

function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function note(seen: HeadersSeen, name: string): void {
  if (seen.names.length < MAX_NAMES) append(seen.names, toLowerCase(name));
}

/**
 * The names of a real Headers object (its own saved forEach: nothing of the page runs), added to
 * `seen`; false when `h` is not one (the brand check throws before any trap of a Proxy).
 */
export function readHeaders(h: unknown, seen: HeadersSeen): boolean {
  if (!headersForEach) return false;
  try {
    call(headersForEach, h, (_v: string, k: string) => note(seen, k));
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether this engine converts an array without asking it for its @@iterator (Chromium reads a
 * JSArray by index; a Proxy of one, or any other iterable, through its iterator). There a view
 * of an array would run an iterator the native does not: arrays are viewed only while array
 * iteration is the original one.
 */
const skipsArrayIterator = ((): boolean => {
  if (!Hdrs) return false;
  let asked = false;
  const probe: unknown[] = [];
  const slot = create(null) as PropertyDescriptor;
  slot.value = function () {
    asked = true;
    return apply(arrayValues, probe, []);
  };
  defineProperty(probe, ITERATOR, slot);
  try {
    new Hdrs(probe as [string, string][]);
  } catch {
    // no headers to read
  }
  return !asked;
})();

function arrayIterationIsOriginal(): boolean {
  return ownValue(arrayProto, ITERATOR) === arrayValues && ownValue(arrayIteratorProto, 'next') === arrayIteratorNext;
}

/** A result of the page's iterator as the native reads it: `done` and `value` read from it then. */
class ResultView {
  constructor(
    private readonly result: object,
    private readonly item: Item,
    private readonly index: number,
  ) {}
  get done(): unknown {
    return reflectGet(this.result, 'done', this.result);
  }
  get value(): unknown {
    return this.item(reflectGet(this.result, 'value', this.result), this.index);
  }
}
// No Object.prototype behind it: the native finds `done` and `value` here, and nothing of the page's.
setPrototypeOf(ResultView.prototype, null);

/**
 * The iterator the native gets for `it`: its `next` read at once (the native reads it right after
 * the call that made `it`), each result's `value` handed to `item` when the native reads it.
 */
function viewIterator(it: unknown, item: Item): unknown {
  if (!isObject(it)) return it;
  const next = reflectGet(it, 'next', it);
  const view = create(null) as { next: unknown };
  if (typeof next !== 'function') {
    view.next = next;
    return view;
  }
  let index = 0;
  view.next = function (this: unknown) {
    const result = apply(next, it, arguments);
    return isObject(result) ? new ResultView(result, item, index++) : result;
  };
  return view;
}

// A built-in's source text as Function.prototype.toString prints it; a bound function or a Proxy
// prints without a name, the page's own functions print their source.
const BUILT_IN = /^function [^\s(]+\(\) \{\s*\[native code\]\s*\}$/;

function isBuiltIn(f: (...a: unknown[]) => unknown): boolean {
  try {
    return test(BUILT_IN, call(N.fnToString, f) as string);
  } catch {
    return false;
  }
}

/**
 * What the native gets for the @@iterator `method` of `obj`: a function that iterates `obj` as
 * the method does, with `obj` as `this`. A built-in method is called at once (the native calls
 * it right after reading it, nothing between), so that what it throws is the native's own: a
 * platform method's "Illegal invocation" is worded by Chromium after the call that met it, so
 * the native must meet it itself (the method refuses our view as it refuses `obj`); any other
 * error (V8's built-ins name the object they refused) is thrown as it is.
 */
function iteratorMethod(obj: object, method: (...a: unknown[]) => unknown, item: Item, seen: HeadersSeen | null): unknown {
  if (method !== arrayValues && !isBuiltIn(method)) return function (this: unknown) {
    return viewIterator(apply(method, obj, arguments), item);
  };
  let it: unknown;
  try {
    it = call(method, obj);
  } catch (e) {
    if (isObject(e) && ownValue(e, 'message') === 'Illegal invocation') return method;
    throw e;
  }
  // A Headers (its own entries took it) is read by its saved forEach; the native iterates it untouched.
  const whole = seen !== null && method === headersEntries && readHeaders(obj, seen);
  return () => (whole ? it : viewIterator(it, item));
}

/**
 * A view of `obj` for the native: each read goes to `obj`. `key` gets the record keys the native
 * will read (own, enumerable, strings); `item` each value of the sequence, when `obj` is iterable.
 */
function viewOf(obj: object, key: ((k: string) => void) | null, item: Item, seen: HeadersSeen | null): object {
  const handler = create(null) as ProxyHandler<object>;
  handler.get = (_view, k) => {
    const v = reflectGet(obj, k, obj);
    return k === ITERATOR && typeof v === 'function' ? iteratorMethod(obj, v as (...a: unknown[]) => unknown, item, seen) : v;
  };
  handler.ownKeys = () => ownKeys(obj);
  handler.getOwnPropertyDescriptor = (_view, k) => {
    const d = getOwnPropertyDescriptor(obj, k);
    if (!d) return undefined;
    if (d.enumerable && key && typeof k === 'string') key(k);
    // The native asks only whether it is enumerable. Configurable: a Proxy may not report a
    // property its (empty) target lacks as non-configurable.
    const shown = create(null) as PropertyDescriptor;
    shown.value = undefined;
    shown.writable = true;
    shown.enumerable = d.enumerable;
    shown.configurable = true;
    return shown;
  };
  return new N.Proxy(create(null) as object, handler);
}

/**
 * What the native gets for `init.headers` (the page's `value`): a view that fills `seen` as the
 * native reads, or `value` itself where a view could be told apart.
 */
export function viewHeaders(value: unknown, seen: HeadersSeen): unknown {
  const viewable = (v: unknown): v is object => {
    if (!isObject(v)) return false;
    try {
      if (!skipsArrayIterator || !isArray(v) || arrayIterationIsOriginal()) return true;
    } catch {
      // a revoked Proxy: the native throws on it as it would
    }
    seen.complete = false;
    return false;
  };
  const pair: Item = (v, i) => {
    if (i === 0 && typeof v === 'string') note(seen, v);
    return v;
  };
  const entry: Item = (v) => (viewable(v) ? viewOf(v, null, pair, null) : v);
  return viewable(value) ? viewOf(value, (k) => note(seen, k), entry, seen) : value;
}
