import type { Settings } from './settings';

// The budget across tabs: every tab may keep its own cap of requests and all tabs are recorded
// by default, so without it a day of browsing would grow without bound. Sizes are the
// records' JSON length (what an export holds; IndexedDB and memory hold it within a small factor).

export type Budget = Pick<Settings, 'maxTotalRequests' | 'maxTotalBytes'>;

/** What the budget needs of a tab's session (TabSession). */
export interface BudgetedSession {
  readonly tabId: number;
  /** Requests kept, and their estimated bytes. */
  readonly size: number;
  readonly bytes: number;
  /** Time of the session's latest request event. */
  readonly lastActive: number;
  /** Brings `bytes` up to date with the records changed since it was last measured. */
  settle(): void;
  /** Drops the oldest records until at least `records` and `bytes` are freed (or none is left). */
  shed(records: number, bytes: number): { records: number; bytes: number };
}

const ESCAPED = /["\\\u0000-\u001f]/;

/** Characters JSON adds to escape `s`: one for `"`, `\` and \b \f \n \r \t, five for other control characters. */
function escapes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || (c >= 8 && c <= 10) || c === 12 || c === 13) n += 1;
    else if (c < 0x20) n += 5;
  }
  return n;
}

/**
 * Length of `value` as JSON (JSON.stringify's, lone surrogates aside), counted without building
 * the text: cheap enough to run on every record that changed.
 */
export function jsonSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2 + (ESCAPED.test(value) ? escapes(value) : 0);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let n = 2 + Math.max(0, value.length - 1);
        for (const item of value) n += item === undefined ? 4 : jsonSize(item);
        return n;
      }
      let n = 2;
      let fields = 0;
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined || typeof v === 'function') continue;
        n += key.length + 3 + jsonSize(v);
        fields++;
      }
      return n + Math.max(0, fields - 1);
    }
    default:
      return 0;
  }
}

/**
 * Brings the sessions within the budget. Sessions of tabs nobody inspects give way first, the
 * one idle longest first, each from its oldest record; the tabs with a panel open give way
 * last. (A closed tab's session is deleted when the tab closes: it never holds the budget.)
 */
export function enforceBudget(sessions: Iterable<BudgetedSession>, budget: Budget, inspected: (tabId: number) => boolean): void {
  let records = -budget.maxTotalRequests;
  let bytes = -budget.maxTotalBytes;
  const all = [...sessions];
  for (const s of all) {
    s.settle();
    records += s.size;
    bytes += s.bytes;
  }
  if (records <= 0 && bytes <= 0) return;
  all.sort((a, b) => Number(inspected(a.tabId)) - Number(inspected(b.tabId)) || a.lastActive - b.lastActive);
  for (const s of all) {
    const freed = s.shed(Math.max(0, records), Math.max(0, bytes));
    records -= freed.records;
    bytes -= freed.bytes;
    if (records <= 0 && bytes <= 0) return;
  }
}
