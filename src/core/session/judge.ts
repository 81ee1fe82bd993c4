import { preflightNeed, type PreflightCache } from '../cors/classify';
import { computeFindings, type Finding } from '../cors/findings';
import { originOf } from '../net/origin';
import { pairedPreflight, type RequestRecord } from './record';
import type { Browser } from '../browser';
import { computeVerdict, type CorsObservation, type Verdict } from '../cors/verdict';

// From a request record (and its paired preflight) to what the verdict engine needs.

function toObservation(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cacheHit: boolean | null): CorsObservation {
  return {
    browser,
    url: record.url,
    method: record.method,
    type: record.type,
    initiatorOrigin: record.initiatorOrigin,
    // After a redirect the record holds the last hop's headers; the first hop's are on redirects[0].
    requestHeaders: record.redirects[0]?.requestHeaders ?? record.requestHeaders,
    requestHeadersProvisional: record.requestHeadersProvisional,
    hook: record.hook,
    redirects: record.redirects.map((h) => ({ url: h.url, status: h.status, responseHeaders: h.responseHeaders, location: h.location })),
    response: record.status === null ? null : { status: record.status, headers: record.responseHeaders },
    error: record.error,
    completed: record.state === 'complete',
    preflight:
      preflight === null
        ? null
        : {
            url: preflight.url,
            status: preflight.status,
            responseHeaders: preflight.responseHeaders,
            requestHeaders: preflight.requestHeaders,
            error: preflight.error,
            redirected: preflight.redirects.length > 0,
            duration: preflight.endTime === null ? null : preflight.endTime - preflight.startTime,
          },
    preflightCacheHit: cacheHit,
    preflightsVisible: record.preflightsVisible,
    remoteAddress: record.remoteAddress,
  };
}

const isCredentialed = (r: RequestRecord) => r.credentials.mode === 'include';

/** Remembers a preflight that passed, so later requests it covers count as served from the cache. */
export function notePreflight(cache: PreflightCache, preflight: RequestRecord, guarded: RequestRecord | undefined): void {
  if (preflight.initiatorOrigin === null || preflight.status === null || preflight.status < 200 || preflight.status > 299) return;
  cache.record(preflight.initiatorOrigin, preflight.url, guarded ? isCredentialed(guarded) : false, preflight.responseHeaders, preflight.endTime ?? preflight.startTime);
}

export function judgeRecord(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cache?: PreflightCache): Verdict {
  let cacheHit: boolean | null = null;
  if (cache && preflight === null && !record.isPreflight && record.crossOrigin && record.initiatorOrigin !== null) {
    const need = preflightNeed(record.method, record.requestHeaders, browser, record.hook);
    if (need.required) {
      cacheHit = cache.covers({
        origin: record.initiatorOrigin,
        url: record.url,
        credentials: isCredentialed(record),
        method: record.method,
        unsafeHeaders: need.unsafeHeaders,
        time: record.startTime,
      });
    }
  }
  return computeVerdict(toObservation(record, preflight, browser, cacheHit));
}

/**
 * Gives the record its verdict and keeps on it the credentials mode the engine inferred (from
 * the hook, the Cookie header, the platform's rules): one step for live and imported records.
 */
export function judge(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cache?: PreflightCache): Verdict {
  const verdict = judgeRecord(record, preflight, browser, cache);
  record.verdict = verdict;
  record.credentials.mode = verdict.credentials;
  return verdict;
}

/** The findings over a session's requests (those that have a verdict). */
export function findingsFor(records: readonly RequestRecord[], browser: Browser): Finding[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const observed = [];
  for (const r of records) {
    if (r.verdict === null || r.isPreflight) continue;
    observed.push({ id: r.id, obs: toObservation(r, pairedPreflight(r, byId), browser, null), verdict: r.verdict });
  }
  return computeFindings(observed);
}

const ANSWERED_ITSELF = 'The service worker answered with a response it made itself: nothing went to the network, so no CORS check applied.';

/**
 * The verdict of a page request its service worker answered: the page got what the worker's
 * own network request for it got (`worker`), or, with none, a response no CORS check applied to.
 */
export function judgeAnswered(record: RequestRecord, worker: RequestRecord | null, browser: Browser): Verdict {
  let verdict: Verdict;
  if (worker?.verdict) {
    record.status ??= worker.status;
    verdict = structuredClone(worker.verdict);
  } else {
    verdict = computeVerdict(toObservation({ ...record, initiatorOrigin: originOf(record.url) }, null, browser, null));
    verdict.steps = [{ check: 'request', hop: null, passed: true, detail: ANSWERED_ITSELF }];
  }
  record.verdict = verdict;
  record.credentials.mode = verdict.credentials;
  return verdict;
}
