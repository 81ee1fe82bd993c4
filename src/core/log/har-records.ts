import { hasProvisionalHeaders, isRedirect, locationOf, type HarReadResult, type HarRequest, type RawEntry } from './har';
import { judgeLog } from './judge-log';
import { noteSentCredentials } from '../session/build';
import { newRecord, type RedirectHop, type RequestRecord } from '../session/record';

// A HAR read straight into Origin Lens's own records, so an imported HAR (ours, Chrome's or
// Firefox's) shows in the panel and goes through the analyzer exactly like a live session.

/** When the entry started; `fallback` when the log does not say. */
function startOf(e: RawEntry, fallback: number): number {
  const t = e.started === null ? NaN : Date.parse(e.started);
  return Number.isFinite(t) ? t : fallback;
}

function hopOf(e: RawEntry, start: number): RedirectHop {
  return {
    url: e.url,
    status: e.status,
    requestHeaders: e.requestHeaders,
    responseHeaders: e.responseHeaders,
    location: locationOf(e) ?? '',
    time: e.time === null ? start : start + e.time,
  };
}

function requestRecord(r: HarRequest, seq: number, preflightsVisible: boolean): RequestRecord {
  const first = r.hops[0] as RawEntry;
  const last = r.hops[r.hops.length - 1] as RawEntry;
  const start = startOf(first, seq);
  const times = r.hops.map((h) => h.time);
  const answered = last.status > 0;
  const record = newRecord({
    id: r.id,
    seq,
    frameUrl: r.pageUrl,
    url: first.url,
    finalUrl: last.url,
    method: first.method,
    type: first.type,
    initiatorOrigin: r.initiatorOrigin,
    startTime: start,
    endTime: times.every((t) => t !== null) ? start + times.reduce((a, b) => (a as number) + (b as number), 0) : null,
    state: last.error !== null ? 'error' : answered ? 'complete' : 'pending',
    requestHeaders: last.requestHeaders,
    // The hop that got no response is the last; Chrome saved only its provisional headers.
    requestHeadersProvisional: hasProvisionalHeaders(last) || undefined,
    redirects: r.hops.slice(0, -1).map((h) => hopOf(h, startOf(h, start))),
    status: answered ? last.status : null,
    responseHeaders: answered ? last.responseHeaders : [],
    error: last.error,
    preflightsVisible: preflightsVisible ? undefined : false,
    remoteAddress: last.serverIP ?? undefined,
    cookies: last.cookies ?? undefined,
  });
  noteSentCredentials(record.credentials, first.requestHeaders);
  return record;
}

function preflightRecord(r: HarRequest, p: RawEntry, seq: number, type: string): RequestRecord {
  const start = startOf(p, seq);
  return newRecord({
    id: `${r.id}-preflight`,
    seq,
    frameUrl: r.pageUrl,
    url: p.url,
    method: 'OPTIONS',
    type,
    initiatorOrigin: r.initiatorOrigin,
    startTime: start,
    endTime: p.time === null ? null : start + p.time,
    state: p.error !== null ? 'error' : 'complete',
    requestHeaders: p.requestHeaders,
    redirects: isRedirect(p) ? [hopOf(p, start)] : [],
    status: p.status > 0 ? p.status : null,
    responseHeaders: p.responseHeaders,
    error: p.error,
    isPreflight: true,
    preflightFor: r.id,
    credentials: { mode: 'omit', cookiesSent: false, authorization: false, withCredentials: null },
    remoteAddress: p.serverIP ?? undefined,
  });
}

/** The HAR's requests as records (a preflight the HAR saved becomes a record of its own), judged in order. */
export function recordsFromHar(har: HarReadResult): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (const r of har.requests) {
    let preflight: RequestRecord | null = null;
    if (r.preflight !== null) {
      preflight = preflightRecord(r, r.preflight, out.length, (r.hops[0] as RawEntry).type);
      out.push(preflight);
    }
    const record = requestRecord(r, out.length, har.preflightsVisible);
    if (preflight !== null) record.preflight = preflight.id;
    out.push(record);
  }
  judgeLog(out, har.browser, har.recordedBy);
  return out;
}
