import { PreflightCache } from '../cors/classify';
import { jsonpParameter } from '../cors/classify';
import { getHeader, type HeaderList } from '../net/headers';
import { judgeRecord, notePreflight } from './judge';
import type { NetEvent } from '../net/events';
import { originOf } from '../net/origin';
import type { RequestHookRecord } from '../page/records';
import type { NavigationMark, RequestRecord } from './record';
import type { Browser } from '../browser';

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
  dropped: number;
}

/**
 * One tab's requests, assembled from the normalised webRequest stream: one record per request
 * following redirects, preflights paired with the requests they guard, page-hook reports
 * linked, verdicts kept current. Pure: the background feeds it, tests replay fixtures into it.
 */
export class TabSession {
  readonly tabId: number;
  pageUrl: string | null = null;
  startedAt: number;
  dropped = 0;
  private options: SessionOptions;
  private browser: Browser;
  private preflightCache: PreflightCache;
  private seq = 0;
  private byId = new Map<string, RequestRecord>();
  private navigations: NavigationMark[] = [];
  private frames = new Map<number, string>();
  private unlinkedHooks: RequestHookRecord[] = [];
  /** Ids changed since the last `takeChanges()`, and ids evicted or cleared. */
  private changed = new Set<string>();
  private removed = new Set<string>();
  private resetSinceTake = false;

  constructor(tabId: number, browser: Browser, options: SessionOptions = DEFAULT_SESSION_OPTIONS, now = Date.now()) {
    this.tabId = tabId;
    this.browser = browser;
    this.preflightCache = new PreflightCache(browser);
    this.options = options;
    this.startedAt = now;
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

  apply(event: NetEvent): void {
    if (event.kind === 'request') {
      this.onRequest(event);
      return;
    }
    const record = this.byId.get(event.id);
    if (!record) return;
    switch (event.kind) {
      case 'send-headers':
        this.onSendHeaders(record, event.headers);
        break;
      case 'headers':
        record.status = event.status;
        record.statusLine = event.statusLine;
        record.responseHeaders = event.headers;
        break;
      case 'redirect':
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
        break;
      case 'complete':
        record.state = 'complete';
        record.status = event.status;
        record.fromCache = event.fromCache;
        record.endTime = event.time;
        if (record.isPreflight) notePreflight(this.preflightCache, record, record.preflightFor === null ? undefined : this.byId.get(record.preflightFor));
        break;
      case 'error':
        record.state = 'error';
        record.error = event.error;
        record.endTime = event.time;
        break;
    }
    this.touch(record);
  }

  private onRequest(event: Extract<NetEvent, { kind: 'request' }>): void {
    const existing = this.byId.get(event.id);
    if (existing) {
      // The same id again after a redirect: the request goes on to the new URL.
      existing.finalUrl = event.url;
      this.touch(existing);
      return;
    }
    if (event.type === 'main_frame') this.startPage(event.url, event.time);
    if (event.type === 'main_frame' || event.type === 'sub_frame') this.frames.set(event.frameId, event.url);
    const initiator = event.initiator;
    const target = originOf(event.url);
    const record: RequestRecord = {
      id: event.id,
      seq: this.seq++,
      tabId: event.tabId,
      frameId: event.frameId,
      parentFrameId: event.parentFrameId,
      frameUrl: event.documentUrl ?? this.frames.get(event.frameId) ?? null,
      url: event.url,
      finalUrl: event.url,
      method: event.method,
      type: event.type,
      initiatorOrigin: initiator,
      crossOrigin: initiator !== null && initiator !== target,
      startTime: event.time,
      endTime: null,
      state: 'pending',
      requestHeaders: [],
      redirects: [],
      status: null,
      statusLine: null,
      responseHeaders: [],
      error: null,
      fromCache: false,
      isPreflight: false,
      preflight: null,
      preflightFor: null,
      jsonp: event.type === 'script' && jsonpParameter(event.url) !== null,
      credentials: { mode: 'unknown', cookiesSent: false, authorization: 'unknown', withCredentials: null },
      hook: null,
      verdict: null,
    };
    this.byId.set(record.id, record);
    this.linkHook(record);
    this.touch(record);
    this.evict();
  }

  private onSendHeaders(record: RequestRecord, headers: HeaderList): void {
    const wasRedirected = record.redirects.length > 0;
    record.requestHeaders = headers;
    if (!wasRedirected) {
      record.credentials.cookiesSent = getHeader(headers, 'cookie') !== null;
      if (getHeader(headers, 'authorization') !== null) record.credentials.authorization = true;
    }
    const requestedMethod = getHeader(headers, 'access-control-request-method');
    if (record.method === 'OPTIONS' && requestedMethod !== null && !record.isPreflight) {
      record.isPreflight = true;
      this.pairPreflight(record, requestedMethod);
    }
    this.refreshCredentials(record);
  }

  /** Both browsers announce the request before its preflight; pair with the latest match. */
  private pairPreflight(preflight: RequestRecord, method: string): void {
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
      if (record.hook === null && !record.isPreflight && hookMatches(report, record)) {
        record.hook = report;
        this.refreshCredentials(record);
        this.touch(record);
        return;
      }
    }
    this.unlinkedHooks.push(report);
    if (this.unlinkedHooks.length > 1000) this.unlinkedHooks.shift();
  }

  private linkHook(record: RequestRecord): void {
    const i = this.unlinkedHooks.findIndex((h) => hookMatches(h, record));
    if (i < 0) return;
    record.hook = this.unlinkedHooks[i]!;
    this.unlinkedHooks.splice(i, 1);
    this.refreshCredentials(record);
  }

  private refreshCredentials(record: RequestRecord): void {
    const c = record.credentials;
    const hook = record.hook;
    if (!hook) return;
    c.withCredentials = hook.withCredentials;
    if (hook.authorization) c.authorization = true;
    else if (c.authorization === 'unknown') c.authorization = false;
  }

  private startPage(url: string, time: number): void {
    if (this.options.preserveLog) {
      this.navigations.push({ seq: this.seq, time, url });
    } else {
      this.clear(time);
      this.frames.clear();
    }
    this.pageUrl = url;
  }

  clear(now = Date.now()): void {
    for (const id of this.byId.keys()) this.removed.add(id);
    this.byId.clear();
    this.navigations = [];
    this.unlinkedHooks = [];
    this.dropped = 0;
    this.startedAt = now;
    this.changed.clear();
    this.resetSinceTake = true;
  }

  private evict(): void {
    while (this.byId.size > this.options.maxRequests) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
      this.changed.delete(oldest);
      this.removed.add(oldest);
      this.dropped++;
    }
  }

  private touch(record: RequestRecord): void {
    this.changed.add(record.id);
    // A finished preflight changes the verdict of the request it guards, and the other way round.
    const partner = record.preflight ?? record.preflightFor;
    if (partner !== null) this.changed.add(partner);
  }

  /**
   * Brings the verdicts of changed records up to date and hands over what changed since the
   * last call. Verdicts are computed here, off the webRequest listeners' path.
   */
  takeChanges(): { reset: boolean; updated: RequestRecord[]; removed: string[] } {
    const updated: RequestRecord[] = [];
    for (const id of this.changed) {
      const record = this.byId.get(id);
      if (!record) continue;
      this.updateVerdict(record);
      updated.push(record);
    }
    const result = { reset: this.resetSinceTake, updated, removed: [...this.removed] };
    this.changed.clear();
    this.removed.clear();
    this.resetSinceTake = false;
    return result;
  }

  private updateVerdict(record: RequestRecord): void {
    const preflight = record.preflight === null ? null : this.byId.get(record.preflight) ?? null;
    record.verdict = judgeRecord(record, preflight, this.browser, this.preflightCache);
    // The engine infers the credentials mode (hook, Cookie header, platform rules): one place.
    record.credentials.mode = record.verdict.credentials;
  }

  /** Restores records kept from before a worker restart. */
  restore(state: SessionState): void {
    this.pageUrl = state.pageUrl;
    this.startedAt = state.startedAt;
    this.dropped = state.dropped;
    this.navigations = state.navigations;
    for (const record of state.records) {
      this.byId.set(record.id, record);
      this.seq = Math.max(this.seq, record.seq + 1);
      if (record.type === 'main_frame' || record.type === 'sub_frame') this.frames.set(record.frameId, record.finalUrl);
    }
  }

  /** The session without its records. */
  snapshotMeta(): Omit<SessionState, 'records'> {
    return { tabId: this.tabId, pageUrl: this.pageUrl, startedAt: this.startedAt, navigations: this.navigations.slice(), dropped: this.dropped };
  }

  snapshot(): SessionState {
    for (const id of this.changed) {
      const record = this.byId.get(id);
      if (record) this.updateVerdict(record);
    }
    return { ...this.snapshotMeta(), records: [...this.byId.values()] };
  }
}

function hookMatches(report: RequestHookRecord, record: RequestRecord): boolean {
  return (
    report.url === record.url &&
    report.method.toUpperCase() === record.method.toUpperCase() &&
    Math.abs(record.startTime - report.time) <= PAIR_WINDOW_MS
  );
}
