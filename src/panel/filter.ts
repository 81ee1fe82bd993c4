import type { Outcome } from '../core/cors/reasons';
import type { RequestRecord } from '../core/session/record';

// What the requests table shows: pure code over records, tested without a browser.

export type Technique = 'cors' | 'jsonp' | 'websocket' | 'no-cors' | 'navigation' | 'same-origin';
export const TECHNIQUES: Technique[] = ['cors', 'no-cors', 'jsonp', 'websocket', 'navigation', 'same-origin'];
/** The outcome filter buttons, in the order the filter bar shows them (blocked first: what users look for). */
export const OUTCOME_BUTTONS: Outcome[] = ['blocked', 'allowed', 'opaque', 'failed', 'pending', 'navigation', 'same-origin'];

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

/** Whether credentials go with the request: cookies sent, an Authorization header, or credentials mode 'include'. */
export function involvesCredentials(r: RequestRecord): boolean {
  return r.credentials.cookiesSent || r.credentials.mode === 'include' || r.credentials.authorization === true;
}

export interface Filter {
  text: string;
  outcomes: Set<Outcome>;
  techniques: Set<Technique>;
  credentialedOnly: boolean;
  /** Only requests the browser kept a cookie it holds for them from. */
  withheldCookiesOnly: boolean;
  findingsOnly: boolean;
  showSameOrigin: boolean;
  showPreflights: boolean;
}

export const DEFAULT_FILTER: Filter = {
  text: '',
  outcomes: new Set(),
  techniques: new Set(),
  credentialedOnly: false,
  withheldCookiesOnly: false,
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

const OUTCOME_RANK: Record<Outcome, number> = { blocked: 0, failed: 1, pending: 2, opaque: 3, allowed: 4, navigation: 5, 'same-origin': 6 };

export interface FilterResult {
  rows: RequestRecord[];
  /** How many records each outcome and technique button would show, given the other filters. */
  outcomes: Map<Outcome, number>;
  techniques: Map<Technique, number>;
}

// A record's filter facts packed in a small number: outcome (3 bits), technique (3 bits),
// preflight, credentialed, cookies held back. A keystroke then reads a small array, not 100,000
// scattered records.
const PREFLIGHT = 1 << 6;
const CREDENTIALED = 1 << 7;
const WITHHELD = 1 << 8;
const OUTCOME_CODE = new Map(OUTCOME_BUTTONS.map((o, i) => [o, i]));
const TECHNIQUE_CODE = new Map(TECHNIQUES.map((t, i) => [t, i]));
const SAME_ORIGIN = TECHNIQUE_CODE.get('same-origin')!;

/** Whether every word of `before` is part of a word of `now`: then `now` matches a subset. */
function narrows(now: string[], before: string[]): boolean {
  return before.every((b) => now.some((w) => w.includes(b)));
}

function codeOf(r: RequestRecord): number {
  return OUTCOME_CODE.get(outcomeOf(r))! | (TECHNIQUE_CODE.get(techniqueOf(r))! << 3) | (r.isPreflight ? PREFLIGHT : 0) | (involvesCredentials(r) ? CREDENTIALED : 0) | (r.cookies?.withheld.length ? WITHHELD : 0);
}

function matchesWords(r: RequestRecord, words: string[]): boolean {
  const h = haystack(r);
  return words.every((w) => h.includes(w));
}

/** The toggles and the findings filter: whether a record with code `c` may be shown at all. */
function passes(f: Filter, c: number, r: RequestRecord, hasFindings: (r: RequestRecord) => boolean): boolean {
  // Preflights show with their request, same-origin traffic on request.
  if (c & PREFLIGHT && !f.showPreflights) return false;
  if (((c >> 3) & 7) === SAME_ORIGIN && !f.showSameOrigin) return false;
  if (f.credentialedOnly && !(c & CREDENTIALED)) return false;
  if (f.withheldCookiesOnly && !(c & WITHHELD)) return false;
  return !f.findingsOnly || hasFindings(r);
}

const ORDER: Record<SortKey, (a: RequestRecord, b: RequestRecord) => number> = {
  time: (a, b) => a.seq - b.seq,
  origin: (a, b) => targetOrigin(a).localeCompare(targetOrigin(b)) || a.seq - b.seq,
  outcome: (a, b) => OUTCOME_RANK[outcomeOf(a)] - OUTCOME_RANK[outcomeOf(b)] || a.seq - b.seq,
};

/** The first position in the sorted `list` whose item does not come before `item`. */
function lowerBound<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byNumber = (a: number, b: number) => a - b;

/** Adds (sign 1) or takes away (-1) a shown record's share of the counts; true when it is a row. */
function share(a: Answer, c: number, sign: number): boolean {
  const outcome = c & 7;
  const technique = (c >> 3) & 7;
  // A button counts what choosing it would show: its own dimension is left out.
  if (a.wantTechnique[technique]) a.outcomeCounts[outcome]! += sign;
  if (a.wantOutcome[outcome]) a.techniqueCounts[technique]! += sign;
  return a.wantOutcome[outcome]! && a.wantTechnique[technique]!;
}

/** The last query answered, and its answer, kept current as records change. */
interface Answer {
  filter: Filter;
  sort: SortKey;
  hasFindings: (r: RequestRecord) => boolean;
  words: string[];
  wantOutcome: boolean[];
  wantTechnique: boolean[];
  rows: RequestRecord[];
  outcomeCounts: number[];
  techniqueCounts: number[];
}

/**
 * The requests table's filter over the session's records: the rows the filter lets through,
 * sorted, and the count behind each filter button, in one pass. It runs on every keystroke over
 * up to 200,000 records, so it keeps what the last text matched: typing on narrows the search to
 * those. The records list is the session model's, changed in place: the model reports each
 * change (dropFront, replace, append), and the filter patches its index and its last answer in
 * proportion to the change, so a live update costs the same in a big session as in a small one.
 */
export class RecordFilter {
  private codes: Uint16Array;
  /** How many of the records have a code: the ones appended since wait for append(). */
  private count = 0;
  private lastWords: string[] = [];
  /** Indices of the records every word of `lastWords` occurs in (all records for no words), ascending. */
  private lastMatches: number[] | null = null;
  /** The records' search texts, in record order, the first `texts.length` of them built. */
  private texts: string[] = [];
  private answer: Answer | null = null;

  constructor(private readonly records: readonly RequestRecord[]) {
    this.codes = new Uint16Array(records.length);
    this.append();
  }

  /**
   * Builds the records' search texts for about `budgetMs`; true once all are built. The panel
   * calls it while idle, so that the first key typed does not pay for 100,000 of them.
   */
  prepareText(budgetMs = Infinity): boolean {
    const end = performance.now() + budgetMs;
    while (this.texts.length < this.count) {
      this.texts.push(haystack(this.records[this.texts.length]!));
      if (this.texts.length % 1024 === 0 && performance.now() > end) break;
    }
    return this.texts.length === this.count;
  }

  /** The records from the last one coded to the end of the list are new. */
  append(): void {
    const from = this.count;
    const n = this.records.length;
    if (n > this.codes.length) {
      const grown = new Uint16Array(Math.max(n, this.codes.length * 2, 1024));
      grown.set(this.codes.subarray(0, from));
      this.codes = grown;
    }
    const a = this.answer;
    const patchMatches = this.lastMatches !== null && this.lastWords.length > 0;
    for (let i = from; i < n; i++) {
      const r = this.records[i]!;
      const c = codeOf(r);
      this.codes[i] = c;
      if (patchMatches && matchesWords(r, this.lastWords)) this.lastMatches!.push(i);
      if (a && this.tally(a, c, r, 1)) this.insertRow(a, r);
    }
    this.count = n;
  }

  /** The record now at `i` replaced `before`. */
  replace(i: number, before: RequestRecord): void {
    // A record appended and replaced in one update is coded by the append that follows.
    if (i >= this.count) return;
    const r = this.records[i]!;
    const old = this.codes[i]!;
    const c = codeOf(r);
    this.codes[i] = c;
    if (i < this.texts.length) this.texts[i] = haystack(r);
    if (this.lastMatches !== null && this.lastWords.length > 0) {
      const at = lowerBound(this.lastMatches, i, byNumber);
      const had = this.lastMatches[at] === i;
      const has = matchesWords(r, this.lastWords);
      if (had && !has) this.lastMatches.splice(at, 1);
      else if (!had && has) this.lastMatches.splice(at, 0, i);
    }
    const a = this.answer;
    if (!a) return;
    if (this.tally(a, old, before, -1)) this.removeRow(a, before);
    if (this.tally(a, c, r, 1)) this.insertRow(a, r);
  }

  /** The records `dropped` were the first ones in the list and have left it. */
  dropFront(dropped: readonly RequestRecord[]): void {
    const k = dropped.length;
    const a = this.answer;
    if (a) {
      const gone = new Set<RequestRecord>();
      dropped.forEach((r, i) => {
        if (this.tally(a, this.codes[i]!, r, -1)) gone.add(r);
      });
      // Sorted by time, the oldest rows are the first ones.
      if (a.sort === 'time') a.rows.splice(0, gone.size);
      else if (gone.size) a.rows = a.rows.filter((r) => !gone.has(r));
    }
    this.codes.copyWithin(0, k, this.count);
    this.count -= k;
    this.texts.splice(0, k);
    if (this.lastMatches !== null && this.lastWords.length > 0) {
      const kept = this.lastMatches.filter((i) => i >= k);
      for (let j = 0; j < kept.length; j++) kept[j]! -= k;
      this.lastMatches = kept;
    }
  }

  /** Adds (sign 1) or takes away (-1) a record's share of the answer; true when it is a row. */
  private tally(a: Answer, c: number, r: RequestRecord, sign: number): boolean {
    return passes(a.filter, c, r, a.hasFindings) && matchesWords(r, a.words) && share(a, c, sign);
  }

  private insertRow(a: Answer, r: RequestRecord): void {
    a.rows.splice(lowerBound(a.rows, r, ORDER[a.sort]), 0, r);
  }

  private removeRow(a: Answer, r: RequestRecord): void {
    const at = lowerBound(a.rows, r, ORDER[a.sort]);
    a.rows.splice(a.rows[at] === r ? at : a.rows.indexOf(r), 1);
  }

  private textMatches(words: string[]): number[] | null {
    if (words.length === 0) return null;
    if (this.lastMatches !== null && words.join(' ') === this.lastWords.join(' ')) return this.lastMatches;
    const from = this.lastMatches !== null && narrows(words, this.lastWords) ? this.lastMatches : null;
    const out: number[] = [];
    this.prepareText();
    const hay = this.texts;
    const test = (i: number) => {
      const h = hay[i]!;
      for (const w of words) if (!h.includes(w)) return;
      out.push(i);
    };
    if (from) for (const i of from) test(i);
    else for (let i = 0; i < this.count; i++) test(i);
    this.lastWords = words;
    this.lastMatches = out;
    return out;
  }

  /**
   * The rows and counts for `f` sorted by `sort`. Asked again with the same filter object and
   * sort, it answers from what the changes since have patched. The rows list is patched in place.
   */
  run(f: Filter, sort: SortKey, hasFindings: (r: RequestRecord) => boolean = () => false): FilterResult {
    const last = this.answer;
    const a = last && last.filter === f && last.sort === sort && (!f.findingsOnly || last.hasFindings === hasFindings) ? last : this.answerFor(f, sort, hasFindings);
    this.answer = a;
    const counted = <T>(names: T[], counts: number[]) => new Map(names.flatMap((name, i) => (counts[i] ? [[name, counts[i]!] as const] : [])));
    return { rows: a.rows, outcomes: counted(OUTCOME_BUTTONS, a.outcomeCounts), techniques: counted(TECHNIQUES, a.techniqueCounts) };
  }

  private answerFor(f: Filter, sort: SortKey, hasFindings: (r: RequestRecord) => boolean): Answer {
    const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
    const candidates = this.textMatches(words);
    const a: Answer = {
      filter: f,
      sort,
      hasFindings,
      words,
      wantOutcome: OUTCOME_BUTTONS.map((o) => f.outcomes.size === 0 || f.outcomes.has(o)),
      wantTechnique: TECHNIQUES.map((t) => f.techniques.size === 0 || f.techniques.has(t)),
      rows: [],
      outcomeCounts: new Array<number>(OUTCOME_BUTTONS.length).fill(0),
      techniqueCounts: new Array<number>(TECHNIQUES.length).fill(0),
    };
    const n = candidates === null ? this.count : candidates.length;
    for (let k = 0; k < n; k++) {
      const i = candidates === null ? k : candidates[k]!;
      const c = this.codes[i]!;
      const r = this.records[i]!;
      if (passes(f, c, r, hasFindings) && share(a, c, 1)) a.rows.push(r);
    }
    if (sort !== 'time') a.rows.sort(ORDER[sort]);
    return a;
  }
}

export function targetOrigin(r: RequestRecord): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(r.url);
  return m ? m[0] : r.url;
}
