import { PreflightCache } from '../cors/classify';
import { judge, notePreflight } from '../session/judge';
import { pairedPreflight, type RequestRecord } from '../session/record';
import type { Browser } from '../browser';

// Judging a whole log at once (a HAR read in, a session log re-judged by other rules): in
// order, with a preflight cache as a live session keeps, so a request served from the cache
// names the preflight that filled it.

/**
 * Gives every request of `records` (in the order they were made) its verdict by `browser`'s
 * rules; `recordedBy` is the browser whose network log they come from (null: a recorder on the wire).
 */
export function judgeLog(records: readonly RequestRecord[], browser: Browser, recordedBy: Browser | null = browser): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  const cache = new PreflightCache(browser);
  for (const r of records) {
    if (r.isPreflight) continue;
    const preflight = pairedPreflight(r, byId);
    const verdict = judge(r, preflight, browser, cache, recordedBy);
    if (preflight !== null) notePreflight(cache, preflight, verdict);
  }
}
