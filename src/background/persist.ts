import browser from 'webextension-polyfill';
import type { MessageRecord, PageRecords, WebSocketRecord } from '../core/page/records';
import type { NavigationMark, RequestRecord } from '../core/session/record';
import type { SessionState } from '../core/session/session';

// Sessions outlive the worker: Chrome stops an idle service worker after ~30 s and Firefox
// suspends event pages. Records go to IndexedDB (storage.session is too small for 50,000
// requests); a marker in storage.session tells a worker restart (keep) from a browser
// start (tab ids are new: start empty).

const DB_NAME = 'origin-lens';
const REQUESTS = 'requests';
const SESSIONS = 'sessions';
/** The page hooks' messages and sockets, an entry each, keyed like requests. */
const PAGES = 'pages';
const STORES = [REQUESTS, SESSIONS, PAGES];

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
  const request = indexedDB.open(DB_NAME, 2);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(REQUESTS)) db.createObjectStore(REQUESTS, { keyPath: ['tabId', 'id'] });
    if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS, { keyPath: 'tabId' });
    if (!db.objectStoreNames.contains(PAGES)) db.createObjectStore(PAGES, { keyPath: ['tabId', 'id'] });
  };
  return promised(request);
}

const tabRange = (tabId: number) => IDBKeyRange.bound([tabId, ''], [tabId, '\uffff']);

export interface SessionChange {
  meta: SessionMeta;
  reset: boolean;
  updated: RequestRecord[];
  removed: string[];
}

export class SessionStore {
  private db: Promise<IDBDatabase> = open();

  /** Everything kept, by tab; empties the store first when the browser itself has restarted. */
  async load(): Promise<Map<number, { state: SessionState; preserveLog: boolean; page: KeptPage | null }>> {
    const db = await this.db;
    const marker = await browser.storage.session.get('boot');
    if (!marker.boot) {
      const tx = db.transaction(STORES, 'readwrite');
      for (const store of STORES) tx.objectStore(store).clear();
      await done(tx);
      await browser.storage.session.set({ boot: Date.now() });
      return new Map();
    }
    const tx = db.transaction(STORES, 'readonly');
    const metas = await promised(tx.objectStore(SESSIONS).getAll() as IDBRequest<SessionMeta[]>);
    const records = await promised(tx.objectStore(REQUESTS).getAll() as IDBRequest<RequestRecord[]>);
    const pages = new Map<number, KeptPage>();
    for (const e of await promised(tx.objectStore(PAGES).getAll() as IDBRequest<PageEntry[]>)) {
      let page = pages.get(e.tabId);
      if (!page) pages.set(e.tabId, (page = { tabId: e.tabId, messages: [], websockets: [], dropped: { messages: 0, websockets: 0, requests: 0, rejected: 0 } }));
      if (e.kind === 'message') page.messages.push(e.record);
      else if (e.kind === 'websocket') page.websockets.push(e.record);
      else page.dropped = e.record;
    }
    for (const page of pages.values()) page.messages.sort((a, b) => a.time - b.time);
    const result = new Map<number, { state: SessionState; preserveLog: boolean; page: KeptPage | null }>();
    for (const m of metas) {
      result.set(m.tabId, {
        preserveLog: m.preserveLog,
        state: { tabId: m.tabId, pageUrl: m.pageUrl, startedAt: m.startedAt, dropped: m.dropped, droppedForBudget: m.droppedForBudget, navigations: m.navigations, records: [] },
        page: pages.get(m.tabId) ?? null,
      });
    }
    for (const r of records) result.get(r.tabId)?.state.records.push(r);
    for (const { state } of result.values()) state.records.sort((a, b) => a.seq - b.seq);
    return result;
  }

  /** Writes a batch of changes, all tabs in one transaction; a full disk rejects with a `QuotaExceededError`. */
  async save(changes: SessionChange[], pages: PageSave[] = []): Promise<void> {
    if (changes.length === 0 && pages.length === 0) return;
    const db = await this.db;
    const tx = db.transaction(STORES, 'readwrite');
    const requests = tx.objectStore(REQUESTS);
    const sessions = tx.objectStore(SESSIONS);
    for (const c of changes) {
      if (c.reset) requests.delete(tabRange(c.meta.tabId));
      for (const id of c.removed) requests.delete([c.meta.tabId, id]);
      for (const r of c.updated) requests.put(r);
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
    const db = await this.db;
    const tx = db.transaction(STORES, 'readwrite');
    tx.objectStore(REQUESTS).delete(tabRange(tabId));
    tx.objectStore(SESSIONS).delete(tabId);
    tx.objectStore(PAGES).delete(tabRange(tabId));
    await done(tx);
  }
}
