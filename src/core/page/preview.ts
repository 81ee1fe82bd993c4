// A bounded, safe preview of any value a page sends or receives: cyclic graphs, huge arrays,
// functions, DOM nodes, ArrayBuffers and typed arrays, Blob-likes, proxies and getters that
// throw. It never calls a getter (only own data properties are read) and never throws, so it can
// run on the page's own objects in the MAIN world. The work is bounded by a node budget, the
// text by a character budget. Pure: no DOM, no browser API.

import { append, list, apply, charCodeAt, getOwnPropertyDescriptor, getPrototypeOf, isArray, objectToString, ownKeys, ownValue, slice, stringify, test } from './natives';

export interface Preview {
  /** Compact JSON-like text, at most `maxChars` characters (then ends with "…"). */
  text: string;
  /** Approximate payload size in bytes (strings count their length, binary their byte length). */
  size: number;
}

export interface PreviewOptions {
  maxChars?: number;
  maxDepth?: number;
  /** Most properties / items shown per object or array. */
  maxEntries?: number;
  /** Most values visited in all (preview and size); beyond it the size is a lower bound. */
  maxNodes?: number;
}

// Saved at load time (natives.ts): in the MAIN world the page may replace these globals later.
const isView = ArrayBuffer.isView;
const abByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')?.get;
const typedProto = getPrototypeOf(Uint8Array.prototype) as object;
const typedLength = getOwnPropertyDescriptor(typedProto, 'length')?.get;
const typedByteLength = getOwnPropertyDescriptor(typedProto, 'byteLength')?.get;
const dvByteLength = getOwnPropertyDescriptor(DataView.prototype, 'byteLength')?.get;
// Blob exists where previews run on page data (a page; Node 18+ too), not in every ES runtime.
const BlobCtor = (globalThis as { Blob?: { prototype: object } }).Blob;
const blobSize = BlobCtor ? getOwnPropertyDescriptor(BlobCtor.prototype, 'size')?.get : undefined;
const fnName = (f: unknown): string => {
  try {
    const d = getOwnPropertyDescriptor(f as object, 'name');
    return d && typeof d.value === 'string' ? d.value : '';
  } catch {
    return '';
  }
};
const read = <T>(f: ((this: unknown) => T) | undefined, self: unknown): T | undefined => {
  if (!f) return undefined;
  try {
    return apply(f, self, []);
  } catch {
    return undefined;
  }
};

const toStringTag = Symbol.toStringTag;
const typedTag = getOwnPropertyDescriptor(typedProto, toStringTag)?.get;

/** Object.prototype.toString's tag, without running a Symbol.toStringTag getter of the page's. */
function tagOf(v: object): string {
  try {
    for (let p: object | null = v; p; p = getPrototypeOf(p) as object | null) {
      const d = getOwnPropertyDescriptor(p, toStringTag);
      if (!d) continue;
      if (d.get && d.get !== typedTag) return 'Object';
      break;
    }
    return slice(objectToString(v), 8, -1);
  } catch {
    return 'Object';
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A data property's descriptor (`'value' in d` would find a `value` the page put on Object.prototype). */
const isData = (d: PropertyDescriptor): boolean => getOwnPropertyDescriptor(d, 'value') !== undefined;
const HOST_TAG = /^(HTML\w*Element|SVG\w*Element|Element|Text|Comment|Document|DocumentFragment|Window|Location|Node|Event|\w+Event)$/;

/** Quoted string, escaped as JSON would (cheap path for plain strings). */
function quote(s: string, max: number): string {
  const cut = s.length > max ? slice(s, 0, max) : s;
  const q = stringify(cut);
  return s.length > max ? slice(q, 0, -1) + '…"' : q;
}

export function preview(value: unknown, options: PreviewOptions = {}): Preview {
  const maxChars = options.maxChars ?? 200;
  const maxDepth = options.maxDepth ?? 4;
  const maxEntries = options.maxEntries ?? 20;
  let nodes = options.maxNodes ?? 2000;
  let out = '';
  let full = false;
  let size = 0;
  // The objects being walked, by depth: a plain counter and slots, no array method the page could replace.
  const seen: object[] = list();
  let depthSeen = 0;
  const isSeen = (o: object): boolean => {
    for (let i = 0; i < depthSeen; i++) if (seen[i] === o) return true;
    return false;
  };

  const emit = (s: string): void => {
    if (full) return;
    if (out.length + s.length > maxChars) {
      out += slice(s, 0, maxChars - 1 - out.length > 0 ? maxChars - 1 - out.length : 0) + '…';
      full = true;
    } else out += s;
  };

  const walk = (v: unknown, depth: number): void => {
    if (--nodes < 0) return;
    switch (typeof v) {
      case 'string':
        size += v.length;
        if (!full) emit(quote(v, maxChars));
        return;
      case 'number':
        size += 8;
        emit('' + v);
        return;
      case 'boolean':
        size += 4;
        emit(v ? 'true' : 'false');
        return;
      case 'undefined':
        size += 1;
        emit('undefined');
        return;
      case 'bigint':
        size += 8;
        emit(`${v}n`);
        return;
      case 'symbol':
        emit('Symbol()');
        return;
      case 'function':
        emit(`[Function ${fnName(v) || '(anonymous)'}]`);
        return;
    }
    if (v === null) {
      size += 1;
      emit('null');
      return;
    }
    const o = v as object;
    if (isSeen(o)) {
      emit('[Circular]');
      return;
    }
    // Binary data: size without copying.
    try {
      if (isView(o)) {
        const bytes = (tagOf(o) === 'DataView' ? read(dvByteLength, o) : read(typedByteLength, o)) ?? 0;
        size += bytes;
        const n = tagOf(o) === 'DataView' ? bytes : read(typedLength, o) ?? 0;
        emit(`${tagOf(o)}(${n})`);
        return;
      }
    } catch {
      // not a view
    }
    const tag = tagOf(o);
    if (tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') {
      const bytes = read(abByteLength, o) ?? 0;
      size += bytes;
      emit(`ArrayBuffer(${bytes})`);
      return;
    }
    if (tag === 'Blob' || tag === 'File') {
      // A real Blob through the saved getter, a Blob-like by its own data property: no getter of the page's runs.
      const s = read(blobSize as ((this: unknown) => number) | undefined, o) ?? ownValue(o, 'size');
      const bytes = typeof s === 'number' && s >= 0 ? s : 0;
      size += bytes;
      emit(`${tag}(${bytes})`);
      return;
    }
    if (test(HOST_TAG, tag)) {
      emit(`[${tag}]`);
      return;
    }
    if (tag === 'Date' || tag === 'RegExp' || tag === 'Map' || tag === 'Set' || tag === 'Error' || tag === 'MessagePort' || tag === 'ImageBitmap') {
      size += 8;
      emit(`[${tag}]`);
      return;
    }
    if (depth >= maxDepth) {
      emit(isArray(o) ? '[…]' : '{…}');
      return;
    }
    if (seen.length === depthSeen) append(seen, o);
    else seen[depthSeen] = o;
    depthSeen++;
    try {
      let keys: (string | symbol)[];
      try {
        if (isArray(o)) {
          // Indices only, as far as the budget goes: ownKeys of a huge array is itself costly.
          const len = (getOwnPropertyDescriptor(o, 'length')?.value as number) ?? 0;
          const budget = (nodes > 0 ? nodes : 0) + 1;
          const n = len < budget ? len : budget;
          keys = list();
          for (let i = 0; i < n; i++) append(keys, '' + i);
          if (len > n) size += 8 * (len - n);
        } else keys = ownKeys(o);
      } catch {
        emit('{?}');
        return;
      }
      const array = isArray(o);
      emit(array ? '[' : '{');
      let shown = 0;
      let hidden = 0;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (typeof key === 'symbol') continue;
        if (array && key === 'length') continue;
        if (nodes <= 0) {
          hidden++;
          continue;
        }
        let d: PropertyDescriptor | undefined;
        try {
          d = getOwnPropertyDescriptor(o, key);
        } catch {
          d = undefined;
        }
        if (!d || !d.enumerable) continue;
        if (shown >= maxEntries || full) {
          hidden++;
          // keep counting the size of what is not shown
          if (isData(d)) {
            const before = full;
            full = true;
            walk(d.value, depth + 1);
            full = before;
          }
          size += array ? 0 : key.length;
          continue;
        }
        if (shown > 0) emit(',');
        shown++;
        if (!array) {
          size += key.length;
          emit(test(IDENTIFIER, key) ? key : quote(key, 40));
          emit(':');
        }
        if (isData(d)) walk(d.value, depth + 1);
        else emit('[getter]');
      }
      if (isArray(o)) {
        const len = (getOwnPropertyDescriptor(o, 'length')?.value as number) ?? 0;
        if (len - shown > hidden) hidden = len - shown;
      }
      if (hidden > 0) emit(`${shown > 0 ? ',' : ''}…+${hidden}`);
      emit(array ? ']' : '}');
    } finally {
      depthSeen--;
    }
  };

  try {
    walk(value, 0);
  } catch {
    emit('[unreadable]');
  }
  return { text: out, size };
}

/** Preview of a text frame: the text itself, cut at `maxChars`. */
export function previewText(text: string, maxChars = 200): string {
  return text.length > maxChars ? slice(text, 0, maxChars - 1) + '…' : text;
}

/** Size in bytes of a string sent as UTF-8 (what a WebSocket text frame carries). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = charCodeAt(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const HEX = '0123456789abcdef';

/** Hex preview of the first bytes of binary data. */
export function previewBytes(bytes: ArrayLike<number>, maxBytes = 32): string {
  const n = bytes.length < maxBytes ? bytes.length : maxBytes;
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + HEX[bytes[i]! >> 4] + HEX[bytes[i]! & 15];
  return bytes.length > n ? s + ' …' : s;
}
