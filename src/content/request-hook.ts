// fetch and XMLHttpRequest in the page's own world: what webRequest cannot see, the credentials
// mode the script asked for, whether it set Authorization (Chrome's webRequest never shows it),
// the names of the headers it set, the request mode. With URL, method and time, so the collector
// can link each report to its webRequest record. Never reads or consumes a body.
import type { RequestWire } from '../core/page/records';
import { N, apply, call, findProperty, getOwnPropertyDescriptor, getPrototypeOf, replaceMethod } from './native';
import type { Recorder } from './recorder';

const w = N.window;
const MODES = ['cors', 'no-cors', 'same-origin', 'navigate'];
const CREDENTIALS = ['include', 'same-origin', 'omit'];
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function normalizeMethod(m: string): string {
  const up = m.toUpperCase();
  return NORMALIZED.includes(up) ? up : m;
}

export function installRequestHooks(rec: Recorder): void {
  const baseUrl = (): string => {
    try {
      return w.document.baseURI;
    } catch {
      return call(N.locationHref!, w.location) as string;
    }
  };
  const resolve = (url: unknown): string | null => {
    try {
      return new N.URL(String(url), baseUrl()).href;
    } catch {
      return null;
    }
  };
  const Req = w.Request;
  const Hdrs = w.Headers;
  const g = (proto: object | undefined, key: string) => (proto ? findProperty(proto, key)?.desc.get : undefined);
  const reqUrl = g(Req?.prototype, 'url');
  const reqMethod = g(Req?.prototype, 'method');
  const reqMode = g(Req?.prototype, 'mode');
  const reqCredentials = g(Req?.prototype, 'credentials');
  const reqHeaders = g(Req?.prototype, 'headers');
  const headersForEach = Hdrs?.prototype.forEach;
  const isA = (v: unknown, proto: object | undefined): boolean => {
    if (!proto || typeof v !== 'object' || v === null) return false;
    for (let o = getPrototypeOf(v) as object | null; o; o = getPrototypeOf(o) as object | null) if (o === proto) return true;
    return false;
  };

  /** Header names from a HeadersInit (Headers, [name, value][] or a record), lowercased. */
  const headerNames = (init: unknown, into: string[]): void => {
    if (typeof init !== 'object' || init === null) return;
    if (isA(init, Hdrs?.prototype) && headersForEach) {
      call(headersForEach, init, (_v: string, k: string) => {
        if (into.length < 64) into.push(k);
      });
      return;
    }
    if (Array.isArray(init)) {
      for (const pair of init) if (Array.isArray(pair) && typeof pair[0] === 'string' && into.length < 64) into.push(pair[0].toLowerCase());
      return;
    }
    for (const k of Object.keys(init)) if (into.length < 64) into.push(k.toLowerCase());
  };

  const push = (r: Omit<RequestWire, 'k' | 'headers'> & { headers: string[] }): void => {
    const headers: string[] = [];
    for (const h of r.headers) if (TOKEN.test(h) && !headers.includes(h)) headers.push(h);
    if (!TOKEN.test(r.method) || !MODES.includes(r.mode) || !CREDENTIALS.includes(r.credentials)) return;
    const event: RequestWire = { ...r, k: 'req', headers, authorization: headers.includes('authorization') };
    rec.push(() => event);
  };

  const data = (o: object, key: string): unknown => {
    const d = getOwnPropertyDescriptor(o, key);
    if (d) return 'value' in d ? d.value : undefined;
    // An inherited or accessor property: read it as fetch itself does.
    return (o as Record<string, unknown>)[key];
  };

  if (typeof w.fetch === 'function') {
    replaceMethod<(...a: unknown[]) => unknown>(w, 'fetch', (original) => ({
      fetch(this: unknown, input: unknown, init?: unknown) {
        try {
          const t = N.now();
          let url: string | null;
          let method = 'GET';
          let mode = 'cors';
          let credentials = 'same-origin';
          const headers: string[] = [];
          if (isA(input, Req?.prototype)) {
            url = call(reqUrl!, input) as string;
            method = call(reqMethod!, input) as string;
            mode = call(reqMode!, input) as string;
            credentials = call(reqCredentials!, input) as string;
            headerNames(call(reqHeaders!, input), headers);
          } else url = resolve(input);
          if (typeof init === 'object' && init !== null) {
            const m = data(init, 'method');
            if (typeof m === 'string') method = normalizeMethod(m);
            const md = data(init, 'mode');
            if (typeof md === 'string') mode = md;
            const c = data(init, 'credentials');
            if (typeof c === 'string') credentials = c;
            const h = data(init, 'headers');
            if (h !== undefined) {
              headers.length = 0;
              headerNames(h, headers);
            }
          }
          if (url !== null) push({ api: 'fetch', t, url, method, mode, credentials, withCredentials: null, authorization: false, headers });
        } catch {
          // ignore: the page's call goes on untouched
        }
        return apply(original, this, arguments);
      },
    }).fetch);
  }

  const Xhr = w.XMLHttpRequest;
  if (typeof Xhr !== 'function') return;
  const xproto = Xhr.prototype;
  const withCredentialsGet = findProperty(xproto, 'withCredentials')?.desc.get;
  const state = new N.WeakMap<object, { method: string; url: string | null; headers: string[] }>();
  replaceMethod<(...a: unknown[]) => unknown>(xproto, 'open', (original) => ({
    open(this: unknown, method: unknown, url: unknown) {
      const result = apply(original, this, arguments);
      try {
        state.set(this as object, { method: normalizeMethod(String(method)), url: resolve(url), headers: [] });
      } catch {
        // ignore
      }
      return result;
    },
  }).open);
  replaceMethod<(...a: unknown[]) => unknown>(xproto, 'setRequestHeader', (original) => ({
    setRequestHeader(this: unknown, name: unknown) {
      const result = apply(original, this, arguments);
      try {
        const s = state.get(this as object);
        if (s && typeof name === 'string' && s.headers.length < 64) s.headers.push(name.toLowerCase());
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
      const result = apply(original, this, arguments); // throws before anything is sent when misused
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
