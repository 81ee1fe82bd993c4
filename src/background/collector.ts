import type { Runtime } from 'webextension-polyfill';
import { getHeader } from '../core/net/headers';
import type { NetEvent } from '../core/net/events';
import type { LoadErrorRecord, MessageRecord, WebSocketRecord } from '../core/page/records';
import type { RequestRecord } from '../core/session/record';
import type { ServiceWorkerFetch } from '../core/session/worker';
import { portMessage, versioned, type BackgroundMessage, type PanelMessage } from '../core/protocol';
import type { Browser } from '../core/browser';
import { enforceBudget, type Budget } from '../core/session/budget';
import { DEFAULT_SESSION_OPTIONS, TabSession, type SessionState } from '../core/session/session';
import { DEFAULT_SETTINGS } from '../core/session/settings';
import type { CookieReader } from './cookie-reader';
import type { PageChange, PageEventStore } from './page-events';
import type { PageSave, SessionChange, SessionStore } from './persist';
import { QuietTimer } from './quiet-timer';

/**
 * Under load, events wait up to FLUSH_MS to be applied together (also the panel's update rate
 * then). A quiet page's events are applied on the next task, so its rows show at once: "load"
 * is more than BUSY_EVENTS events within the last FLUSH_MS, or within the FLUSH_MS before: a
 * burst is batched throughout, not event by event at the start of each window (each batch
 * judges and measures the records it changed).
 */
const FLUSH_MS = 150;
/** How long a popup's opener link waits for the opener's document before it is given up. */
const OPENER_WAIT_MS = 10_000;
const BUSY_EVENTS = 100;
/**
 * Changes are written to IndexedDB once requests have been quiet for KEEP_QUIET_MS, and at
 * least every KEEP_MAX_MS. Writing is the worker's largest cost: deferred, it stays out of the
 * way of a page's burst of requests, and a record that starts and ends meanwhile is written once.
 */
const KEEP_QUIET_MS = 500;
const KEEP_MAX_MS = 5000;
/** While storage is full, writes are retried this often: the budget or a closed tab may free room. */
const FULL_RETRY_MS = 30_000;

/** Request changes not yet written, for one tab. */
interface RequestsDirty {
  reset: boolean;
  updated: Map<string, RequestRecord>;
  removed: Set<string>;
}

/** Who wants to know which tabs have a panel open (see scope.ts). */
export interface PanelWatcher {
  panelOpened(tabId: number): void;
  panelClosed(tabId: number): void;
}

/**
 * Turns the webRequest stream into per-tab sessions. Listeners only enqueue; assembly,
 * verdicts and panel updates happen in batches (at once when quiet, per FLUSH_MS under load),
 * persistence when quiet.
 */
export class Collector {
  private sessions = new Map<number, TabSession>();
  private queue: NetEvent[] = [];
  private openers: Array<{ tabId: number; sourceTabId: number; sourceFrameId: number; until: number }> = [];
  /** Each popup's opener (tab and frame), for showing there the popup COOP cut off. */
  private openerOf = new Map<number, { sourceTabId: number; sourceFrameId: number }>();
  private serviceWorkerFetches: Array<[number, ServiceWorkerFetch]> = [];
  private loadErrors: Array<[number, LoadErrorRecord]> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the current load window began, and how many events it has seen. */
  private windowStart = -Infinity;
  private windowEvents = 0;
  /** The window before the current one was busy: batching goes on until then. */
  private busyUntil = 0;
  private restored = false;
  private signalRestored!: () => void;
  /** Settles once the kept sessions are back: a panel's snapshot waits for it. */
  private readonly whenRestored = new Promise<void>((resolve) => (this.signalRestored = resolve));
  private ports = new Map<number, Set<Runtime.Port>>();
  /** Records changed since they were last kept, by tab. */
  private requestsDirty = new Map<number, RequestsDirty>();
  private pagesDirty = new Map<number, PageSave>();
  private readonly keeper = new QuietTimer(KEEP_QUIET_MS, KEEP_MAX_MS, () => this.keep(), () => this.retryAt);
  private preserveByTab = new Map<number, boolean>();
  private maxRequests = DEFAULT_SESSION_OPTIONS.maxRequests;
  private budget: Budget = DEFAULT_SETTINGS;
  /** The last write failed for lack of room: records live in memory only until a retry succeeds. */
  private storageFull = false;
  private retryAt = 0;

  constructor(
    private browser: Browser,
    private store: SessionStore,
    private pages: PageEventStore,
    private panels: PanelWatcher,
    private cookies: CookieReader | null = null,
  ) {
    pages.onChange((tabId, change) => this.pageChanged(tabId, change));
    cookies?.onJudged(() => this.schedule());
  }

  /** The page hooks reported: link their fetch/XHR reports and sockets to the webRequest records. */
  private pageChanged(tabId: number, change: PageChange): void {
    const session = this.session(tabId);
    for (const report of change.requests) session.addHookReport(report);
    for (const report of change.workers) session.noteWorker(report);
    // Applied with the next batch of webRequest events, after those of the requests they ended.
    for (const fetch of change.serviceWorkerFetches) this.serviceWorkerFetches.push([tabId, fetch]);
    for (const error of change.loadErrors) this.loadErrors.push([tabId, error]);
    const linked = this.linkHandshakes(session);
    const websockets = [...change.websockets.filter((w) => !linked.some((l) => l.id === w.id)).map((w) => structuredClone(w)), ...linked];
    this.post(tabId, { type: 'page-update', messages: structuredClone(change.messages), websockets, dropped: this.pages.droppedOf(tabId) });
    this.keepPage(tabId, change.messages, [...change.websockets, ...linked]);
    this.schedule();
  }

  private keepPage(tabId: number, messages: MessageRecord[], websockets: WebSocketRecord[], reset = false): void {
    let save = this.pagesDirty.get(tabId);
    if (!save || reset) this.pagesDirty.set(tabId, (save = { tabId, reset, messages: [], websockets: [], dropped: this.pages.droppedOf(tabId) }));
    save.messages.push(...messages);
    save.websockets.push(...websockets);
    this.scheduleKeep();
  }

  private keepRequests(tabId: number, change: ReturnType<TabSession['takeChanges']>): void {
    let dirty = this.requestsDirty.get(tabId);
    if (!dirty) this.requestsDirty.set(tabId, (dirty = { reset: false, updated: new Map(), removed: new Set() }));
    if (change.reset) {
      dirty.reset = true;
      dirty.updated.clear();
      dirty.removed.clear();
    }
    for (const id of change.removed) {
      dirty.updated.delete(id);
      dirty.removed.add(id);
    }
    // Records are the session's live objects: the latest state is what gets written.
    for (const r of change.updated) dirty.updated.set(r.id, r);
    this.scheduleKeep();
  }

  private scheduleKeep(): void {
    this.keeper.touch();
  }

  /** Writes everything changed since the last write, all tabs in one transaction. */
  private keep(): void {
    const changes: SessionChange[] = [];
    for (const [tabId, dirty] of this.requestsDirty) {
      const session = this.sessions.get(tabId);
      if (session) changes.push({ meta: this.meta(session), reset: dirty.reset, updated: [...dirty.updated.values()], removed: [...dirty.removed], live: session });
    }
    this.requestsDirty.clear();
    const pages = [...this.pagesDirty.values()].map((p) => ({
      ...p,
      messages: [...new Set(p.messages)],
      websockets: [...new Map(p.websockets.map((w) => [w.id, w])).values()],
      dropped: this.pages.droppedOf(p.tabId),
    }));
    this.pagesDirty.clear();
    this.save(changes, pages);
  }

  /** Links the tab's sockets to their handshakes; a handshake the page made is no worker's. */
  private linkHandshakes(session: TabSession): WebSocketRecord[] {
    const linked = this.pages.linkHandshakes(session.tabId, (s, taken) => this.handshakeOf(session, s, taken));
    for (const socket of linked) if (socket.handshake.requestId !== undefined) session.claimByPage(socket.handshake.requestId);
    if (linked.length) this.schedule();
    return linked;
  }

  /** The handshake of a socket: the earliest unlinked webRequest websocket record for its URL. */
  private handshakeOf(session: TabSession, socket: WebSocketRecord, taken: ReadonlySet<string>): WebSocketRecord['handshake'] | null {
    for (const r of session.records()) {
      if (r.type !== 'websocket' || r.url !== socket.url || taken.has(r.id) || r.startTime < socket.createdAt - 1000) continue;
      // Linked once, so only once the server has answered (or the handshake failed): a link made
      // before the 101 would keep a null status.
      if (r.status === null && r.state === 'pending') return null;
      return { origin: getHeader(r.requestHeaders, 'origin'), status: r.status, requestId: r.id };
    }
    return null;
  }

  private writing = 0;

  get settled(): boolean {
    return this.restored && this.timer === null && !this.keeper.pending && this.queue.length === 0 && this.writing === 0 && !this.storageFull && (this.cookies?.idle ?? true);
  }

  private save(changes: SessionChange[], pages: PageSave[]): void {
    this.writing++;
    this.store
      .save(changes, pages)
      .then(
        () => this.setStorageFull(false),
        (e: unknown) => {
          if ((e as { name?: unknown } | null)?.name !== 'QuotaExceededError') {
            console.error('Origin Lens: could not keep records', e);
            return;
          }
          this.retryAt = Date.now() + FULL_RETRY_MS;
          this.requeue(changes, pages);
          this.setStorageFull(true);
        },
      )
      .finally(() => this.writing--);
  }

  /**
   * Puts a batch that could not be written back in front of what changed since, so that the
   * next write that succeeds leaves storage as it would have been.
   */
  private requeue(changes: SessionChange[], pages: PageSave[]): void {
    for (const c of changes) {
      const tabId = c.meta.tabId;
      if (!this.sessions.has(tabId)) continue;
      const newer = this.requestsDirty.get(tabId);
      this.requestsDirty.delete(tabId);
      this.keepRequests(tabId, c);
      if (newer) this.keepRequests(tabId, { reset: newer.reset, updated: [...newer.updated.values()], removed: [...newer.removed] });
    }
    for (const p of pages) {
      if (!this.sessions.has(p.tabId)) continue;
      const newer = this.pagesDirty.get(p.tabId);
      this.pagesDirty.delete(p.tabId);
      this.keepPage(p.tabId, p.messages, p.websockets, p.reset);
      if (newer) this.keepPage(p.tabId, newer.messages, newer.websockets, newer.reset);
    }
  }

  private setStorageFull(full: boolean): void {
    if (!full) this.retryAt = 0;
    if (full === this.storageFull) return;
    this.storageFull = full;
    if (full) console.warn('Origin Lens: storage is full; recording goes on in memory');
    for (const tabId of this.ports.keys()) {
      const session = this.sessions.get(tabId);
      if (session) this.post(tabId, this.update(session, { reset: false, updated: [], removed: [] }));
    }
  }

  /** The webRequest sink: cheap on purpose, it runs for every event of every request. */
  readonly enqueue = (event: NetEvent): void => {
    this.queue.push(event);
    this.schedule();
  };

  private schedule(): void {
    if (this.timer !== null || !this.restored) return;
    const now = Date.now();
    const busy = now < this.busyUntil || (now - this.windowStart < FLUSH_MS && this.windowEvents + this.queue.length > BUSY_EVENTS);
    this.timer = setTimeout(this.flush, busy ? FLUSH_MS : 0);
  }

  /** Loads the sessions kept from before a worker restart, then applies what queued meanwhile. */
  async restore(): Promise<void> {
    try {
      for (const [tabId, kept] of await this.store.load()) {
        const session = this.session(tabId);
        session.setOptions({ preserveLog: kept.preserveLog });
        session.restore(kept.state);
        if (kept.page) this.pages.restore(tabId, kept.page);
      }
    } catch (e) {
      console.error('Origin Lens: could not restore kept sessions', e);
    }
    this.restored = true;
    this.signalRestored();
    this.flush();
  }

  private session(tabId: number): TabSession {
    let s = this.sessions.get(tabId);
    if (!s) {
      s = new TabSession(tabId, this.browser, { maxRequests: this.maxRequests, preserveLog: this.preserveByTab.get(tabId) ?? false });
      this.sessions.set(tabId, s);
    }
    return s;
  }

  private readonly flush = (): void => {
    this.timer = null;
    const events = this.queue;
    this.queue = [];
    const now = Date.now();
    if (now - this.windowStart >= FLUSH_MS) {
      this.busyUntil = this.windowEvents > BUSY_EVENTS && now - this.windowStart < 2 * FLUSH_MS ? now + FLUSH_MS : 0;
      this.windowStart = now;
      this.windowEvents = 0;
    }
    this.windowEvents += events.length;
    for (const event of events) this.session(event.tabId).apply(event);
    this.linkOpeners();
    for (const [tabId, fetch] of this.serviceWorkerFetches.splice(0)) this.session(tabId).addServiceWorkerFetch(fetch);
    for (const [tabId, error] of this.loadErrors.splice(0)) this.session(tabId).addLoadError(error);
    enforceBudget(this.sessions.values(), this.budget, (tabId) => (this.ports.get(tabId)?.size ?? 0) > 0);
    for (const session of this.sessions.values()) {
      const change = session.takeChanges();
      if (!change.reset && change.updated.length === 0 && change.removed.length === 0) continue;
      this.cookies?.note(session, change.updated);
      this.showInOpener(session.tabId, change.updated);
      this.keepRequests(session.tabId, change);
      if (change.reset) {
        this.pages.clear(session.tabId);
        this.keepPage(session.tabId, [], [], true);
      }
      if (change.updated.some((r) => r.type === 'websocket')) {
        const linked = this.linkHandshakes(session);
        if (linked.length) {
          this.post(session.tabId, { type: 'page-update', messages: [], websockets: linked, dropped: this.pages.droppedOf(session.tabId) });
          this.keepPage(session.tabId, [], linked);
        }
      }
      this.post(session.tabId, this.update(session, change));
    }
  };

  private update(session: TabSession, change: ReturnType<TabSession['takeChanges']>): BackgroundMessage {
    return {
      type: 'update',
      reset: change.reset,
      updated: change.updated,
      removed: change.removed,
      dropped: session.dropped,
      droppedForBudget: session.droppedForBudget,
      pageUrl: session.pageUrl,
      storageFull: this.storageFull,
    };
  }

  private meta(session: TabSession): SessionChange['meta'] {
    const state = session.snapshotMeta();
    return { ...state, preserveLog: session.preserveLog };
  }

  /** A new per-tab cap: sessions over it drop their oldest records at once (panels are told). */
  setMaxRequests(maxRequests: number): void {
    this.maxRequests = maxRequests;
    for (const session of this.sessions.values()) session.setOptions({ maxRequests });
    this.schedule();
  }

  /**
   * Tab `tabId` was opened by frame `sourceFrameId` of tab `sourceTabId` (a popup, a link with a
   * target). Linked at the next flush: the opener's own document may still be in the queue (a
   * page that opens a popup as it loads).
   */
  openedFrom(tabId: number, sourceTabId: number, sourceFrameId: number): void {
    this.openers.push({ tabId, sourceTabId, sourceFrameId, until: Date.now() + OPENER_WAIT_MS });
    this.schedule();
  }

  private linkOpeners(): void {
    for (const link of this.openers.splice(0)) {
      const { tabId, sourceTabId, sourceFrameId } = link;
      const opener = this.sessions.get(sourceTabId)?.documentIn(sourceFrameId);
      // The opener's document may come in a later batch (Firefox): tried again at later flushes.
      if (!opener) {
        if (Date.now() < link.until) {
          this.openers.push(link);
          this.schedule();
        }
        continue;
      }
      this.session(tabId).setOpener(opener);
      this.openerOf.set(tabId, { sourceTabId, sourceFrameId });
    }
  }

  /** A popup's first document judged cut off by COOP is shown in its opener's tab too (at the next flush). */
  private showInOpener(popupTab: number, updated: readonly RequestRecord[]): void {
    const link = this.openerOf.get(popupTab);
    const opener = link === undefined ? undefined : this.sessions.get(link.sourceTabId);
    if (link === undefined || opener === undefined) return;
    for (const r of updated) {
      if (r.opener === undefined || r.popupTab !== undefined || r.verdict?.reason !== 'CoopSeveredOpener') continue;
      opener.addPopup(r, popupTab, link.sourceFrameId);
      this.openerOf.delete(popupTab);
      this.schedule();
    }
  }

  /** A new budget across tabs: applied at the next batch. */
  setBudget(budget: Budget): void {
    this.budget = budget;
    this.schedule();
  }

  snapshot(tabId: number): SessionState | null {
    return this.sessions.get(tabId)?.snapshot() ?? null;
  }

  tabClosed(tabId: number): void {
    this.sessions.delete(tabId);
    this.openerOf.delete(tabId);
    this.requestsDirty.delete(tabId);
    this.pagesDirty.delete(tabId);
    this.pages.clear(tabId);
    this.ports.delete(tabId);
    this.store.deleteTab(tabId).catch(() => undefined);
  }

  /** A panel's port: it subscribes to one tab, gets a snapshot, then updates. */
  connect(port: Runtime.Port): void {
    let tabId: number | null = null;
    let connected = true;
    port.onMessage.addListener((message: unknown) => {
      const m = portMessage<PanelMessage>(message);
      if (!m) return;
      switch (m.type) {
        case 'subscribe': {
          if (tabId !== null || !Number.isInteger(m.tabId)) return;
          const subscribed = m.tabId;
          tabId = subscribed;
          this.panels.panelOpened(subscribed);
          // A panel reconnecting as the worker wakes gets its snapshot once the kept records are
          // back, and updates only after that snapshot.
          void this.whenRestored.then(() => {
            if (!connected) return;
            let set = this.ports.get(subscribed);
            if (!set) this.ports.set(subscribed, (set = new Set()));
            set.add(port);
            this.sendSnapshot(port, subscribed);
          });
          return;
        }
        case 'clear':
          if (tabId !== null) this.clear(port, tabId);
          return;
        case 'set-preserve-log':
          if (tabId === null) return;
          this.preserveByTab.set(tabId, m.preserve === true);
          this.session(tabId).setOptions({ preserveLog: m.preserve === true });
          return;
        case 'ping':
          // Its arrival is all it is for: it keeps the worker awake.
          return;
        default:
          // A type this version does not know: ignored, and a type error once the map has it.
          m satisfies never;
      }
    });
    port.onDisconnect.addListener(() => {
      connected = false;
      if (tabId === null) return;
      this.ports.get(tabId)?.delete(port);
      this.panels.panelClosed(tabId);
    });
  }

  /** The panel's "Clear": empties the tab's session and page records, and sends the empty snapshot. */
  private clear(port: Runtime.Port, tabId: number): void {
    const session = this.session(tabId);
    session.clear();
    this.pages.clear(tabId);
    this.keepPage(tabId, [], [], true);
    this.keepRequests(tabId, session.takeChanges());
    this.schedule();
    this.sendSnapshot(port, tabId);
  }

  private sendSnapshot(port: Runtime.Port, tabId: number): void {
    const session = this.session(tabId);
    this.send(port, { type: 'snapshot', session: session.snapshot(), preserveLog: session.preserveLog, page: this.pages.forTab(tabId), storageFull: this.storageFull });
  }

  private post(tabId: number, message: BackgroundMessage): void {
    for (const port of this.ports.get(tabId) ?? []) this.send(port, message);
  }

  private send(port: Runtime.Port, message: BackgroundMessage): void {
    try {
      port.postMessage(versioned(message));
    } catch {
      // The panel went away between two updates.
    }
  }
}
