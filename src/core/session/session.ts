import { PreflightCache } from '../cors/classify';
import { getHeader } from '../net/headers';
import { documentInfo, linkHook, recordFromHook, recordFromLoadError, startRecord, updateRecord, type RequestEvent } from './build';
import type { DocumentInfo } from '../blocks/block';
import { judge, judgeAnswered, notePreflight } from './judge';
import type { NetEvent } from '../net/events';
import type { LoadErrorRecord, RequestHookRecord } from '../page/records';
import { pairedPreflight, type NavigationMark, type RequestRecord } from './record';
import type { Browser } from '../browser';
import { jsonSize, type BudgetedSession } from './budget';
import type { CookieVerdict } from '../cookies/verdict';
import { answerServiceWorkerFetch, inferWorker, linkAnswer, type WorkerState } from './worker-records';
import type { ServiceWorkerFetch, WorkerReport } from './worker';

export interface SessionOptions {
  /** Most requests kept per tab; the oldest go first. */
  maxRequests: number;
  /** Keep records across top-level navigations (they are marked instead). */
  preserveLog: boolean;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { maxRequests: 50_000, preserveLog: false };

/** How far back (ms) an unpaired preflight or page-hook report may match a request. */
const PAIR_WINDOW_MS = 30_000;

export interface SessionState {
  tabId: number;
  pageUrl: string | null;
  startedAt: number;
  records: RequestRecord[];
  navigations: NavigationMark[];
  /** Records evicted, by the per-tab cap and by the budget across tabs. */
  dropped: number;
  /** How many of `dropped` went to keep all tabs within the budget (budget.ts); absent: none. */
  droppedForBudget?: number;
}

/**
 * One tab's requests, assembled from the normalised webRequest stream: one record per request
 * following redirects (build.ts), preflights paired with the requests they guard, page-hook
 * reports linked, verdicts kept current (judge.ts), the oldest records evicted. Pure: the
 * background feeds it, tests replay fixtures into it.
 */
export class TabSession implements BudgetedSession {
  readonly tabId: number;
  pageUrl: string | null = null;
  startedAt: number;
  dropped = 0;
  droppedForBudget = 0;
  lastActive: number;
  /** JSON size of the records kept, each as last measured (changed ones at the next settle). */
  bytes = 0;
  private bytesOf = new Map<string, number>();
  private options: SessionOptions;
  private browser: Browser;
  private preflightCache: PreflightCache;
  private seq = 0;
  private byId = new Map<string, RequestRecord>();
  private navigations: NavigationMark[] = [];
  private frames = new Map<number, string>();
  /** Each frame's document record (its id), for the policies the frame's requests are under. */
  private documents = new Map<number, string>();
  /**
   * The opener of this tab (a popup), until its first document completes: a navigation the browser
   * starts again (Firefox, when COOP moves the popup to another process) is a new main_frame
   * request, which clears the page and must carry the opener too.
   */
  private pendingOpener: DocumentInfo | null = null;
  private unlinkedHooks: RequestHookRecord[] = [];
  /** Preflights finished since the last `settle()`, cached once the request they guard is judged with them. */
  private finishedPreflights = new Set<string>();
  /** Ids changed since the last `settle()`; those settled since the last `takeChanges()`; ids evicted or cleared. */
  private changed = new Set<string>();
  private settled = new Set<string>();
  private removed = new Set<string>();
  private resetSinceTake = false;
  /** Ids whose only change since the last `takeChanges()` is their cookie verdict. */
  private cookiesChanged = new Set<string>();
  /** What the page hooks told of the tab's workers (session/workers.ts). */
  private workers: WorkerState = { reports: [], claimed: new Set() };

  constructor(tabId: number, browser: Browser, options: SessionOptions = DEFAULT_SESSION_OPTIONS, now = Date.now()) {
    this.tabId = tabId;
    this.browser = browser;
    this.preflightCache = new PreflightCache(browser);
    this.options = options;
    this.startedAt = now;
    this.lastActive = now;
  }

  setOptions(options: Partial<SessionOptions>): void {
    this.options = { ...this.options, ...options };
    this.evict();
  }

  get preserveLog(): boolean {
    return this.options.preserveLog;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RequestRecord | undefined {
    return this.byId.get(id);
  }

  /** The records in arrival order (live: do not keep the iterator across changes). */
  records(): IterableIterator<RequestRecord> {
    return this.byId.values();
  }

  /** Follows one webRequest event: a new record, or the next step of one already kept. */
  apply(event: NetEvent): void {
    this.lastActive = Math.max(this.lastActive, event.time);
    const record = this.byId.get(event.id);
    if (record === undefined) {
      if (event.kind === 'request') this.add(event);
      return;
    }
    if (updateRecord(record, event)) this.pairPreflight(record);
    if (record.type === 'main_frame' && record.state === 'complete') this.pendingOpener = null;
    if (event.kind === 'complete' && record.isPreflight) this.finishedPreflights.add(record.id);
    this.touch(record);
  }

  private add(event: RequestEvent): void {
    if (event.type === 'main_frame') this.startPage(event.url, event.time);
    if (event.type === 'main_frame' || event.type === 'sub_frame') this.frames.set(event.frameId, event.url);
    const record = startRecord(event, this.seq++, this.frames.get(event.frameId) ?? null);
    this.byId.set(record.id, record);
    if (event.type === 'main_frame' || event.type === 'sub_frame') this.documents.set(event.frameId, record.id);
    if (event.type === 'main_frame' && this.pendingOpener !== null) record.opener = this.pendingOpener;
    if (!record.worker) this.linkUnlinkedHook(record);
    else {
      const answered = linkAnswer(this.byId.values(), record);
      if (answered) this.touch(answered);
    }
    this.touch(record);
    this.evict();
  }

  private linkUnlinkedHook(record: RequestRecord): void {
    const i = this.unlinkedHooks.findIndex((h) => hookMatches(h, record));
    if (i >= 0) linkHook(record, this.unlinkedHooks.splice(i, 1)[0]!);
  }

  /** A worker the page hooks reported: records made by it, earlier or later, get marked. */
  noteWorker(report: WorkerReport): void {
    this.workers.reports.push(report);
    for (const record of this.byId.values()) if (record.startTime >= report.time - PAIR_WINDOW_MS) this.changed.add(record.id);
  }

  /** The page hooks showed the page made this request itself (a socket they saw open): no worker's. */
  claimByPage(id: string): void {
    this.workers.claimed.add(id);
    if (this.byId.has(id)) this.changed.add(id);
  }

  /**
   * A request the page's service worker handled, as the page saw it end: its record is marked
   * answered by the worker unless the request went on to the network; a record is made when the
   * browser reported none (Chromium reports no page request a service worker answered).
   */
  addServiceWorkerFetch(fetch: ServiceWorkerFetch): void {
    // Firefox reports every page request, also those its service worker answers: none to make.
    const identity = this.browser === 'firefox' ? null : () => ({ id: `sw-${this.seq}`, seq: this.seq++, tabId: this.tabId });
    const made = answerServiceWorkerFetch([...this.byId.values()], fetch, identity);
    if (made === null) return;
    if (!this.byId.has(made.id)) {
      this.byId.set(made.id, made);
      this.linkUnlinkedHook(made);
      this.evict();
    }
    linkAnswer(this.byId.values(), made);
    this.touch(made);
  }

  /** Both browsers announce the request before its preflight; pair with the latest match. */
  private pairPreflight(preflight: RequestRecord): void {
    const method = getHeader(preflight.requestHeaders, 'access-control-request-method') ?? '';
    let match: RequestRecord | undefined;
    for (const candidate of this.byId.values()) {
      if (
        candidate !== preflight &&
        !candidate.isPreflight &&
        candidate.preflight === null &&
        candidate.state === 'pending' &&
        candidate.url === preflight.url &&
        candidate.method.toUpperCase() === method.toUpperCase() &&
        candidate.frameId === preflight.frameId &&
        preflight.startTime - candidate.startTime <= PAIR_WINDOW_MS
      ) {
        match = candidate;
      }
    }
    if (!match) return;
    match.preflight = preflight.id;
    preflight.preflightFor = match.id;
    this.touch(match);
  }

  /** Links what the page's fetch/XHR hook reported to the request it made. */
  addHookReport(report: RequestHookRecord): void {
    for (const record of this.byId.values()) {
      if (record.hook === null && !record.isPreflight && (record.worker === undefined || record.worker.inferred) && hookMatches(report, record)) {
        linkHook(record, report);
        this.touch(record);
        return;
      }
    }
    if (this.addUnseen(recordFromHook(report, this.seq, this.tabId, this.browser))) return;
    this.unlinkedHooks.push(report);
    if (this.unlinkedHooks.length > 1000) this.unlinkedHooks.shift();
  }

  /**
   * An element's load that failed as the page saw it: recorded when the browser refused it
   * before the network (mixed content), unless a request of the frame for that URL was seen.
   */
  addLoadError(report: LoadErrorRecord): void {
    for (const r of this.byId.values()) {
      if (r.frameId === report.frameId && (r.url === report.url || r.finalUrl === report.url) && r.startTime >= report.time - PAIR_WINDOW_MS) return;
    }
    this.addUnseen(recordFromLoadError(report, this.seq, this.tabId, this.browser));
  }

  /** Keeps a record this tab's webRequest events did not make; false when there is none. */
  private addUnseen(record: RequestRecord | null): boolean {
    if (record === null) return false;
    this.seq++;
    this.byId.set(record.id, record);
    this.touch(record);
    this.evict();
    return true;
  }

  /** This tab is a popup that `opener` opened: its first document is judged against it (COOP). */
  setOpener(opener: DocumentInfo): void {
    const first = [...this.byId.values()].filter((r) => r.type === 'main_frame' && r.popupTab === undefined);
    if (first.length === 1 && first[0]!.opener === undefined) {
      first[0]!.opener = opener;
      this.touch(first[0]!);
    }
    if (first.length === 0 || (first.length === 1 && first[0]!.state !== 'complete')) this.pendingOpener = opener;
  }

  /**
   * Keeps in this (the opener's) tab a copy of the first document of the popup it opened from
   * frame `frameId`, so that the tab shows the popup COOP cut off. Not a document of this tab.
   */
  addPopup(popup: RequestRecord, popupTab: number, frameId: number): void {
    const id = `popup-${popupTab}-${popup.id}`;
    if (this.byId.has(id)) return;
    const copy: RequestRecord = { ...structuredClone(popup), id, seq: this.seq, tabId: this.tabId, frameId, parentFrameId: undefined, popupTab, verdict: null };
    this.addUnseen(copy);
  }

  /** What the document now in frame `frameId` tells the requests made from it, when it was recorded. */
  documentIn(frameId: number): DocumentInfo | null {
    const id = this.documents.get(frameId);
    const record = id === undefined ? undefined : this.byId.get(id);
    return record === undefined ? null : documentInfo(record);
  }

  /**
   * Gives a record its cookie verdict (the background reads the jar once requests go quiet). It
   * changes nothing the CORS verdict reads: the record is handed over without being judged again.
   */
  setCookies(id: string, cookies: CookieVerdict): void {
    const record = this.byId.get(id);
    if (!record) return;
    record.cookies = cookies;
    this.cookiesChanged.add(id);
  }

  private startPage(url: string, time: number): void {
    if (this.options.preserveLog) {
      this.navigations.push({ seq: this.seq, time, url });
    } else {
      this.clear(time);
      this.frames.clear();
      this.documents.clear();
      this.workers = { reports: [], claimed: new Set() };
    }
    this.pageUrl = url;
  }

  clear(now = Date.now()): void {
    for (const id of this.byId.keys()) this.removed.add(id);
    this.byId.clear();
    this.bytesOf.clear();
    this.bytes = 0;
    this.navigations = [];
    this.unlinkedHooks = [];
    this.dropped = 0;
    this.droppedForBudget = 0;
    this.startedAt = now;
    this.changed.clear();
    this.settled.clear();
    this.cookiesChanged.clear();
    this.resetSinceTake = true;
  }

  private evict(): void {
    while (this.byId.size > this.options.maxRequests) this.dropOldest();
  }

  /** Evicts the oldest record, counted as dropped; returns its bytes. */
  private dropOldest(): number {
    const oldest = this.byId.keys().next().value as string;
    this.byId.delete(oldest);
    this.changed.delete(oldest);
    this.cookiesChanged.delete(oldest);
    this.settled.delete(oldest);
    this.removed.add(oldest);
    this.dropped++;
    const bytes = this.bytesOf.get(oldest) ?? 0;
    this.bytesOf.delete(oldest);
    this.bytes -= bytes;
    return bytes;
  }

  /** The budget across tabs takes records: the oldest first, counted as dropped for the budget. */
  shed(records: number, bytes: number): { records: number; bytes: number } {
    const freed = { records: 0, bytes: 0 };
    while (this.byId.size > 0 && (freed.records < records || freed.bytes < bytes)) {
      freed.bytes += this.dropOldest();
      freed.records++;
    }
    this.droppedForBudget += freed.records;
    return freed;
  }

  private measure(record: RequestRecord): void {
    const bytes = jsonSize(record);
    this.bytes += bytes - (this.bytesOf.get(record.id) ?? 0);
    this.bytesOf.set(record.id, bytes);
  }

  private touch(record: RequestRecord): void {
    this.changed.add(record.id);
    if (record.answeredBy?.requestId) this.changed.add(record.answeredBy.requestId);
    // A finished preflight changes the verdict of the request it guards, and the other way round.
    const partner = record.preflight ?? record.preflightFor;
    if (partner !== null) this.changed.add(partner);
  }

  /**
   * Brings the verdicts and sizes of changed records up to date (the budget reads the sizes).
   * Verdicts are computed here, off the webRequest listeners' path.
   */
  settle(): void {
    for (const id of this.changed) {
      const record = this.byId.get(id);
      if (!record) continue;
      this.updateVerdict(record);
      // Before the requests that changed after it are judged, so that the cache can serve them.
      const preflight = record.preflight === null ? undefined : this.byId.get(record.preflight);
      if (preflight && record.verdict && this.finishedPreflights.delete(preflight.id)) notePreflight(this.preflightCache, preflight, record.verdict);
      this.measure(record);
      this.settled.add(id);
    }
    this.changed.clear();
    this.finishedPreflights.clear();
  }

  /** Settles, and hands over what changed since the last call. */
  takeChanges(): { reset: boolean; updated: RequestRecord[]; removed: string[] } {
    this.settle();
    const updated: RequestRecord[] = [];
    for (const id of this.settled) {
      const record = this.byId.get(id);
      if (record) updated.push(record);
    }
    for (const id of this.cookiesChanged) {
      const record = this.byId.get(id);
      if (!record || this.settled.has(id)) continue;
      // The verdict adds to the record's size, which the budget reads.
      this.measure(record);
      updated.push(record);
    }
    this.cookiesChanged.clear();
    const result = { reset: this.resetSinceTake, updated, removed: [...this.removed] };
    this.settled.clear();
    this.removed.clear();
    this.resetSinceTake = false;
    return result;
  }

  private updateVerdict(record: RequestRecord): void {
    // A frame's document is under the policies of the page embedding it; a top-level one of none.
    const frame = record.type === 'sub_frame' ? record.parentFrameId : record.type === 'main_frame' ? undefined : record.frameId;
    const document = frame === undefined ? null : this.documentIn(frame);
    if (document !== null) record.document = document;
    inferWorker(record, this.workers, this.browser, this.frames.get(record.frameId) ?? this.pageUrl);
    if (!record.answeredBy) {
      judge(record, pairedPreflight(record, this.byId), this.browser, this.preflightCache);
      return;
    }
    // The page got what its worker's request got: that verdict first.
    const worker = record.answeredBy.requestId === null ? undefined : this.byId.get(record.answeredBy.requestId);
    if (worker) this.updateVerdict(worker);
    judgeAnswered(record, worker ?? null, this.browser);
  }

  /** Restores records kept from before a worker restart. */
  restore(state: SessionState): void {
    this.pageUrl = state.pageUrl;
    this.startedAt = state.startedAt;
    this.dropped = state.dropped;
    this.droppedForBudget = state.droppedForBudget ?? 0;
    this.navigations = state.navigations;
    this.lastActive = state.startedAt;
    for (const record of state.records) {
      this.byId.set(record.id, record);
      this.measure(record);
      this.lastActive = Math.max(this.lastActive, record.endTime ?? record.startTime);
      this.seq = Math.max(this.seq, record.seq + 1);
      if ((record.type === 'main_frame' || record.type === 'sub_frame') && record.popupTab === undefined) {
        this.frames.set(record.frameId, record.finalUrl);
        this.documents.set(record.frameId, record.id);
      }
    }
  }

  /** The session without its records. */
  snapshotMeta(): Omit<SessionState, 'records'> {
    return {
      tabId: this.tabId,
      pageUrl: this.pageUrl,
      startedAt: this.startedAt,
      navigations: this.navigations.slice(),
      dropped: this.dropped,
      droppedForBudget: this.droppedForBudget,
    };
  }

  snapshot(): SessionState {
    this.settle();
    return { ...this.snapshotMeta(), records: [...this.byId.values()] };
  }
}

/** The hook's report of a request and its webRequest record: one frame (two frames may fetch one URL at once), URL, method, time. */
function hookMatches(report: RequestHookRecord, record: RequestRecord): boolean {
  return (
    (report.frameId === undefined || report.frameId === record.frameId) &&
    report.url === record.url &&
    report.method.toUpperCase() === record.method.toUpperCase() &&
    Math.abs(record.startTime - report.time) <= PAIR_WINDOW_MS
  );
}
