// WebSocket in the page's own world: creation, open, every frame sent and received, close code
// and reason, errors. The constructor is wrapped in a Proxy (construct trap), so statics,
// `prototype`, `instanceof` and subclassing keep working; send is hooked on the prototype; our
// listeners are added with the saved native addEventListener and never touch the page's.
import { previewBytes, previewText, utf8Length } from '../core/page/preview';
import type { PageEvent } from '../core/page/records';
import { N, PrivateWeakMap, append, apply, call, construct, hideFrames, defineProperty, disguise, findProperty, getOwnPropertyDescriptor, getPrototypeOf, isArray, ownValue, replaceMethod, slice, traps, withoutOurFrames } from './native';
import type { Recorder } from './recorder';

const w = N.window;
const PREVIEW_CHARS = 200;
const PREVIEW_BYTES = 32;

export function installWebSocketHooks(rec: Recorder): void {
  const Native = w.WebSocket;
  if (typeof Native !== 'function') return;
  const proto = Native.prototype;
  const urlGet = findProperty(proto, 'url')?.desc.get;
  const readyStateGet = findProperty(proto, 'readyState')?.desc.get;
  const codeGet = findProperty(w.CloseEvent.prototype, 'code')?.desc.get;
  const reasonGet = findProperty(w.CloseEvent.prototype, 'reason')?.desc.get;
  const abByteLength = findProperty(ArrayBuffer.prototype, 'byteLength')?.desc.get;
  const viewBuffer = findProperty(getPrototypeOf(Uint8Array.prototype) as object, 'buffer')?.desc.get;
  const viewOffset = findProperty(getPrototypeOf(Uint8Array.prototype) as object, 'byteOffset')?.desc.get;
  const viewLength = findProperty(getPrototypeOf(Uint8Array.prototype) as object, 'byteLength')?.desc.get;
  const dvBuffer = findProperty(DataView.prototype, 'buffer')?.desc.get;
  const dvOffset = findProperty(DataView.prototype, 'byteOffset')?.desc.get;
  const dvLength = findProperty(DataView.prototype, 'byteLength')?.desc.get;
  const blobSize = w.Blob ? findProperty(w.Blob.prototype, 'size')?.desc.get : undefined;
  const U8 = Uint8Array;
  const isView = ArrayBuffer.isView;
  // A brand check through a saved getter: it throws on anything but its own kind, and runs no page code.
  const brand = (get: ((this: unknown) => unknown) | undefined, v: object): number => {
    if (!get) return -1;
    try {
      return call(get, v) as number;
    } catch {
      return -1;
    }
  };
  /** The first bytes of `buffer` from `offset`, copied (index by index: no method of the page's). */
  const head = (buffer: ArrayBuffer, offset: number, size: number): Uint8Array => {
    const n = size < PREVIEW_BYTES ? size : PREVIEW_BYTES;
    const from = new U8(buffer, offset, n);
    const copy = new U8(n);
    for (let i = 0; i < n; i++) copy[i] = from[i]!;
    return copy;
  };
  const ids = new PrivateWeakMap<object, number>();
  let nextId = 0;

  /** Size and a bounded preview of a frame's payload; binary bytes are copied (first few only). */
  const describe = (data: unknown): { size: number; binary: boolean; preview: () => string } => {
    if (typeof data === 'string') return { size: -1, binary: false, preview: () => previewText(data, PREVIEW_CHARS) };
    if (typeof data !== 'object' || data === null) return { size: 0, binary: false, preview: () => '' };
    const abSize = brand(abByteLength, data);
    if (abSize >= 0) {
      const bytes = head(data as ArrayBuffer, 0, abSize);
      return { size: abSize, binary: true, preview: () => previewBytes(bytes) };
    }
    if (isView(data)) {
      const dv = brand(dvLength, data) >= 0;
      const buffer = call((dv ? dvBuffer : viewBuffer)!, data) as ArrayBuffer;
      const offset = call((dv ? dvOffset : viewOffset)!, data) as number;
      const size = call((dv ? dvLength : viewLength)!, data) as number;
      const bytes = head(buffer, offset, size);
      return { size, binary: true, preview: () => previewBytes(bytes) };
    }
    const size = brand(blobSize, data);
    if (size >= 0) return { size, binary: true, preview: () => `Blob(${size})` };
    return { size: 0, binary: false, preview: () => '' };
  };

  /** A frame of socket `sid` at `t`, which the rate let in (callers ask `rec.admit` before reading anything). */
  const frame = (sid: number, dir: 'sent' | 'received', data: unknown, t: number): void => {
    const d = describe(data);
    rec.add((): PageEvent => ({
      k: 'ws-frame', sid, t, dir, binary: d.binary, preview: d.preview(),
      size: d.size >= 0 ? d.size : utf8Length(data as string),
    }));
  };

  const track = (ws: object, args: unknown[]): void => {
    const sid = ++nextId;
    ids.set(ws, sid);
    const t = N.now();
    const url = urlGet ? (call(urlGet, ws) as string) : '';
    const protocols: string[] = [];
    // Not args[1] when the page passed one argument: a missing index is looked up on Array.prototype.
    const p = args.length > 1 ? args[1] : undefined;
    if (typeof p === 'string') append(protocols, p);
    else if (isArray(p)) {
      // Own elements only: iterating the page's array again would run its iterator a second time.
      const n = ownValue(p, 'length') as number;
      for (let i = 0; i < n && protocols.length < 16; i++) {
        const x = ownValue(p, i);
        if (typeof x === 'string') append(protocols, x);
      }
    }
    rec.push(() => ({ k: 'ws-new', sid, t, url, protocols }));
    const on = (type: string, fn: (e: Event) => void): void => {
      call(N.addEventListener, ws, type, (e: Event) => {
        try {
          fn(e);
        } catch {
          // ignore
        }
      });
    };
    on('open', () => {
      const t2 = N.now();
      rec.push(() => ({ k: 'ws-open', sid, t: t2 }));
    });
    on('message', (e) => {
      const t = N.now();
      if (rec.admit(t)) frame(sid, 'received', call(N.messageEventData, e), t);
    });
    on('error', () => {
      const t2 = N.now();
      rec.push(() => ({ k: 'ws-error', sid, t: t2 }));
    });
    on('close', (e) => {
      const t2 = N.now();
      const code = codeGet ? (call(codeGet, e) as number) : 0;
      const reason = reasonGet ? (call(reasonGet, e) as string) : '';
      rec.push(() => ({ k: 'ws-close', sid, t: t2, code, reason: reason.length > 256 ? slice(reason, 0, 256) : reason }));
    });
  };

  const handler: ProxyHandler<typeof WebSocket> = traps({
    construct(target, args, newTarget) {
      let ws: object;
      try {
        ws = construct(target, args, newTarget) as object;
      } catch (e) {
        throw hideFrames(e, handler.construct!);
      }
      try {
        track(ws, args);
      } catch {
        // ignore
      }
      return ws;
    },
  });
  const Wrapped = new N.Proxy(Native, handler);
  disguise(Wrapped, Native);
  const d = getOwnPropertyDescriptor(w, 'WebSocket');
  if (!d) return;
  defineProperty(w, 'WebSocket', { ...d, value: Wrapped });
  const c = getOwnPropertyDescriptor(proto, 'constructor');
  if (c && c.value === Native) defineProperty(proto, 'constructor', { ...c, value: Wrapped });

  replaceMethod<(...a: unknown[]) => unknown>(proto, 'send', (original) => ({
    send(this: unknown, data: unknown) {
      // The original in this wrapper's own try block, as postMessage's (send.ts): pages send in loops.
      let result: unknown;
      try {
        result = apply(original, this, arguments);
      } catch (e) {
        throw withoutOurFrames(e, original);
      }
      try {
        const sid = ids.get(this as object);
        if (sid !== undefined) {
          // The rate first: a flood over it reads nothing more. A send on a socket that is no
          // longer open (the native discards it) then spends a token, and is not recorded.
          const t = N.now();
          if (rec.admit(t) && (!readyStateGet || call(readyStateGet, this) === 1)) frame(sid, 'sent', data, t);
        }
      } catch {
        // ignore
      }
      return result;
    },
  }).send);
}
