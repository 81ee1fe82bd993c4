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

/**
 * The requests table's filter over one version of the records: the rows the filter lets
 * through, sorted, and the count behind each filter button, in one pass. It runs on every
 * keystroke over up to 200,000 records, so it keeps what the last text matched: typing on
 * narrows the search to those.
 */
export class RecordFilter {
  private readonly codes: Uint16Array;
  private lastWords: string[] = [];
  /** Indices of the records every word of `lastWords` occurs in (all records for no words). */
  private lastMatches: number[] | null = null;
  /** The records' search texts, in record order, the first `texts.length` of them built. */
  private readonly texts: string[] = [];

  constructor(private readonly records: readonly RequestRecord[]) {
    this.codes = new Uint16Array(records.length);
    records.forEach((r, i) => {
      this.codes[i] =
        OUTCOME_CODE.get(outcomeOf(r))! |
        (TECHNIQUE_CODE.get(techniqueOf(r))! << 3) |
        (r.isPreflight ? PREFLIGHT : 0) |
        (involvesCredentials(r) ? CREDENTIALED : 0) |
        (r.cookies?.withheld.length ? WITHHELD : 0);
    });
  }

  /**
   * Builds the records' search texts for about `budgetMs`; true once all are built. The panel
   * calls it while idle, so that the first key typed does not pay for 100,000 of them.
   */
  prepareText(budgetMs = Infinity): boolean {
    const end = performance.now() + budgetMs;
    while (this.texts.length < this.records.length) {
      this.texts.push(haystack(this.records[this.texts.length]!));
      if (this.texts.length % 1024 === 0 && performance.now() > end) break;
    }
    return this.texts.length === this.records.length;
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
    else for (let i = 0; i < this.records.length; i++) test(i);
    this.lastWords = words;
    this.lastMatches = out;
    return out;
  }

  run(f: Filter, sort: SortKey, hasFindings: (r: RequestRecord) => boolean = () => false): FilterResult {
    const candidates = this.textMatches(f.text.toLowerCase().split(/\s+/).filter(Boolean));
    const wantOutcome = OUTCOME_BUTTONS.map((o) => f.outcomes.size === 0 || f.outcomes.has(o));
    const wantTechnique = TECHNIQUES.map((t) => f.techniques.size === 0 || f.techniques.has(t));
    const outcomeCounts = new Array<number>(OUTCOME_BUTTONS.length).fill(0);
    const techniqueCounts = new Array<number>(TECHNIQUES.length).fill(0);
    const rows: RequestRecord[] = [];
    const n = candidates === null ? this.records.length : candidates.length;
    for (let k = 0; k < n; k++) {
      const i = candidates === null ? k : candidates[k]!;
      const c = this.codes[i]!;
      // Preflights show with their request, same-origin traffic on request.
      if (c & PREFLIGHT && !f.showPreflights) continue;
      const technique = (c >> 3) & 7;
      if (technique === SAME_ORIGIN && !f.showSameOrigin) continue;
      if (f.credentialedOnly && !(c & CREDENTIALED)) continue;
      if (f.withheldCookiesOnly && !(c & WITHHELD)) continue;
      const r = this.records[i]!;
      if (f.findingsOnly && !hasFindings(r)) continue;
      const outcome = c & 7;
      // A button counts what choosing it would show: its own dimension is left out.
      if (wantTechnique[technique]) outcomeCounts[outcome]!++;
      if (wantOutcome[outcome]) techniqueCounts[technique]!++;
      if (wantOutcome[outcome] && wantTechnique[technique]) rows.push(r);
    }
    if (sort === 'origin') rows.sort((a, b) => targetOrigin(a).localeCompare(targetOrigin(b)) || a.seq - b.seq);
    else if (sort === 'outcome') rows.sort((a, b) => OUTCOME_RANK[outcomeOf(a)] - OUTCOME_RANK[outcomeOf(b)] || a.seq - b.seq);
    const counted = <T>(names: T[], counts: number[]) => new Map(names.flatMap((name, i) => (counts[i] ? [[name, counts[i]!] as const] : [])));
    return { rows, outcomes: counted(OUTCOME_BUTTONS, outcomeCounts), techniques: counted(TECHNIQUES, techniqueCounts) };
  }
}

export function targetOrigin(r: RequestRecord): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(r.url);
  return m ? m[0] : r.url;
}
