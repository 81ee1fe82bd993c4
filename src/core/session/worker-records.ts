import type { Browser } from '../browser';
import { originOf } from '../net/origin';
import { linkHook } from './build';
import { newRecord, type RequestRecord } from './record';
import { madeBy, type ServiceWorkerFetch, type WorkerReport } from './worker';

// How a tab's records get their worker marks and their service-worker answers (the fields are
// in worker.ts). Pure: the session calls these on its records.

/** What a session knows of its tab's workers. */
export interface WorkerState {
  /** Workers the page hooks reported, oldest first. */
  reports: WorkerReport[];
  /** Ids of requests the page hooks showed the page itself made (sockets they saw open). */
  claimed: Set<string>;
}

/** How far apart (ms) the page's view of a request and the browser's may start and still be one request. */
const SAME_REQUEST_MS = 2000;

const one = <T>(values: T[]): T | null => (new Set(values).size === 1 ? values[0]! : null);

/**
 * Brings the record's worker mark up to date with what the page hooks reported: the kind of a
 * worker the browser did not name; a dedicated worker's request the browser reported as the
 * tab's, by its script as the document (Firefox) or, inferred, by the page hooks never having
 * seen the page make it (`frameUrl` is the frame's document the request is shown under).
 */
export function inferWorker(record: RequestRecord, state: WorkerState, browser: Browser, frameUrl: string | null): void {
  const worker = record.worker;
  if (worker && worker.kind === null) {
    const kinds = state.reports.filter((w) => madeBy(w, worker.scriptUrl, record.initiatorOrigin, record.startTime)).map((w) => w.kind);
    record.worker = { ...worker, kind: one(kinds) };
    return;
  }
  if (worker && !worker.inferred) return;
  const dedicated = state.reports.filter((w) => w.kind === 'dedicated');
  const named = dedicated.find((w) => w.url === record.frameUrl);
  if (named) {
    record.worker = { kind: 'dedicated', scriptUrl: named.url, inferred: false };
    record.frameUrl = frameUrl;
    return;
  }
  // Chromium shows a dedicated worker's fetches as the page's own; both browsers its sockets.
  const unseen =
    record.hook === null &&
    !record.isPreflight &&
    !state.claimed.has(record.id) &&
    (record.type === 'websocket' || (record.type === 'xmlhttprequest' && browser === 'chromium'));
  const running = unseen ? dedicated.filter((w) => originOf(w.url) === record.initiatorOrigin && w.time <= record.startTime) : [];
  if (running.length) record.worker = { kind: 'dedicated', scriptUrl: one(running.map((w) => w.url)), inferred: true };
  else if (worker) delete record.worker;
}

const TYPE_OF_INITIATOR: Record<string, string> = {
  fetch: 'xmlhttprequest',
  xmlhttprequest: 'xmlhttprequest',
  beacon: 'ping',
  img: 'image',
  image: 'image',
  script: 'script',
  link: 'stylesheet',
  css: 'stylesheet',
  iframe: 'sub_frame',
  video: 'media',
  audio: 'media',
};

/**
 * Applies what the page saw of a request its service worker handled. The record the browser
 * reported without a network event of its own (Firefox) is marked answered; one that went to
 * the network was only passed on and stays as it is; with no record at all (Chromium), a new
 * one is made from the page's view, given `id`, `seq` and `tabId` by `identity` (none is made
 * without it). Returns the record marked or made, or null.
 */
export function answerServiceWorkerFetch(
  records: readonly RequestRecord[],
  fetch: ServiceWorkerFetch,
  identity: (() => Pick<RequestRecord, 'id' | 'seq' | 'tabId'>) | null,
): RequestRecord | null {
  let found: RequestRecord | undefined;
  for (const r of records) {
    if (r.url === fetch.url && !r.worker && !r.isPreflight && r.answeredBy === undefined && Math.abs(r.startTime - fetch.time) <= SAME_REQUEST_MS) found = r;
  }
  if (found && (found.requestHeaders.length > 0 || found.status !== null || found.state === 'error')) return null;
  let record = found;
  if (record === undefined) {
    if (identity === null) return null;
    record = newRecord({
      ...identity(),
      frameId: fetch.frameId,
      frameUrl: fetch.frameUrl,
      url: fetch.url,
      method: 'GET',
      type: TYPE_OF_INITIATOR[fetch.initiator] ?? 'other',
      initiatorOrigin: originOf(fetch.frameUrl),
      startTime: fetch.time,
    });
  }
  record.answeredBy = { requestId: null };
  record.state = 'complete';
  record.status = fetch.status;
  return record;
}

/**
 * Links a page request its service worker answered with the worker's own network request for
 * the same URL and method, whichever of the two is seen first (`record` is either). The
 * worker's request takes the page's hook report when it has none: `fetch(event.request)` keeps
 * the page's mode and credentials. Returns the other record when it linked them.
 */
export function linkAnswer(records: Iterable<RequestRecord>, record: RequestRecord): RequestRecord | null {
  const page = record.answeredBy ? record : null;
  for (const other of records) {
    const answered = page ?? other;
    const worker = page ? other : record;
    if (
      answered.answeredBy?.requestId !== null ||
      worker.worker === undefined ||
      worker.worker.kind === 'dedicated' ||
      worker.url !== answered.url ||
      worker.method.toUpperCase() !== answered.method.toUpperCase() ||
      Math.abs(worker.startTime - answered.startTime) > SAME_REQUEST_MS
    ) {
      continue;
    }
    answered.answeredBy = { requestId: worker.id };
    if (worker.hook === null && answered.hook !== null) linkHook(worker, answered.hook);
    return other;
  }
  return null;
}
