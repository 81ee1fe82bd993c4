import browser from 'webextension-polyfill';
import { noPageDrops, type MessageRecord, type PageRecords, type WebSocketRecord } from '../core/page/records';
import type { NavigationMark, RequestRecord } from '../core/session/record';
import type { SessionState } from '../core/session/session';
import { encodeRecords, replay, rewriteDue, type RequestChunk } from './request-chunks';

// Sessions outlive the worker: Chrome stops an idle service worker after ~30 s and Firefox
// suspends event pages. Records go to IndexedDB (storage.session is too small for 50,000
// requests); a marker in storage.session tells a worker restart (keep) from a browser
// start (tab ids are new: start empty). Requests are kept in chunks (request-chunks.ts); writes
// are relaxed: a record need not survive the machine losing power, only the worker stopping.

const DB_NAME = 'origin-lens';
/** Version 3 keeps requests in chunks; version 2's store of one record per entry is dropped. */
const DB_VERSION = 3;
const OLD_REQUESTS = 'requests';
const CHUNKS = 'request-chunks';
const SESSIONS = 'sessions';
/** The page hooks' messages and sockets, an entry each, keyed [tabId, id]. */
const PAGES = 'pages';
const STORES = [CHUNKS, SESSIONS, PAGES];
const RELAXED: IDBTransactionOptions = { durability: 'relaxed' };

export type KeptPage = Pick<PageRecords, 'tabId' | 'messages' | 'websockets' | 'dropped'>;

type PageEntry =
  | { tabId: number; id: string; kind: 'message'; record: MessageRecord }
  | { tabId: number; id: string; kind: 'websocket'; record: WebSocketRecord }
  | { tabId: number; id: string; kind: 'dropped'; record: PageRecords['dropped'] };

/** What changed in a tab's page records; `reset` drops what was kept before. */
export interface PageSave extends KeptPage {
  reset: boolean;
}

interface SessionMeta {
  tabId: number;
  pageUrl: string | null;
  startedAt: number;
  dropped: number;
  droppedForBudget?: number;
  navigations: NavigationMark[];
  preserveLog: boolean;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function open(): Promise<IDBDatabase> {
  const request = indexedDB.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    // What version 2 kept is gone anyway: an update of the extension clears storage.session's marker.
    if (db.objectStoreNames.contains(OLD_REQUESTS)) db.deleteObjectStore(OLD_REQUESTS);
    if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS, { keyPath: ['tabId', 'n'] });
    if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS, { keyPath: 'tabId' });
    if (!db.objectStoreNames.contains(PAGES)) db.createObjectStore(PAGES, { keyPath: ['tabId', 'id'] });
  };
  return promised(request);
}

/** Every key [tabId, x]: a shorter array sorts first, and an array sorts after any number or string. */
const tabRange = (tabId: number) => IDBKeyRange.bound([tabId], [tabId, []]);

export interface SessionChange {
  meta: SessionMeta;
  reset: boolean;
  updated: RequestRecord[];
  removed: string[];
  /** The tab's records now: written in full on a reset, or when the tab's chunks have grown far beyond them. */
  live: { readonly size: number; records(): Iterable<RequestRecord> };
}

export class SessionStore {
  private db: Promise<IDBDatabase> = open();
  /** The next chunk's number, after those kept from before a worker restart. */
  private counter = this.db.then(async (db) => {
    const keys = await promised(db.transaction(CHUNKS, 'readonly').objectStore(CHUNKS).getAllKeys());
    return { next: keys.reduce<number>((max, key) => Math.max(max, (key as [number, number])[1] + 1), 0) };
  });
  /** How many entries (records and removals) each tab's chunks hold. */
  private entries = new Map<number, number>();

  /** Everything kept, by tab; empties the store first when the browser itself has restarted. */
  async load(): Promise<Map<number, { state: SessionState; preserveLog: boolean; page: KeptPage | null }>> {
    const db = await this.db;
    const marker = await browser.storage.session.get('boot');
    if (!marker.boot) {
      const tx = db.transaction(STORES, 'readwrite', RELAXED);
      for (const store of STORES) tx.objectStore(store).clear();
      await done(tx);
      await browser.storage.session.set({ boot: Date.now() });
      return new Map();
    }
    const tx = db.transaction(STORES, 'readonly');
    const metas = await promised(tx.objectStore(SESSIONS).getAll() as IDBRequest<SessionMeta[]>);
    const tabs = replay(await promised(tx.objectStore(CHUNKS).getAll() as IDBRequest<RequestChunk[]>));
    const pages = new Map<number, KeptPage>();
    for (const e of await promised(tx.objectStore(PAGES).getAll() as IDBRequest<PageEntry[]>)) {
      let page = pages.get(e.tabId);
      if (!page) pages.set(e.tabId, (page = { tabId: e.tabId, messages: [], websockets: [], dropped: noPageDrops() }));
      if (e.kind === 'message') page.messages.push(e.record);
      else if (e.kind === 'websocket') page.websockets.push(e.record);
      else page.dropped = e.record;
    }
    for (const page of pages.values()) page.messages.sort((a, b) => a.time - b.time);
    const result = new Map<number, { state: SessionState; preserveLog: boolean; page: KeptPage | null }>();
    for (const m of metas) {
      const tab = tabs.get(m.tabId);
      this.entries.set(m.tabId, tab?.entries ?? 0);
      result.set(m.tabId, {
        preserveLog: m.preserveLog,
        state: { tabId: m.tabId, pageUrl: m.pageUrl, startedAt: m.startedAt, dropped: m.dropped, droppedForBudget: m.droppedForBudget, navigations: m.navigations, records: tab?.records ?? [] },
        page: pages.get(m.tabId) ?? null,
      });
    }
    return result;
  }

  /** Writes a batch of changes, all tabs in one transaction; a full disk rejects with a `QuotaExceededError`. */
  async save(changes: SessionChange[], pages: PageSave[] = []): Promise<void> {
    if (changes.length === 0 && pages.length === 0) return;
    const db = await this.db;
    const counter = await this.counter;
    const tx = db.transaction(STORES, 'readwrite', RELAXED);
    const chunks = tx.objectStore(CHUNKS);
    const sessions = tx.objectStore(SESSIONS);
    const put = (tabId: number, texts: string[], removed: string[]) => {
      if (texts.length === 0 && removed.length > 0) texts.push('[]');
      texts.forEach((records, i) => chunks.put({ tabId, n: counter.next++, records, removed: i === 0 ? removed : [] } satisfies RequestChunk));
    };
    for (const c of changes) {
      const tabId = c.meta.tabId;
      const entries = (this.entries.get(tabId) ?? 0) + c.updated.length + c.removed.length;
      if (c.reset || rewriteDue(entries, c.live.size)) {
        chunks.delete(tabRange(tabId));
        put(tabId, encodeRecords(c.live.records()), []);
        this.entries.set(tabId, c.live.size);
      } else {
        put(tabId, encodeRecords(c.updated), c.removed);
        this.entries.set(tabId, entries);
      }
      sessions.put(c.meta);
    }
    const kept = tx.objectStore(PAGES);
    for (const p of pages) {
      if (p.reset) kept.delete(tabRange(p.tabId));
      for (const m of p.messages) kept.put({ tabId: p.tabId, id: m.id, kind: 'message', record: m } satisfies PageEntry);
      for (const w of p.websockets) kept.put({ tabId: p.tabId, id: w.id, kind: 'websocket', record: w } satisfies PageEntry);
      kept.put({ tabId: p.tabId, id: '#dropped', kind: 'dropped', record: p.dropped } satisfies PageEntry);
    }
    await done(tx);
  }

  async deleteTab(tabId: number): Promise<void> {
    this.entries.delete(tabId);
    const db = await this.db;
    const tx = db.transaction(STORES, 'readwrite', RELAXED);
    tx.objectStore(CHUNKS).delete(tabRange(tabId));
    tx.objectStore(SESSIONS).delete(tabId);
    tx.objectStore(PAGES).delete(tabRange(tabId));
    await done(tx);
  }
}
