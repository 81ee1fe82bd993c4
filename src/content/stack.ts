// The frames of the current call stack, read without running any code of the page's. Reading a
// new error's `stack` runs the page's code in both engines: V8 formats it with the page's
// Error.prepareStackTrace when there is one, and SpiderMonkey's `stack` is an accessor on
// Error.prototype the page may replace. So V8's frames are read as call sites, with our own
// prepareStackTrace in the page's place for that one read, and SpiderMonkey's through the getter
// saved at document_start.
import { N, apply, call, create, defineProperty, exec, getOwnPropertyDescriptor, getPrototypeOf, ownValue } from './native';

export interface StackFrame {
  url: string;
  line: number;
  column: number;
}

const E = N.Error as ErrorConstructor & { prepareStackTrace?: unknown; stackTraceLimit?: unknown };
const deleteProperty = Reflect.deleteProperty;
/** SpiderMonkey's `stack` accessor (V8 has none on the prototype: each error has its own). */
const stackGetter = getOwnPropertyDescriptor(E.prototype, 'stack')?.get as ((this: Error) => unknown) | undefined;
const FIREFOX_FRAME = /@(.*?):(\d+):(\d+)$/;
const LINE = /[^\n]+/g;
// Enough to pass our own frames when the page lowered the limit.
const STACK_LIMIT = 30;

const returnSites = (_error: unknown, sites: unknown): unknown => sites;

/**
 * Puts `value` as the data property `key` of Error for the time of `read`, then puts back exactly
 * what was there (or nothing). Not when the page made it an accessor or fixed it: then `read`
 * runs as things are (`swapped` false).
 */
function withErrorProperty<T>(key: 'prepareStackTrace' | 'stackTraceLimit', value: unknown, read: (swapped: boolean) => T): T {
  const before = getOwnPropertyDescriptor(E, key);
  if (before && (getOwnPropertyDescriptor(before, 'get') || getOwnPropertyDescriptor(before, 'set') || !ownValue(before, 'configurable'))) return read(false);
  const mine = create(null) as PropertyDescriptor;
  mine.value = value;
  mine.writable = mine.configurable = true;
  defineProperty(E, key, mine);
  try {
    return read(true);
  } finally {
    if (before) {
      // Put back from a copy without a prototype: no page's Object.prototype.get is read as part of it.
      const copy = create(null) as PropertyDescriptor;
      copy.value = ownValue(before, 'value');
      copy.writable = !!ownValue(before, 'writable');
      copy.enumerable = !!ownValue(before, 'enumerable');
      copy.configurable = true;
      defineProperty(E, key, copy);
    } else deleteProperty(E, key);
  }
}

// V8's call-site methods, from one call site taken now, before any page script could change them.
type SiteMethod = (this: unknown) => unknown;
let site: { fileName: SiteMethod; line: SiteMethod; column: SiteMethod } | null = null;
if (!stackGetter) {
  try {
    const sites = withErrorProperty('prepareStackTrace', returnSites, () => (new E() as { stack?: unknown }).stack);
    const proto = sites && typeof sites === 'object' ? (getPrototypeOf((sites as unknown[])[0]) as Record<string, SiteMethod> | null) : null;
    if (proto) site = { fileName: proto.getFileName!, line: proto.getLineNumber!, column: proto.getColumnNumber! };
  } catch {
    site = null;
  }
}

/**
 * The innermost frame of the current stack whose script URL `skip` does not pass over; null when
 * there is none, or the stack cannot be read unseen.
 */
export function firstFrame(skip: (url: string) => boolean): StackFrame | null {
  if (stackGetter) {
    const text = call(stackGetter, new E());
    if (typeof text !== 'string') return null;
    LINE.lastIndex = 0;
    for (let m = exec(LINE, text); m; m = exec(LINE, text)) {
      const f = exec(FIREFOX_FRAME, m[0]);
      if (f && !skip(f[1]!)) return { url: f[1]!, line: +f[2]!, column: +f[3]! };
    }
    return null;
  }
  const methods = site;
  if (!methods) return null;
  const sites = withErrorProperty('prepareStackTrace', returnSites, (swapped) =>
    swapped ? withErrorProperty('stackTraceLimit', STACK_LIMIT, () => (new E() as { stack?: unknown }).stack) : null,
  );
  if (!sites || typeof sites !== 'object') return null;
  const all = sites as unknown[];
  for (let i = 0; i < all.length; i++) {
    const url = apply(methods.fileName, all[i], []);
    if (typeof url === 'string' && !skip(url)) return { url, line: apply(methods.line, all[i], []) as number, column: apply(methods.column, all[i], []) as number };
  }
  return null;
}
