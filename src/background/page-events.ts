// The background side of the page hooks: takes the bridge's batches (runtime messages), checks
// them with parsePageEvents, and keeps per-tab lists of MessageRecord, WebSocketRecord and
// RequestHookRecord with caps (oldest first out, counted). Who sent a batch comes from the
// browser (sender.tab.id, sender.frameId, sender.url), never from the page.
//
// A message seen on both sides (the send in one frame, the receipt in another, or both in one)
// is merged into one record with observed 'both': same channel, same preview and size, sender
// origin and target compatible, within MATCH_WINDOW_MS, first come first matched.
import { originOf } from '../core/net/origin';
import {
  MAX_WS_FRAMES,
  countRejected,
  noPageDrops,
  parsePageEvents,
  weakestCheck,
  type MessageEventWire,
  type LoadErrorRecord,
  type MessageRecord,
  type PageEvent,
  type PageRecords,
  type RequestHookRecord,
  type WebSocketRecord,
} from '../core/page/records';
import type { ServiceWorkerFetch, WorkerReport } from '../core/session/worker';

export interface PageEventLimits {
  maxMessages: number;
  maxWebSockets: number;
  maxRequests: number;
}
export const DEFAULT_PAGE_EVENT_LIMITS: PageEventLimits = { maxMessages: 5000, maxWebSockets: 500, maxRequests: 5000 };

/** What one accepted batch added or changed, for listeners (the collector links `requests`). */
export interface PageChange {
  messages: MessageRecord[];
  websockets: WebSocketRecord[];
  requests: RequestHookRecord[];
  /** Passed on, not kept: the session and the worker directory keep what they need of them. */
  workers: WorkerReport[];
  serviceWorkerFetches: ServiceWorkerFetch[];
  /** Passed on, not kept: the session makes a record of those the network never saw. */
  loadErrors: LoadErrorRecord[];
}

const MATCH_WINDOW_MS = 5000;
const MAX_UNMATCHED = 500;

interface Sender {
  tab?: { id?: number };
  frameId?: number;
  url?: string;
  origin?: string;
}

interface TabState {
  messages: MessageRecord[];
  websockets: WebSocketRecord[];
  requests: RequestHookRecord[];
  /** Open sockets by frame and page-local socket id (the newest socket with that id). */
  sockets: Map<string, WebSocketRecord>;
  /** Records seen on one side only, oldest first, waiting for the other side. */
  unmatched: MessageRecord[];
  dropped: PageRecords['dropped'];
}

export class PageEventStore {
  private tabs = new Map<number, TabState>();
  private listeners = new Set<(tabId: number, change: PageChange) => void>();
  private seq = 0;

  constructor(private limits: PageEventLimits = DEFAULT_PAGE_EVENT_LIMITS) {}

  /**
   * Takes one batch from the bridge of frame `frameId` (at `frameUrl`, of `frameOrigin` when the
   * browser told it) in tab `tabId`. Returns how many events were accepted.
   */
  accept(tabId: number, frameId: number, frameUrl: string, json: unknown, frameOrigin?: string): number {
    const { events, rejected, rejectedBatches } = parsePageEvents(json);
    const tab = this.tab(tabId);
    countRejected(tab.dropped, rejected, rejectedBatches);
    const origin = frameOrigin && frameOrigin !== 'null' ? frameOrigin : originOf(frameUrl);
    const change: PageChange = { messages: [], websockets: [], requests: [], workers: [], serviceWorkerFetches: [], loadErrors: [] };
    let accepted = 0;
    for (const e of events) {
      if (this.apply(tab, e, frameId, frameUrl, origin, change)) accepted++;
    }
    this.evict(tab);
    if (Object.values(change).some((list) => list.length > 0)) {
      for (const cb of this.listeners) {
        try {
          cb(tabId, change);
        } catch {
          // one listener's failure is not the store's
        }
      }
    }
    return accepted;
  }

  /**
   * Takes one batch from a frame's bridge. Which tab and frame sent it comes from the browser
   * (`sender`), never from the page; a sender outside a tab is refused. Returns how many events
   * were accepted.
   */
  acceptFrom(sender: Sender, batch: string): number {
    const tabId = sender.tab?.id;
    if (typeof tabId !== 'number' || tabId < 0 || typeof sender.url !== 'string') return 0;
    return this.accept(tabId, sender.frameId ?? 0, sender.url, batch, sender.origin);
  }

  /** A copy of everything kept for the tab. */
  forTab(tabId: number): PageRecords {
    const tab = this.tabs.get(tabId);
    if (!tab) return { tabId, messages: [], websockets: [], requests: [], dropped: noPageDrops() };
    // Kept in arrival order; shown in the order things happened (a send's time, or the receipt's).
    const messages = [...tab.messages].sort((a, b) => a.time - b.time);
    return structuredClone({ tabId, messages, websockets: tab.websockets, requests: tab.requests, dropped: tab.dropped });
  }

  clear(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /**
   * Puts back what was kept before a worker restart, ahead of anything recorded since. Sockets
   * still open then cannot take more frames: their page-side ids are not kept.
   */
  restore(tabId: number, kept: Pick<PageRecords, 'messages' | 'websockets' | 'dropped'>): void {
    const tab = this.tab(tabId);
    tab.messages = kept.messages.concat(tab.messages);
    tab.websockets = kept.websockets.concat(tab.websockets);
    tab.dropped = kept.dropped;
    // New ids continue after the kept ones.
    for (const r of [...kept.messages, ...kept.websockets]) this.seq = Math.max(this.seq, Number(r.id.slice(r.id.indexOf('-') + 1)) || 0);
    this.evict(tab);
  }

  /**
   * Links the tab's sockets to their webRequest handshakes: `find` returns the handshake for a
   * socket not linked yet. Returns the sockets it linked, for the panel.
   */
  linkHandshakes(tabId: number, find: (socket: WebSocketRecord, taken: ReadonlySet<string>) => WebSocketRecord['handshake'] | null): WebSocketRecord[] {
    const sockets = this.tabs.get(tabId)?.websockets ?? [];
    const taken = new Set<string>();
    for (const s of sockets) if (s.handshake.requestId !== undefined) taken.add(s.handshake.requestId);
    const linked: WebSocketRecord[] = [];
    for (const socket of sockets) {
      if (socket.handshake.requestId !== undefined) continue;
      const handshake = find(socket, taken);
      if (handshake === null) continue;
      socket.handshake = handshake;
      if (handshake.requestId !== undefined) taken.add(handshake.requestId);
      linked.push(structuredClone(socket));
    }
    return linked;
  }

  /** The tab's drop counters (cheap: no copy of the records). */
  droppedOf(tabId: number): PageRecords['dropped'] {
    const d = this.tabs.get(tabId)?.dropped;
    return d ? { ...d } : noPageDrops();
  }

  /** Calls `cb` after each batch that added or changed records; returns the unsubscribe function. */
  onChange(cb: (tabId: number, change: PageChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private tab(tabId: number): TabState {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { messages: [], websockets: [], requests: [], sockets: new Map(), unmatched: [], dropped: noPageDrops() };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  private apply(tab: TabState, e: PageEvent, frameId: number, frameUrl: string, origin: string, change: PageChange): boolean {
    switch (e.k) {
      case 'msg': {
        const r = this.message(tab, e, frameId, frameUrl, origin);
        if (!change.messages.includes(r)) change.messages.push(r);
        return true;
      }
      case 'ws-new': {
        const r: WebSocketRecord = {
          id: `ws-${++this.seq}`, url: e.url, protocols: e.protocols, pageOrigin: origin, frameId, frameUrl, createdAt: e.t,
          openedAt: null, closedAt: null, closeCode: null, closeReason: null, error: false, framesSent: 0, framesReceived: 0, frames: [],
          handshake: { origin, status: null },
        };
        tab.websockets.push(r);
        tab.sockets.set(`${frameId}:${e.sid}`, r);
        change.websockets.push(r);
        return true;
      }
      case 'ws-open':
      case 'ws-frame':
      case 'ws-close':
      case 'ws-error': {
        const r = tab.sockets.get(`${frameId}:${e.sid}`);
        if (!r) {
          tab.dropped.rejected++;
          return false;
        }
        if (e.k === 'ws-open') r.openedAt ??= e.t;
        else if (e.k === 'ws-error') r.error = true;
        else if (e.k === 'ws-close') {
          r.closedAt = e.t;
          r.closeCode = e.code;
          r.closeReason = e.reason;
        } else {
          if (e.dir === 'sent') r.framesSent++;
          else r.framesReceived++;
          if (r.frames.length < MAX_WS_FRAMES) r.frames.push({ direction: e.dir, time: e.t, size: e.size, binary: e.binary, preview: e.preview });
        }
        if (!change.websockets.includes(r)) change.websockets.push(r);
        return true;
      }
      case 'req': {
        const r: RequestHookRecord = {
          url: e.url, method: e.method, time: e.t, api: e.api, mode: e.mode, credentials: e.credentials, withCredentials: e.withCredentials,
          authorization: e.authorization, headerNames: e.headers, frameId, frameUrl,
        };
        tab.requests.push(r);
        change.requests.push(r);
        return true;
      }
      case 'worker':
        change.workers.push({ kind: e.kind, url: e.url, time: e.t, frameId });
        return true;
      case 'sw-fetch':
        change.serviceWorkerFetches.push({ url: e.url, time: e.t, initiator: e.initiator, status: e.status, frameId, frameUrl });
        return true;
      case 'load-error':
        change.loadErrors.push({ url: e.url, type: e.type, time: e.t, frameId, frameUrl });
        return true;
      case 'dropped':
        countRejected(tab.dropped, e.n, e.batches);
        return true;
    }
  }

  private message(tab: TabState, e: MessageEventWire, frameId: number, frameUrl: string, origin: string): MessageRecord {
    const send = e.side === 'send';
    const r: MessageRecord = {
      id: `msg-${++this.seq}`,
      time: e.t,
      frameId: send ? null : frameId,
      frameUrl: send ? null : frameUrl,
      senderFrameId: send ? frameId : null,
      senderFrameUrl: send ? frameUrl : null,
      senderOrigin: send ? origin : e.origin,
      receiverOrigin: send ? receiverOf(e, origin) : origin,
      targetOrigin: send ? e.target : null,
      observed: send ? 'send' : 'receive',
      channel: e.channel,
      dataPreview: e.preview,
      size: e.size,
      isTrusted: send ? null : e.trusted,
      listenerCount: send ? null : e.listeners.length,
      originChecked: send ? 'unknown' : weakestCheck(e.listeners),
      listeners: send ? [] : e.listeners,
    };
    const other = tab.unmatched.findIndex((u) => pairs(u, r));
    if (other >= 0) {
      const u = tab.unmatched[other]!;
      tab.unmatched.splice(other, 1);
      merge(u, r);
      return u;
    }
    tab.messages.push(r);
    tab.unmatched.push(r);
    if (tab.unmatched.length > MAX_UNMATCHED) tab.unmatched.shift();
    return r;
  }

  private evict(tab: TabState): void {
    const over = <T>(list: T[], max: number, onDrop: (r: T) => void): number => {
      const n = list.length - max;
      if (n <= 0) return 0;
      for (const r of list.splice(0, n)) onDrop(r);
      return n;
    };
    tab.dropped.messages += over(tab.messages, this.limits.maxMessages, (r) => {
      const i = tab.unmatched.indexOf(r);
      if (i >= 0) tab.unmatched.splice(i, 1);
    });
    tab.dropped.websockets += over(tab.websockets, this.limits.maxWebSockets, (r) => {
      for (const [k, v] of tab.sockets) if (v === r) tab.sockets.delete(k);
    });
    tab.dropped.requests += over(tab.requests, this.limits.maxRequests, () => {});
  }
}

/** Where a send went, as far as the sender knows. */
function receiverOf(e: MessageEventWire, senderOrigin: string): string | null {
  if (e.peer === 'self') return senderOrigin;
  if (e.channel !== 'window') return null;
  if (e.target === '/') return senderOrigin;
  if (e.target && e.target !== '*' && /^[a-z][a-z0-9+.-]*:\/\//i.test(e.target)) return e.target.replace(/\/+$/, '');
  return null;
}

/** Is `b` the other side of the one-sided record `a`? */
function pairs(a: MessageRecord, b: MessageRecord): boolean {
  if (a.observed === b.observed || a.observed === 'both') return false;
  // The page's side of a worker is all the hooks see: what it sends is never also its receipt.
  if (a.channel === 'worker') return false;
  if (a.channel !== b.channel || a.dataPreview !== b.dataPreview || a.size !== b.size) return false;
  if (Math.abs(a.time - b.time) > MATCH_WINDOW_MS) return false;
  const send = a.observed === 'send' ? a : b;
  const receive = a.observed === 'send' ? b : a;
  if (send.time > receive.time + 50) return false;
  if (send.channel === 'window') {
    if (receive.senderOrigin !== send.senderOrigin) return false;
    if (send.receiverOrigin !== null && send.receiverOrigin !== receive.receiverOrigin) return false;
  }
  return true;
}

// What a merged record takes from each side: where it was sent from, and where it arrived.
const SEND_FIELDS = ['time', 'senderFrameId', 'senderFrameUrl', 'senderOrigin', 'targetOrigin'] as const;
const RECEIVE_FIELDS = ['frameId', 'frameUrl', 'receiverOrigin', 'isTrusted', 'listenerCount', 'originChecked', 'listeners'] as const;

/** Folds the other side `b` into `a`. */
function merge(a: MessageRecord, b: MessageRecord): void {
  const send = a.observed === 'send' ? a : b;
  const receive = a.observed === 'send' ? b : a;
  Object.assign(a, pick(send, SEND_FIELDS), pick(receive, RECEIVE_FIELDS));
  a.observed = 'both';
}

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}
