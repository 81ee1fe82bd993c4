import { getHeader, type HeaderList } from '../net/headers';
import type { NetEvent } from '../net/events';
import type { LoadErrorRecord, RequestHookRecord } from '../page/records';
import { newRecord, type Credentials, type RequestRecord } from './record';
import type { DocumentInfo } from '../blocks/block';
import { parseCoep } from '../blocks/coep';
import { parseCoop } from '../blocks/coop';
import { mixedContentCheck } from '../blocks/mixed-content';
import { originOf } from '../net/origin';
import type { Browser } from '../browser';

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
      if (event.ip) record.remoteAddress = event.ip;
      return false;
    case 'error':
      record.state = 'error';
      record.error = event.error;
      record.endTime = event.time;
      if (event.ip) record.remoteAddress = event.ip;
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

/** What a document's own record tells the requests made from it: its URL, isolation policies and address. */
export function documentInfo(record: RequestRecord): DocumentInfo {
  return {
    url: record.finalUrl,
    coep: parseCoep(record.responseHeaders),
    coop: parseCoop(record.responseHeaders),
    remoteAddress: record.remoteAddress ?? null,
  };
}

/** What the page saw of a request the network may never have seen. */
interface PageLoad {
  url: string;
  method: string;
  type: string;
  time: number;
  frameId?: number;
  frameUrl?: string;
}

/**
 * The record of a request the browser refused before the network saw it (mixed content: no
 * webRequest event at all in either browser), from what the page saw alone; null for any other.
 */
function blockedBeforeNetwork(load: PageLoad, seq: number, tabId: number, browser: Browser): RequestRecord | null {
  const initiatorOrigin = load.frameUrl === undefined ? null : originOf(load.frameUrl);
  const mixed = mixedContentCheck({ browser, origin: initiatorOrigin, url: load.url, type: load.type, firstRedirect: null });
  if (mixed === null || mixed.passed) return null;
  return newRecord({
    id: `page-${tabId}-${seq}`,
    seq,
    tabId,
    frameId: load.frameId ?? 0,
    frameUrl: load.frameUrl ?? null,
    url: load.url,
    method: load.method,
    type: load.type,
    initiatorOrigin,
    startTime: load.time,
    endTime: load.time,
    state: 'error',
    pageOnly: true,
  });
}

/** The record of a fetch/XHR the network never saw, from the page hook's report; null for any other report. */
export function recordFromHook(report: RequestHookRecord, seq: number, tabId: number, browser: Browser): RequestRecord | null {
  const record = blockedBeforeNetwork({ ...report, type: 'xmlhttprequest' }, seq, tabId, browser);
  if (record !== null) linkHook(record, report);
  return record;
}

/** The record of an element's load the network never saw, from its error event; null for any other. */
export function recordFromLoadError(report: LoadErrorRecord, seq: number, tabId: number, browser: Browser): RequestRecord | null {
  return blockedBeforeNetwork({ ...report, method: 'GET' }, seq, tabId, browser);
}
