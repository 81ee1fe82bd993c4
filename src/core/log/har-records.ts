import { getHeader } from '../net/headers';
import type { HarReadResult, HarRequest } from './har';
import { judge } from '../session/judge';
import { newRecord, type RequestRecord } from '../session/record';

// A HAR read back as Origin Lens's own records, so an imported HAR (ours, Chrome's or
// Firefox's) shows in the panel and goes through the analyzer exactly like a live session.

function timeOf(r: HarRequest, seq: number): number {
  const t = r.startedDateTime === null ? NaN : Date.parse(r.startedDateTime);
  return Number.isFinite(t) ? t : seq;
}

function toRecord(r: HarRequest, seq: number): RequestRecord {
  const o = r.obs;
  const start = timeOf(r, seq);
  const finalUrl = o.redirects.length ? (o.redirects[o.redirects.length - 1]!.location || o.url) : o.url;
  return newRecord({
    id: r.id,
    seq,
    frameUrl: r.pageUrl,
    url: o.url,
    finalUrl,
    method: o.method,
    type: o.type,
    initiatorOrigin: o.initiatorOrigin,
    startTime: start,
    endTime: r.time === null ? null : start + r.time,
    state: o.error !== null ? 'error' : o.response !== null ? 'complete' : 'pending',
    requestHeaders: o.requestHeaders,
    ...(o.requestHeadersProvisional ? { requestHeadersProvisional: true } : {}),
    // The observation keeps the first hop's request headers only; that is what the checks read.
    redirects: o.redirects.map((h, i) => ({ url: h.url, status: h.status, requestHeaders: i === 0 ? o.requestHeaders : [], responseHeaders: h.responseHeaders, location: h.location, time: start })),
    status: o.response?.status ?? null,
    responseHeaders: o.response?.headers ?? [],
    error: o.error,
    credentials: {
      mode: 'unknown',
      cookiesSent: getHeader(o.requestHeaders, 'cookie') !== null,
      authorization: getHeader(o.requestHeaders, 'authorization') !== null ? true : 'unknown',
      withCredentials: null,
    },
  });
}

/** The HAR's requests as records (a preflight the HAR saved becomes a record of its own), judged. */
export function recordsFromHar(har: HarReadResult): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (const r of har.entries) {
    const record = toRecord(r, out.length);
    const p = r.obs.preflight;
    let preflight: RequestRecord | null = null;
    if (p !== null) {
      preflight = {
        ...toRecord(r, out.length),
        id: `${r.id}-preflight`,
        url: p.url,
        finalUrl: p.url,
        method: 'OPTIONS',
        requestHeaders: p.requestHeaders ?? [],
        redirects: [],
        status: p.status,
        responseHeaders: p.responseHeaders,
        error: p.error,
        state: p.error !== null ? 'error' : 'complete',
        isPreflight: true,
        preflightFor: r.id,
        credentials: { mode: 'omit', cookiesSent: false, authorization: false, withCredentials: null },
      };
      record.preflight = preflight.id;
      out.push(preflight);
      record.seq = out.length;
    }
    judge(record, preflight, har.browser);
    out.push(record);
  }
  return out;
}
