// A bounded, safe preview of any value a page sends or receives: cyclic graphs, huge arrays,
// functions, DOM nodes, ArrayBuffers and typed arrays, Blob-likes, proxies and getters that
// throw. It never calls a getter (only own data properties are read) and never throws, so it can
// run on the page's own objects in the MAIN world. The work is bounded by a node budget, the
// text by a character budget. Pure: no DOM, no browser API.

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

// Saved at load time: in the MAIN world the page may replace these globals later.
const objectToString = Object.prototype.toString;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const getProto = Object.getPrototypeOf;
const abByteLength = getOwnDescriptor(ArrayBuffer.prototype, 'byteLength')?.get;
const typedProto = getProto(Uint8Array.prototype) as object;
const typedLength = getOwnDescriptor(typedProto, 'length')?.get;
const typedByteLength = getOwnDescriptor(typedProto, 'byteLength')?.get;
const dvByteLength = getOwnDescriptor(DataView.prototype, 'byteLength')?.get;
const fnName = (f: unknown): string => {
  try {
    const d = getOwnDescriptor(f as object, 'name');
    return d && typeof d.value === 'string' ? d.value : '';
  } catch {
    return '';
  }
};
const call = Function.prototype.call;
const apply = <T>(f: ((this: unknown) => T) | undefined, self: unknown): T | undefined => {
  if (!f) return undefined;
  try {
    return call.call(f, self) as T;
  } catch {
    return undefined;
  }
};

function tagOf(v: object): string {
  try {
    const s = call.call(objectToString, v) as string;
    return s.slice(8, -1);
  } catch {
    return 'Object';
  }
}

const HOST_TAG = /^(HTML\w*Element|SVG\w*Element|Element|Text|Comment|Document|DocumentFragment|Window|Location|Node|Event|\w+Event)$/;

/** Quoted string, escaped as JSON would (cheap path for plain strings). */
function quote(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const q = JSON.stringify(cut);
  return s.length > max ? q.slice(0, -1) + '…"' : q;
}

export function preview(value: unknown, options: PreviewOptions = {}): Preview {
  const maxChars = options.maxChars ?? 200;
  const maxDepth = options.maxDepth ?? 4;
  const maxEntries = options.maxEntries ?? 20;
  let nodes = options.maxNodes ?? 2000;
  let out = '';
  let full = false;
  let size = 0;
  const seen: object[] = [];

  const emit = (s: string): void => {
    if (full) return;
    if (out.length + s.length > maxChars) {
      out += s.slice(0, Math.max(0, maxChars - 1 - out.length)) + '…';
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
        emit(String(v));
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
    if (seen.includes(o)) {
      emit('[Circular]');
      return;
    }
    // Binary data: size without copying.
    try {
      if (isView(o)) {
        const bytes = (tagOf(o) === 'DataView' ? apply(dvByteLength, o) : apply(typedByteLength, o)) ?? 0;
        size += bytes;
        const n = tagOf(o) === 'DataView' ? bytes : apply(typedLength, o) ?? 0;
        emit(`${tagOf(o)}(${n})`);
        return;
      }
    } catch {
      // not a view
    }
    const tag = tagOf(o);
    if (tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') {
      const bytes = apply(abByteLength, o) ?? 0;
      size += bytes;
      emit(`ArrayBuffer(${bytes})`);
      return;
    }
    if (tag === 'Blob' || tag === 'File') {
      let bytes = 0;
      try {
        const s = (o as { size?: unknown }).size;
        if (typeof s === 'number' && s >= 0) bytes = s;
      } catch {
        // a throwing getter on a fake Blob
      }
      size += bytes;
      emit(`${tag}(${bytes})`);
      return;
    }
    if (HOST_TAG.test(tag)) {
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
    seen.push(o);
    try {
      let keys: (string | symbol)[];
      try {
        if (isArray(o)) {
          // Indices only, as far as the budget goes: ownKeys of a huge array is itself costly.
          const len = (getOwnDescriptor(o, 'length')?.value as number) ?? 0;
          const n = Math.min(len, Math.max(0, nodes) + 1);
          keys = [];
          for (let i = 0; i < n; i++) keys.push(String(i));
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
      for (const key of keys) {
        if (typeof key === 'symbol') continue;
        if (array && key === 'length') continue;
        if (nodes <= 0) {
          hidden++;
          continue;
        }
        let d: PropertyDescriptor | undefined;
        try {
          d = getOwnDescriptor(o, key);
        } catch {
          d = undefined;
        }
        if (!d || !d.enumerable) continue;
        if (shown >= maxEntries || full) {
          hidden++;
          // keep counting the size of what is not shown
          if ('value' in d) {
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
          emit(/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key, 40));
          emit(':');
        }
        if ('value' in d) walk(d.value, depth + 1);
        else emit('[getter]');
      }
      if (isArray(o)) {
        const len = (getOwnDescriptor(o, 'length')?.value as number) ?? 0;
        hidden = Math.max(hidden, len - shown);
      }
      if (hidden > 0) emit(`${shown > 0 ? ',' : ''}…+${hidden}`);
      emit(array ? ']' : '}');
    } finally {
      seen.pop();
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
  return text.length > maxChars ? text.slice(0, maxChars - 1) + '…' : text;
}

/** Size in bytes of a string sent as UTF-8 (what a WebSocket text frame carries). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Hex preview of the first bytes of binary data. */
export function previewBytes(bytes: ArrayLike<number>, maxBytes = 32): string {
  const n = Math.min(bytes.length, maxBytes);
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return bytes.length > n ? s + ' …' : s;
}
