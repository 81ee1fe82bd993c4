// What preflights cost a session, per page and per server origin: how many, how long in all
// and at the slowest, the Access-Control-Max-Age the server sends today, and the time a
// Max-Age at each browser's cap would have saved. Pure: the panel and the analyzer show it.
import type { Browser } from '../browser';
import { MAX_AGE_CAP, preflightMaxAge } from '../cors/classify';
import { getHeader } from '../net/headers';
import { originOf } from '../net/origin';
import type { RequestRecord } from './record';

export interface PreflightCost {
  /** The page's URL (per-page entries) or the server's origin (per-server entries). */
  key: string;
  preflights: number;
  /** Preflights whose start and end were both recorded; the times are over these. */
  timed: number;
  totalMs: number;
  slowestMs: number;
  /** The Access-Control-Max-Age values the answered preflights carried, as sent, each once; null: one came without (the 5 s default). */
  maxAgeSent: (string | null)[];
  /** Per browser: the preflights a cache at that browser's cap would have answered instead. */
  avoidable: Record<Browser, number>;
  /** Per browser: the time those avoidable preflights took. */
  savableMs: Record<Browser, number>;
}

export interface PreflightCosts {
  pages: PreflightCost[];
  servers: PreflightCost[];
}

const BROWSERS = Object.keys(MAX_AGE_CAP) as Browser[];
const perBrowser = (value: number) => Object.fromEntries(BROWSERS.map((b) => [b, value])) as Record<Browser, number>;

function durationOf(r: RequestRecord): number | null {
  const d = r.endTime === null ? NaN : r.endTime - r.startTime;
  return Number.isFinite(d) && d >= 0 ? d : null;
}

function pageOf(preflight: RequestRecord, byId: ReadonlyMap<string, RequestRecord>): string {
  const guarded = preflight.preflightFor === null ? undefined : byId.get(preflight.preflightFor);
  return preflight.frameUrl ?? guarded?.frameUrl ?? preflight.initiatorOrigin ?? 'unknown page';
}

class Tally {
  readonly cost: PreflightCost;
  private readonly ages = new Set<string | null>();
  constructor(key: string) {
    this.cost = { key, preflights: 0, timed: 0, totalMs: 0, slowestMs: 0, maxAgeSent: [], avoidable: perBrowser(0), savableMs: perBrowser(0) };
  }
  add(r: RequestRecord, duration: number | null, avoided: Record<Browser, boolean>): void {
    const c = this.cost;
    c.preflights++;
    if (duration !== null) {
      c.timed++;
      c.totalMs += duration;
      c.slowestMs = Math.max(c.slowestMs, duration);
    }
    const age = getHeader(r.responseHeaders, 'access-control-max-age');
    if (r.status !== null && !this.ages.has(age)) {
      this.ages.add(age);
      c.maxAgeSent.push(age);
    }
    for (const b of BROWSERS) {
      if (!avoided[b]) continue;
      c.avoidable[b]++;
      c.savableMs[b] += duration ?? 0;
    }
  }
}

function grouped(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (t === undefined) map.set(key, (t = new Tally(key)));
  return t;
}

const byKey = (a: PreflightCost, b: PreflightCost) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Preflight costs of `records`. A preflight counts as avoidable in a browser when an earlier
 * answered preflight from the same origin to the same URL, cached for that browser's cap,
 * would still have been fresh: the saving the fix's Max-Age brings once its preflights pass
 * (one cache entry then covers every method and header the server allows).
 */
export function preflightCosts(records: readonly RequestRecord[]): PreflightCosts {
  const byId = new Map(records.map((r) => [r.id, r]));
  const preflights = records.filter((r) => r.isPreflight).sort((a, b) => a.startTime - b.startTime || a.seq - b.seq);
  const cachedUntil = new Map<string, Record<Browser, number>>();
  const pages = new Map<string, Tally>();
  const servers = new Map<string, Tally>();
  for (const r of preflights) {
    const cacheKey = `${r.initiatorOrigin ?? 'null'} ${r.url}`;
    const entry = cachedUntil.get(cacheKey);
    const avoided = Object.fromEntries(BROWSERS.map((b) => [b, entry !== undefined && r.startTime < entry[b]])) as Record<Browser, boolean>;
    const duration = durationOf(r);
    grouped(pages, pageOf(r, byId)).add(r, duration, avoided);
    grouped(servers, originOf(r.url)).add(r, duration, avoided);
    // An answered preflight starts a cache entry; an avoided one would not have been sent to renew it.
    if (r.status !== null && r.endTime !== null) {
      const from = r.endTime;
      cachedUntil.set(
        cacheKey,
        Object.fromEntries(BROWSERS.map((b) => [b, avoided[b] ? entry![b] : from + MAX_AGE_CAP[b] * 1000])) as Record<Browser, number>,
      );
    }
  }
  return { pages: [...pages.values()].map((t) => t.cost).sort(byKey), servers: [...servers.values()].map((t) => t.cost).sort(byKey) };
}

/** The seconds a browser caches a preflight for today, from the values sent (the smallest: the tightest); null when no preflight was answered. */
export function currentMaxAge(cost: PreflightCost, browser: Browser): number | null {
  return cost.maxAgeSent.length === 0 ? null : Math.min(...cost.maxAgeSent.map((a) => preflightMaxAge(a, browser)));
}

const ENGINE_NAMES: Record<Browser, string> = { chromium: 'Chromium', firefox: 'Firefox' };
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** In words: what the server sends today, and what a Max-Age at each browser's cap would have saved. */
export function maxAgeAdvice(cost: PreflightCost): string {
  const sent = cost.maxAgeSent.map((a) => a ?? 'none').join(' / ');
  const today =
    cost.maxAgeSent.length === 0
      ? 'no preflight was answered'
      : `${sent} (${BROWSERS.map((b) => `${ENGINE_NAMES[b]} caches ${count(currentMaxAge(cost, b)!)} s`).join(', ')})`;
  const saving = BROWSERS.map(
    (b) => `${ENGINE_NAMES[b]} (cap ${count(MAX_AGE_CAP[b])} s) ${cost.avoidable[b]} preflight${cost.avoidable[b] === 1 ? '' : 's'}, ${count(cost.savableMs[b])} ms`,
  ).join('; ');
  return `Access-Control-Max-Age sent: ${today}. At each browser's cap it would have saved: ${saving}.`;
}
