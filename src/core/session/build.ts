import { getHeader, type HeaderList } from '../net/headers';
import type { NetEvent } from '../net/events';
import type { RequestHookRecord } from '../page/records';
import { newRecord, type Credentials, type RequestRecord } from './record';

// How one request's record follows the normalised webRequest stream, event by event. Only the
// record itself changes here; pairing, judging and keeping records are the session's.

export type RequestEvent = Extract<NetEvent, { kind: 'request' }>;

/** The record of a request just announced; `frameUrl` is the session's guess when the event has none. */
export function startRecord(event: RequestEvent, seq: number, frameUrl: string | null): RequestRecord {
  return newRecord({
    id: event.id,
    seq,
    tabId: event.tabId,
    frameId: event.frameId,
    parentFrameId: event.parentFrameId,
    frameUrl: event.documentUrl ?? frameUrl,
    url: event.url,
    method: event.method,
    type: event.type,
    initiatorOrigin: event.initiator,
    startTime: event.time,
    worker: event.worker,
  });
}

/**
 * Applies a later event of the request to its record. True when the event showed the record
 * to be a CORS preflight (an OPTIONS request carrying Access-Control-Request-Method).
 */
export function updateRecord(record: RequestRecord, event: NetEvent): boolean {
  switch (event.kind) {
    case 'request':
      // The same id again after a redirect: the request goes on to the new URL.
      record.finalUrl = event.url;
      return false;
    case 'send-headers':
      return onSendHeaders(record, event.headers);
    case 'headers':
      record.status = event.status;
      record.statusLine = event.statusLine;
      record.responseHeaders = event.headers;
      return false;
    case 'redirect':
      // Firefox reports a service worker letting a request go on to the network as a redirect
      // to the same URL before any header went out: no hop (see docs/verdicts.md, "Workers").
      if (event.location === record.finalUrl && record.requestHeaders.length === 0) return false;
      record.redirects.push({
        url: record.finalUrl,
        status: event.status,
        requestHeaders: record.requestHeaders,
        responseHeaders: event.headers,
        location: event.location,
        time: event.time,
      });
      record.finalUrl = event.location;
      record.status = null;
      record.responseHeaders = [];
      return false;
    case 'complete':
      record.state = 'complete';
      record.status = event.status;
      record.fromCache = event.fromCache;
      record.endTime = event.time;
      return false;
    case 'error':
      record.state = 'error';
      record.error = event.error;
      record.endTime = event.time;
      return false;
  }
}

function onSendHeaders(record: RequestRecord, headers: HeaderList): boolean {
  record.requestHeaders = headers;
  // Credentials are the first hop's: a redirect may drop Authorization or change the cookies.
  if (record.redirects.length === 0) noteSentCredentials(record.credentials, headers);
  applyHook(record);
  // Browsers fetch a service worker's script (registration, update checks) with this header.
  if (record.worker && getHeader(headers, 'service-worker') === 'script') record.worker = { ...record.worker, kind: 'service', scriptUrl: record.url };
  if (record.isPreflight || record.method !== 'OPTIONS' || getHeader(headers, 'access-control-request-method') === null) return false;
  record.isPreflight = true;
  return true;
}

/** What the request headers the browser sent tell of the credentials (live, or saved in a HAR). */
export function noteSentCredentials(credentials: Credentials, headers: HeaderList): void {
  credentials.cookiesSent = getHeader(headers, 'cookie') !== null;
  if (getHeader(headers, 'authorization') !== null) credentials.authorization = true;
}

/** Links the page hook's report to the record it made. */
export function linkHook(record: RequestRecord, hook: RequestHookRecord): void {
  record.hook = hook;
  applyHook(record);
  // The hook tells the credentials mode, which decides cookies: a verdict made without it is made again.
  record.cookies = undefined;
}

/** What the page hook saw of the credentials, over what the headers could tell. */
function applyHook(record: RequestRecord): void {
  const hook = record.hook;
  if (!hook) return;
  const c = record.credentials;
  c.withCredentials = hook.withCredentials;
  if (hook.authorization) c.authorization = true;
  else if (c.authorization === 'unknown') c.authorization = false;
}
