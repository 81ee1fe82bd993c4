// A batch for the bridge, written out by hand from saved natives. JSON.stringify would not do,
// even the saved one: it runs any `toJSON` the page puts on Object.prototype or Array.prototype,
// which could rewrite our events or add its own. Events are ours, made of object literals and
// arrays without holes: reading the keys ownKeys gives, and indices below length, reads own data
// properties only (no prototype, so nothing of the page's). Strings are quoted by the saved
// JSON.stringify (a string primitive has no toJSON to call).
import { PAGE_WIRE_VERSION } from '../core/page/records';
import { create, isArray, ownKeys, stringify } from './native';

// Our events use a few dozen keys, each written thousands of times: each is quoted once. The
// cache has no prototype, so a key never finds anything of the page's.
const quoted = create(null) as Record<string, string | undefined>;
const quote = (key: string): string => quoted[key] ?? (quoted[key] = stringify(key));

function json(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return stringify(v);
    case 'number':
      return v === v && v !== Infinity && v !== -Infinity ? '' + v : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      return isArray(v) ? list(v) : object(v);
    default:
      return 'null';
  }
}

function list(a: unknown[]): string {
  let out = '[';
  for (let i = 0; i < a.length; i++) out += (i ? ',' : '') + json(a[i]);
  return out + ']';
}

function object(o: object): string {
  const keys = ownKeys(o);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') continue;
    const v = (o as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    out += (first ? '' : ',') + quote(key) + ':' + json(v);
    first = false;
  }
  return out + '}';
}

/** Starts a batch; `add` each event's JSON, then `end`. The same text serializeBatch writes. */
export class BatchWriter {
  private text = '';
  private count = 0;

  add(event: object): void {
    this.text += (this.count++ ? ',' : '') + object(event);
  }

  get size(): number {
    return this.count;
  }

  /** Characters written so far. */
  get length(): number {
    return this.text.length;
  }

  end(): string {
    const out = '{"v":' + PAGE_WIRE_VERSION + ',"events":[' + this.text + ']}';
    this.text = '';
    this.count = 0;
    return out;
  }
}
