import type { Outcome } from '../core/reasons';
import type { RequestRecord } from '../core/record';

// What the requests table shows: pure functions over records, tested without a browser.

export type Technique = 'cors' | 'jsonp' | 'websocket' | 'no-cors' | 'navigation' | 'same-origin';
export const TECHNIQUES: Technique[] = ['cors', 'no-cors', 'jsonp', 'websocket', 'navigation', 'same-origin'];
export const OUTCOMES: Outcome[] = ['blocked', 'allowed', 'opaque', 'failed', 'pending', 'navigation', 'same-origin'];

export function techniqueOf(r: RequestRecord): Technique {
  if (r.type === 'main_frame' || r.type === 'sub_frame') return 'navigation';
  if (r.type === 'websocket') return 'websocket';
  if (r.jsonp) return 'jsonp';
  if (!r.crossOrigin) return 'same-origin';
  if (r.verdict?.outcome === 'opaque') return 'no-cors';
  return 'cors';
}

export function outcomeOf(r: RequestRecord): Outcome {
  return r.verdict?.outcome ?? 'pending';
}

export function isCredentialed(r: RequestRecord): boolean {
  return r.credentials.cookiesSent || r.credentials.mode === 'include' || r.credentials.authorization === true;
}

export interface Filter {
  text: string;
  outcomes: Set<Outcome>;
  techniques: Set<Technique>;
  credentialedOnly: boolean;
  findingsOnly: boolean;
  showSameOrigin: boolean;
  showPreflights: boolean;
}

export const DEFAULT_FILTER: Filter = {
  text: '',
  outcomes: new Set(),
  techniques: new Set(),
  credentialedOnly: false,
  findingsOnly: false,
  showSameOrigin: false,
  showPreflights: false,
};

export type SortKey = 'time' | 'origin' | 'outcome';

const searchText = new WeakMap<RequestRecord, string>();
function haystack(r: RequestRecord): string {
  let s = searchText.get(r);
  if (s === undefined) {
    s = `${r.method} ${r.url} ${r.initiatorOrigin ?? ''} ${r.status ?? ''} ${r.verdict?.outcome ?? ''} ${r.verdict?.reason ?? ''} ${r.type}`.toLowerCase();
    searchText.set(r, s);
  }
  return s;
}

/** Records hidden before any user filter: same-origin traffic and preflights (shown with their request). */
function inScope(r: RequestRecord, f: Filter): boolean {
  if (r.isPreflight && !f.showPreflights) return false;
  if (!f.showSameOrigin && techniqueOf(r) === 'same-origin') return false;
  return true;
}

/** Whether `r` passes `f`, leaving out the dimension named by `except` (for per-filter counts). */
function passes(r: RequestRecord, f: Filter, hasFindings: (r: RequestRecord) => boolean, except?: 'outcome' | 'technique'): boolean {
  if (!inScope(r, f)) return false;
  if (except !== 'outcome' && f.outcomes.size && !f.outcomes.has(outcomeOf(r))) return false;
  if (except !== 'technique' && f.techniques.size && !f.techniques.has(techniqueOf(r))) return false;
  if (f.credentialedOnly && !isCredentialed(r)) return false;
  if (f.findingsOnly && !hasFindings(r)) return false;
  if (f.text) {
    const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
    const h = haystack(r);
    for (const w of words) if (!h.includes(w)) return false;
  }
  return true;
}

const OUTCOME_RANK: Record<Outcome, number> = { blocked: 0, failed: 1, pending: 2, opaque: 3, allowed: 4, navigation: 5, 'same-origin': 6 };

export function applyFilter(
  records: RequestRecord[],
  f: Filter,
  sort: SortKey,
  hasFindings: (r: RequestRecord) => boolean = () => false,
): RequestRecord[] {
  const out = records.filter((r) => passes(r, f, hasFindings));
  if (sort === 'origin') out.sort((a, b) => targetOrigin(a).localeCompare(targetOrigin(b)) || a.seq - b.seq);
  else if (sort === 'outcome') out.sort((a, b) => OUTCOME_RANK[outcomeOf(a)] - OUTCOME_RANK[outcomeOf(b)] || a.seq - b.seq);
  return out;
}

/** How many records each outcome and technique button would show, given the other filters. */
export function countFacets(records: RequestRecord[], f: Filter, hasFindings: (r: RequestRecord) => boolean = () => false) {
  const outcomes = new Map<Outcome, number>();
  const techniques = new Map<Technique, number>();
  for (const r of records) {
    if (passes(r, f, hasFindings, 'outcome')) outcomes.set(outcomeOf(r), (outcomes.get(outcomeOf(r)) ?? 0) + 1);
    if (passes(r, f, hasFindings, 'technique')) techniques.set(techniqueOf(r), (techniques.get(techniqueOf(r)) ?? 0) + 1);
  }
  return { outcomes, techniques };
}

export function targetOrigin(r: RequestRecord): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(r.url);
  return m ? m[0] : r.url;
}
