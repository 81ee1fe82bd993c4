// References to other windows. A call on a cross-origin window gets a fresh built-in postMessage
// no patch sees; so the references a script gets to other windows (parent, opener, window.open()
// results, iframe contentWindow, event.source) are wrapped in one Proxy per window (always the
// same one, so identity comparisons between wrapped references hold) whose postMessage records
// the send. Whether a window is wrapped is decided once, when the hook first sees it: a window
// first seen same-origin stays unwrapped (its own hook sees its calls), so a reference handed
// out earlier never changes identity. `top` cannot be wrapped ([LegacyUnforgeable]).
import { N, PrivateWeakMap, call, create, invoke, disguise, findProperty, getterOf, reflectGet, reflectSet, replaceAccessor, replaceMethod, test, traps } from '../native';
import type { Recorder } from '../recorder';
import type { PostMessageContext } from './context';
import { postMessageFor } from './send';

const w = N.window;
const isWindowProp = (key: PropertyKey): boolean =>
  key === 'self' || key === 'window' || key === 'frames' || key === 'parent' || key === 'opener' || key === 'top';
const INDEX = /^\d+$/;
const notCross = (): boolean => false;

export class WindowRefs {
  private refs = new PrivateWeakMap<object, object>();
  private bound = new PrivateWeakMap<object, Record<string, unknown>>();

  constructor(private rec: Recorder) {}

  /** The reference a script should get for window `v` (`hintCross`: it is about to become cross-origin). */
  ref(v: unknown, hintCross = false): unknown {
    if (typeof v !== 'object' || v === null || v === w) return v;
    const known = this.refs.get(v);
    if (known) return known;
    // Only windows: a same-origin window has a document; a cross-origin one throws on it.
    let cross = false;
    try {
      const doc = (v as Window).document;
      if (doc === undefined) return v; // not a window (a MessagePort, a ServiceWorker...)
    } catch {
      cross = true;
    }
    const r = cross || hintCross ? this.makeProxy(v) : v;
    this.refs.set(v, r);
    return r;
  }

  /** ref() for what a page-facing getter returns: on any failure of ours, `v` itself. */
  refOr(v: unknown, hintCross: () => boolean = notCross): unknown {
    try {
      return this.ref(v, hintCross());
    } catch {
      return v;
    }
  }

  private proxyOf(target: object): object {
    return this.refs.get(target) ?? target;
  }

  private makeProxy(target: object): object {
    let pm: ((...a: unknown[]) => unknown) | null = null;
    const refs = this;
    return new N.Proxy(target, traps({
      get(t, key) {
        if (key === 'postMessage') return (pm ??= postMessageFor(refs.rec, t));
        const v = reflectGet(t, key);
        if (isWindowProp(key) || (typeof key === 'string' && test(INDEX, key))) {
          if (v === t) return refs.proxyOf(t);
          return refs.ref(v);
        }
        if (typeof v === 'function' && (key === 'close' || key === 'focus' || key === 'blur')) {
          let m = refs.bound.get(t);
          if (!m) refs.bound.set(t, (m = create(null) as Record<string, unknown>));
          let made = m[key] as object | undefined;
          if (!made) {
            const fn = { [key]: function (this: unknown) { return invoke(v, t, arguments, fn); } }[key]!;
            made = m[key] = disguise(fn, v);
          }
          return made;
        }
        return v;
      },
      set(t, key, value) {
        return reflectSet(t, key, value);
      },
    }));
  }
}

/** Is `url` an http(s) URL of another origin than this window's? (Only strings: converting an object would run its toString once more than the native does.) */
function crossUrl(url: unknown): boolean {
  try {
    if (typeof url !== 'string') return false;
    const u = new N.URL(url, call(N.locationHref!, w.location));
    const protocol = call(N.urlProtocol, u);
    return (protocol === 'http:' || protocol === 'https:') && call(N.urlOrigin, u) !== w.location.origin;
  } catch {
    return false;
  }
}

/** parent, opener, window.open() and frames' contentWindow hand out wrapped references. */
export function hookWindowRefs(ctx: PostMessageContext): void {
  const { refs } = ctx;
  for (const key of ['parent', 'opener'] as const) {
    replaceAccessor(w, key, (get) => getterOf({
      // A computed getter name keeps the native one ("get parent", "get opener").
      get [key]() {
        const v = invoke(get, this, arguments);
        if (this !== w) return v;
        return refs.refOr(v);
      },
    }, key));
  }
  replaceMethod<(...a: unknown[]) => unknown>(w, 'open', (original) => ({
    open(this: unknown) {
      const v = invoke(original, this, arguments);
      const url: unknown = arguments.length > 0 ? arguments[0] : undefined;
      return refs.refOr(v, () => crossUrl(url));
    },
  }).open);
  for (const ctor of [w.HTMLIFrameElement, w.HTMLFrameElement]) {
    if (!ctor) continue;
    const srcGetter = findProperty(ctor.prototype, 'src')?.desc.get;
    replaceAccessor(ctor.prototype, 'contentWindow', (get) => getterOf({
      get contentWindow() {
        const v = invoke(get, this, arguments);
        return refs.refOr(v, () => (srcGetter ? crossUrl(call(srcGetter, this)) : false));
      },
    }, 'contentWindow'));
  }
}
