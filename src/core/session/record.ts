import type { CredentialsMode } from '../cors/classify';
import { jsonpParameter } from '../cors/classify';
import type { HeaderList } from '../net/headers';
import { originOf } from '../net/origin';
import type { RequestHookRecord } from '../page/records';
import type { Verdict } from '../cors/verdict';
import type { DocumentInfo } from '../blocks/block';
import type { CookieVerdict } from '../cookies/verdict';
import type { ServiceWorkerAnswer, WorkerSource } from './worker';

// The one shape of a request as Origin Lens keeps it: in the background's sessions, on the
// live protocol, in the session log (docs/session-log.md documents every field).

export interface RedirectHop {
  /** The URL that answered with the redirect. */
  url: string;
  status: number;
  /** Request headers sent to `url` (when the browser showed them). */
  requestHeaders: HeaderList;
  responseHeaders: HeaderList;
  /** Where the redirect points. */
  location: string;
  time: number;
}

export interface Credentials {
  mode: CredentialsMode;
  /** A Cookie header went out with the request. */
  cookiesSent: boolean;
  /** An Authorization header was set; 'unknown' where neither webRequest nor the page hook could tell. */
  authorization: boolean | 'unknown';
  /** XMLHttpRequest.withCredentials as the page set it, when the page hook saw the call. */
  withCredentials: boolean | null;
}

export type RequestState = 'pending' | 'complete' | 'error';

export interface RequestRecord {
  id: string;
  /** Order of arrival in the session; ids are the browser's and are not ordered. */
  seq: number;
  tabId: number;
  frameId: number;
  /** The frame that holds frame `frameId` (-1: it is the top frame); absent where unknown (HAR). */
  parentFrameId?: number;
  /** URL of the frame that made the request, when known. */
  frameUrl: string | null;
  /** The URL first requested; redirects list every hop, `finalUrl` is where it ended. */
  url: string;
  finalUrl: string;
  method: string;
  /** webRequest resource type: main_frame, sub_frame, xmlhttprequest, script, image, websocket, ... */
  type: string;
  /** Serialized origin of the initiator; "null" when opaque; null when the browser did not say. */
  initiatorOrigin: string | null;
  /** False for same-origin requests, which the panel hides by default. */
  crossOrigin: boolean;
  startTime: number;
  endTime: number | null;
  state: RequestState;
  requestHeaders: HeaderList;
  /** Read from a HAR that saved only provisional request headers (see CorsObservation). */
  requestHeadersProvisional?: boolean;
  redirects: RedirectHop[];
  status: number | null;
  statusLine: string | null;
  responseHeaders: HeaderList;
  /** The browser's own error string (net::ERR_FAILED, NS_ERROR_DOM_BAD_URI, ...). */
  error: string | null;
  fromCache: boolean;
  /** An OPTIONS request the browser sent on its own to check CORS first. */
  isPreflight: boolean;
  /** Id of the preflight that guarded this request, or null. */
  preflight: string | null;
  /** For a preflight: id of the request it guarded. */
  preflightFor: string | null;
  /** False when the source could not show preflights at all (a HAR without OPTIONS entries); absent otherwise. */
  preflightsVisible?: boolean;
  /** The server's IP address (webRequest's `ip`, a HAR's serverIPAddress): for the local-network checks. */
  remoteAddress?: string;
  /** The document that made the request (a frame's: the page embedding it), when the session saw it load. */
  document?: DocumentInfo;
  /** A popup's first document: the document of the window that opened it (webNavigation). */
  opener?: DocumentInfo;
  /** A script load whose URL names a callback: JSONP. */
  jsonp: boolean;
  credentials: Credentials;
  /** What the page's own fetch / XMLHttpRequest call said about this request, when seen. */
  hook: RequestHookRecord | null;
  verdict: Verdict | null;
  /** Which cookies went, which the browser held back and why, what each Set-Cookie did; absent until the jar was read. */
  cookies?: CookieVerdict;
  /** The worker that made the request; absent when a document did. */
  worker?: WorkerSource;
  /** Set when the page's service worker answered this page request; absent otherwise. */
  answeredBy?: ServiceWorkerAnswer;
  /** Set on a copy of a popup's first document kept in its opener's tab (when COOP cut them apart): the popup's tab id. */
  popupTab?: number;
  /** True when only the page saw the request (its fetch/XHR call, an element's error event): the browser refused it before the network; absent otherwise. */
  pageOnly?: true;
}

/** A top-level navigation kept in a preserved log, so the panel can show where pages changed. */
export interface NavigationMark {
  seq: number;
  time: number;
  url: string;
}

/** What a new record must be given; every other field starts from `newRecord`'s defaults. */
export type RecordStart = Pick<RequestRecord, 'id' | 'seq' | 'url' | 'method' | 'type' | 'initiatorOrigin' | 'startTime'> & Partial<RequestRecord>;

/** Every field listed, the optional ones too (undefined when absent): a new field cannot be forgotten below. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/**
 * A new request record: the one place every field gets its first value. `finalUrl`,
 * `crossOrigin` and `jsonp` follow from the URL, type and initiator unless `start` gives them.
 */
export function newRecord(start: RecordStart): RequestRecord {
  const record: EveryField<RequestRecord> = {
    id: start.id,
    seq: start.seq,
    tabId: start.tabId ?? -1,
    frameId: start.frameId ?? 0,
    parentFrameId: start.parentFrameId,
    frameUrl: start.frameUrl ?? null,
    url: start.url,
    finalUrl: start.finalUrl ?? start.url,
    method: start.method,
    type: start.type,
    initiatorOrigin: start.initiatorOrigin,
    crossOrigin: start.crossOrigin ?? (start.initiatorOrigin !== null && start.initiatorOrigin !== originOf(start.url)),
    startTime: start.startTime,
    endTime: start.endTime ?? null,
    state: start.state ?? 'pending',
    requestHeaders: start.requestHeaders ?? [],
    requestHeadersProvisional: start.requestHeadersProvisional,
    redirects: start.redirects ?? [],
    status: start.status ?? null,
    statusLine: start.statusLine ?? null,
    responseHeaders: start.responseHeaders ?? [],
    error: start.error ?? null,
    fromCache: start.fromCache ?? false,
    isPreflight: start.isPreflight ?? false,
    preflight: start.preflight ?? null,
    preflightFor: start.preflightFor ?? null,
    preflightsVisible: start.preflightsVisible,
    remoteAddress: start.remoteAddress,
    document: start.document,
    opener: start.opener,
    popupTab: start.popupTab,
    pageOnly: start.pageOnly,
    jsonp: start.jsonp ?? (start.type === 'script' && jsonpParameter(start.url) !== null),
    credentials: start.credentials ?? { mode: 'unknown', cookiesSent: false, authorization: 'unknown', withCredentials: null },
    hook: start.hook ?? null,
    verdict: start.verdict ?? null,
    cookies: start.cookies,
    worker: start.worker,
    answeredBy: start.answeredBy,
  };
  return record;
}

/** The preflight paired with `record`, looked up among `records` (a Map, a session, the panel's model). */
export function pairedPreflight(record: RequestRecord, records: { get(id: string): RequestRecord | undefined }): RequestRecord | null {
  return record.preflight === null ? null : (records.get(record.preflight) ?? null);
}
