import { preflightNeed, type CachedPreflight, type PreflightCache } from '../cors/classify';
import { computeFindings, type Finding } from '../cors/findings';
import { originOf } from '../net/origin';
import { pairedPreflight, type RequestRecord } from './record';
import type { Browser } from '../browser';
import { computeVerdict, type CorsObservation, type Verdict } from '../cors/verdict';
import { addressSpaceOfIp } from '../net/origin';

// From a request record (and its paired preflight) to what the verdict engine needs.

// `recordedBy` is the browser whose webRequest saw the record: Firefox's joins repeated header
// lines, so its records cannot always show two Access-Control-Allow-Origin lines apart from one;
// null is a recorder on the wire (a proxy's HAR).
function toObservation(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cached: CachedPreflight | null, recordedBy: Browser | null): CorsObservation {
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
    cachedPreflight: cached,
    headerLinesMerged: recordedBy === 'firefox',
    onTheWire: recordedBy === null,
    preflightsVisible: record.preflightsVisible,
    remoteAddress: record.remoteAddress,
    initiatorAddressSpace: typeof record.document?.remoteAddress === 'string' ? addressSpaceOfIp(record.document.remoteAddress) : null,
    document: record.document,
    opener: record.opener,
  };
}

const isCredentialed = (r: RequestRecord) => r.credentials.mode === 'include';

/**
 * Remembers a preflight that passed, so later requests it covers count as served from the cache.
 * `guarded` is the verdict of the request it guarded, judged with it: the engine's preflight
 * checks decide, as https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7 creates cache
 * entries only once the CORS check, the status and the method and header checks all passed.
 */
export function notePreflight(cache: PreflightCache, preflight: RequestRecord, guarded: Verdict): void {
  if (preflight.initiatorOrigin === null || guarded.preflight !== 'sent' || guarded.hop === 'preflight') return;
  cache.record(preflight.initiatorOrigin, preflight.url, guarded.credentials === 'include', preflight.responseHeaders, preflight.endTime ?? preflight.startTime, preflight.id);
}

export function judgeRecord(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cache?: PreflightCache, recordedBy: Browser | null = browser): Verdict {
  let cached: CachedPreflight | null = null;
  if (cache && preflight === null && !record.isPreflight && record.crossOrigin && record.initiatorOrigin !== null) {
    const need = preflightNeed(record.method, record.requestHeaders, browser, record.hook);
    if (need.required) {
      cached = cache.coveredBy({
        origin: record.initiatorOrigin,
        url: record.url,
        credentials: isCredentialed(record),
        method: record.method,
        unsafeHeaders: need.unsafeHeaders,
        time: record.startTime,
      });
    }
  }
  return computeVerdict(toObservation(record, preflight, browser, cached, recordedBy));
}

/**
 * Gives the record its verdict and keeps on it the credentials mode the engine inferred (from
 * the hook, the Cookie header, the platform's rules): one step for live and imported records.
 */
export function judge(record: RequestRecord, preflight: RequestRecord | null, browser: Browser, cache?: PreflightCache, recordedBy: Browser | null = browser): Verdict {
  const verdict = judgeRecord(record, preflight, browser, cache, recordedBy);
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
    observed.push({ id: r.id, obs: toObservation(r, pairedPreflight(r, byId), browser, null, browser), verdict: r.verdict });
  }
  return computeFindings(observed);
}

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
    verdict = computeVerdict(toObservation({ ...record, initiatorOrigin: originOf(record.url) }, null, browser, null, browser));
    verdict.steps = [{ check: 'request', hop: null, passed: true, code: 'answered-by-worker' }];
  }
  record.verdict = verdict;
  record.credentials.mode = verdict.credentials;
  return verdict;
}
