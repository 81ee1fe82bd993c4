import { originOf } from '../net/origin';

// Requests made by workers rather than documents, and page requests a service worker answered:
// the record fields (docs/session-log.md, "Workers") and which tabs a worker's request belongs
// to. Browsers report a service worker's and a shared worker's requests without a tab (tabId
// -1), and a dedicated worker's under its page's tab; docs/verdicts.md, "Workers", has the
// measurements.

export type WorkerKind = 'service' | 'shared' | 'dedicated';

/** The worker that made a request. */
export interface WorkerSource {
  /** null where nothing told which kind (Chromium reports a service worker's and a shared worker's requests alike). */
  kind: WorkerKind | null;
  /** The worker's script URL, when known (Firefox names it; the page hooks name the workers a page starts). */
  scriptUrl: string | null;
  /**
   * True when no browser event named the worker: the tab ran a dedicated worker of the request's
   * origin and the page's own hooks never saw the page make the request.
   */
  inferred: boolean;
}

/** A page request its service worker answered: the page's request itself never reached the network. */
export interface ServiceWorkerAnswer {
  /** Id of the service worker's own network request for the same URL and method, when there was one. */
  requestId: string | null;
}

/** What the page hooks report of a worker: the service worker that controls a frame, or a worker the page started. */
export interface WorkerReport {
  kind: WorkerKind;
  /** The worker's script URL. */
  url: string;
  time: number;
  frameId: number;
}

/** A request the page's service worker handled (resource timing's `workerStart`), as the page hooks saw it end. */
export interface ServiceWorkerFetch {
  url: string;
  /** When the request started (ms since the epoch). */
  time: number;
  /** Resource timing's initiatorType: fetch, xmlhttprequest, img, script, link, ... */
  initiator: string;
  /** The response's status, where the browser's resource timing gives it. */
  status: number | null;
  frameId: number;
  frameUrl: string;
}

const isWeb = (origin: string | null): origin is string => origin !== null && /^https?:\/\//.test(origin);

/**
 * Could the service or shared worker `w` have made a request that started at `time`, named by
 * its script (`workerUrl`) or, where the browser names none, by its origin?
 */
export function madeBy(w: WorkerReport, workerUrl: string | null, origin: string | null, time: number): boolean {
  return w.kind !== 'dedicated' && w.time <= time && (workerUrl !== null ? w.url === workerUrl : originOf(w.url) === origin);
}

/**
 * Which tabs show which documents, and which workers their pages reported: enough to give a
 * request the browser reported without a tab to the tabs whose pages the worker serves.
 */
export class WorkerDirectory {
  private documents = new Map<number, Map<number, string>>();
  private workers = new Map<number, WorkerReport[]>();

  /** A frame of the tab now shows `url`; the top frame's navigation forgets the tab's old frames and workers. */
  document(tabId: number, frameId: number, url: string): void {
    let frames = this.documents.get(tabId);
    if (!frames || frameId === 0) {
      this.documents.set(tabId, (frames = new Map()));
      this.workers.delete(tabId);
    }
    frames.set(frameId, url);
  }

  report(tabId: number, report: WorkerReport): void {
    let list = this.workers.get(tabId);
    if (!list) this.workers.set(tabId, (list = []));
    if (!list.some((w) => w.kind === report.kind && w.url === report.url && w.frameId === report.frameId)) list.push(report);
  }

  /** Whether the tab's pages reported a service or shared worker: the workers whose requests come without a tab. */
  runsTablessWorkers(tabId: number): boolean {
    return this.workers.get(tabId)?.some((w) => w.kind !== 'dedicated') ?? false;
  }

  forget(tabId: number): void {
    this.documents.delete(tabId);
    this.workers.delete(tabId);
  }

  /**
   * The tabs a request made outside any tab belongs to, and what is known of its worker.
   * `workerUrl` is the document the browser named (Firefox: the worker's script, or the page
   * that fetches a worker's script); `initiator` the origin it named (Chromium). Tabs whose
   * pages reported that worker (Firefox: that script; Chromium: a worker of that origin) first;
   * else every tab with a document of the worker's origin. A worker reported after `time`, when
   * the request started, did not make it. null when no tab fits. Only tabs `among` accepts are
   * considered (the recording scope's).
   */
  owners(workerUrl: string | null, initiator: string | null, time: number, among: (tabId: number) => boolean = () => true): { tabs: number[]; worker: WorkerSource } | null {
    const origin = workerUrl !== null ? originOf(workerUrl) : initiator;
    if (!isWeb(origin)) return null;
    const unknown = (scriptUrl: string | null): WorkerSource => ({ kind: null, scriptUrl, inferred: false });
    if (workerUrl !== null) {
      // A page fetching a worker's script (Firefox names the page): the page's tabs.
      const showing = this.tabsWhere((url) => url === workerUrl, among);
      if (showing.length) return { tabs: showing, worker: unknown(null) };
    }
    const matches = (w: WorkerReport) => madeBy(w, workerUrl, origin, time);
    const reported: WorkerReport[] = [];
    const tabs: number[] = [];
    for (const [tabId, list] of this.workers) {
      if (!among(tabId)) continue;
      const found = list.filter(matches);
      if (found.length) tabs.push(tabId);
      reported.push(...found);
    }
    if (tabs.length) {
      const one = <T>(values: T[]): T | null => (new Set(values).size === 1 ? values[0]! : null);
      return { tabs, worker: { kind: one(reported.map((w) => w.kind)), scriptUrl: workerUrl ?? one(reported.map((w) => w.url)), inferred: false } };
    }
    const sameOrigin = this.tabsWhere((url) => originOf(url) === origin, among);
    return sameOrigin.length ? { tabs: sameOrigin, worker: unknown(workerUrl) } : null;
  }

  /** The dedicated worker a tab's request came from, when the browser named its script as the document (Firefox). */
  dedicated(tabId: number, documentUrl: string | null): WorkerSource | null {
    if (documentUrl === null) return null;
    const found = this.workers.get(tabId)?.some((w) => w.kind === 'dedicated' && w.url === documentUrl);
    return found ? { kind: 'dedicated', scriptUrl: documentUrl, inferred: false } : null;
  }

  private tabsWhere(test: (url: string) => boolean, among: (tabId: number) => boolean): number[] {
    const tabs: number[] = [];
    for (const [tabId, frames] of this.documents) if (among(tabId) && [...frames.values()].some(test)) tabs.push(tabId);
    return tabs;
  }
}
