// Lenient guards for untrusted input (log files, HAR files, page data): each takes any value
// and answers without throwing, so a reader can check field by field.

/** A plain object (not null, not an array), read field by field. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value when it is a plain object, else null. */
export function asObject(v: unknown): Record<string, unknown> | null {
  return isObject(v) ? v : null;
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** The value when it is a string, else ''. */
export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const NONE: readonly never[] = [];

/** The value when it is an array (its items unchecked), else an empty one. */
export function asList<T>(v: unknown): readonly T[] {
  return Array.isArray(v) ? (v as T[]) : NONE;
}

/** Whether the value is an array whose every item passes `ok`. */
export function isListOf(v: unknown, ok: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  // Indexed: a log of 100,000 requests is checked before its first row shows.
  for (let i = 0; i < v.length; i++) if (!ok(v[i])) return false;
  return true;
}
