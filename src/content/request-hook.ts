// fetch and XMLHttpRequest in the page's own world: what webRequest cannot see, the credentials
// mode the script asked for, whether it set Authorization (Chrome's webRequest never shows it),
// the names of the headers it set, the request mode. With URL, method and time, so the collector
// can link each report to its webRequest record. Never reads or consumes a body.
import type { RequestWire } from '../core/page/records';
import { readHeaders, viewHeaders, type HeadersSeen } from './headers-view';
import { N, PrivateWeakMap, append, call, create, invoke, findProperty, reflectGet, replaceMethod, test, toLowerCase, toUpperCase, withArg } from './native';
import type { Recorder } from './recorder';

const w = N.window;
const MODES = ['cors', 'no-cors', 'same-origin', 'navigate'];
const CREDENTIALS = ['include', 'same-origin', 'omit'];
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `list.includes(s)`, by hand: Array.prototype.includes is the page's to replace. */
function has(list: readonly string[], s: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === s) return true;
  return false;
}

function normalizeMethod(m: string): string {
  const up = toUpperCase(m);
  return has(NORMALIZED, up) ? up : m;
}

export function installRequestHooks(rec: Recorder): void {
  const baseUrl = (): string => {
    try {
      return call(N.baseURI, w.document) as string;
    } catch {
      return call(N.locationHref!, w.location) as string;
    }
  };
  // Strings and URL objects only: converting any other object would run its toString once more
  // than the native call does. The URL brand check (its href getter) asks a Proxy nothing.
  const resolve = (url: unknown): string | null => {
    try {
      if (typeof url === 'string') return call(N.urlHref, new N.URL(url, baseUrl())) as string;
      return typeof url === 'object' && url !== null ? (call(N.urlHref, url) as string) : null;
    } catch {
      return null;
    }
  };
  const g = (key: string) => (w.Request ? findProperty(w.Request.prototype, key)?.desc.get : undefined);
  const reqUrl = g('url');
  const reqMethod = g('method');
  const reqMode = g('mode');
  const reqCredentials = g('credentials');
  const reqHeaders = g('headers');
  /** The URL of a Request, or null for anything else (a Proxy included: the brand check asks it nothing). */
  const requestUrl = (v: unknown): string | null => {
    if (typeof v !== 'object' || v === null || !reqUrl) return null;
    try {
      return call(reqUrl, v) as string;
    } catch {
      return null;
    }
  };

  const push = (r: Omit<RequestWire, 'k' | 'headers'> & { headers: string[] }): void => {
    const headers: string[] = [];
    for (let i = 0; i < r.headers.length; i++) {
      const h = r.headers[i]!;
      if (test(TOKEN, h) && !has(headers, h)) append(headers, h);
    }
    if (!test(TOKEN, r.method) || !has(MODES, r.mode) || !has(CREDENTIALS, r.credentials)) return;
    const event: RequestWire = { ...r, k: 'req', headers, authorization: has(headers, 'authorization') };
    rec.push(() => event);
  };

  // The members of fetch's init the record needs, as the native read them: the native gets a
  // Proxy that forwards each read to init (with init as the getter's `this`) and keeps these
  // values, so each member is read once, by the native, as without the hooks; `headers` reaches
  // the native as a view that notes the names it reads (headers-view.ts). Its target is an
  // empty object of ours, not init: the checks a Proxy makes of its target after each read would
  // reach a Proxy the page passed as init. The handler has no prototype: a trap the page puts on
  // Object.prototype is never looked up.
  type InitSeen = { method?: unknown; mode?: unknown; credentials?: unknown; headers?: HeadersSeen };
  const watched = (init: object, seen: InitSeen): object => {
    const handler = create(null) as ProxyHandler<object>;
    handler.get = (_empty, key) => {
      const v = reflectGet(init, key, init);
      if (key === 'method' || key === 'mode' || key === 'credentials') seen[key] = v;
      else if (key === 'headers' && v !== undefined) return viewHeaders(v, (seen.headers = { names: [], complete: true }));
      return v;
    };
    return new N.Proxy(create(null) as object, handler);
  };

  if (typeof w.fetch === 'function') {
    replaceMethod<(...a: unknown[]) => unknown>(w, 'fetch', (original) => ({
      // One declared parameter, as the native has; init comes from arguments.
      fetch(this: unknown, input: unknown) {
        const t = N.now();
        let args: ArrayLike<unknown> = arguments;
        let seen: InitSeen | null = null;
        try {
          const init: unknown = arguments.length > 1 ? arguments[1] : undefined;
          if ((typeof init === 'object' && init !== null) || typeof init === 'function') {
            seen = create(null) as InitSeen;
            args = withArg(arguments, 1, watched(init, seen));
          }
        } catch {
          args = arguments;
          seen = null;
        }
        const result = invoke(original, this, args);
        try {
          let url = requestUrl(input);
          let method = 'GET';
          let mode = 'cors';
          let credentials = 'same-origin';
          let headers: HeadersSeen = { names: [], complete: true };
          if (url !== null) {
            method = call(reqMethod!, input) as string;
            mode = call(reqMode!, input) as string;
            credentials = call(reqCredentials!, input) as string;
            readHeaders(call(reqHeaders!, input), headers);
          } else url = resolve(input);
          if (seen) {
            if (typeof seen.method === 'string') method = normalizeMethod(seen.method);
            if (typeof seen.mode === 'string') mode = seen.mode;
            if (typeof seen.credentials === 'string') credentials = seen.credentials;
            if (seen.headers) headers = seen.headers;
          }
          // Names the native read unseen: no record, webRequest alone tells this request's headers.
          if (url !== null && headers.complete) push({ api: 'fetch', t, url, method, mode, credentials, withCredentials: null, authorization: false, headers: headers.names });
        } catch {
          // ignore: the page's call went on untouched
        }
        return result;
      },
    }).fetch);
  }

  const Xhr = w.XMLHttpRequest;
  if (typeof Xhr !== 'function') return;
  const xproto = Xhr.prototype;
  const withCredentialsGet = findProperty(xproto, 'withCredentials')?.desc.get;
  const state = new PrivateWeakMap<object, { method: string; url: string | null; headers: string[] }>();
  replaceMethod<(...a: unknown[]) => unknown>(xproto, 'open', (original) => ({
    open(this: unknown, method: unknown, url: unknown) {
      const result = invoke(original, this, arguments);
      try {
        if (typeof method === 'string') state.set(this as object, { method: normalizeMethod(method), url: resolve(url), headers: [] });
      } catch {
        // ignore
      }
      return result;
    },
  }).open);
  replaceMethod<(...a: unknown[]) => unknown>(xproto, 'setRequestHeader', (original) => ({
    setRequestHeader(this: unknown, name: unknown, _value: unknown) {
      const result = invoke(original, this, arguments);
      try {
        const s = state.get(this as object);
        if (s && typeof name === 'string' && s.headers.length < 64) append(s.headers, toLowerCase(name));
      } catch {
        // ignore
      }
      return result;
    },
  }).setRequestHeader);
  replaceMethod<(...a: unknown[]) => unknown>(xproto, 'send', (original) => ({
    send(this: unknown) {
      let s: { method: string; url: string | null; headers: string[] } | undefined;
      let withCredentials = false;
      try {
        s = state.get(this as object);
        withCredentials = withCredentialsGet ? !!call(withCredentialsGet, this) : false;
      } catch {
        s = undefined;
      }
      const t = N.now();
      const result = invoke(original, this, arguments); // throws before anything is sent when misused
      try {
        if (s && s.url !== null) {
          push({ api: 'xhr', t, url: s.url, method: s.method, mode: 'cors', credentials: withCredentials ? 'include' : 'same-origin', withCredentials, authorization: false, headers: s.headers });
          s.headers = [];
        }
      } catch {
        // ignore
      }
      return result;
    },
  }).send);
}
