import browser from 'webextension-polyfill';
import type { NavigationMark, RequestRecord } from '../core/record';
import type { SessionState } from '../core/session';

// Sessions outlive the worker: Chrome stops an idle service worker after ~30 s and Firefox
// suspends event pages. Records go to IndexedDB (storage.session is too small for 50,000
// requests); a marker in storage.session tells a worker restart (keep) from a browser
// start (tab ids are new: start empty).

const DB_NAME = 'origin-lens';
const REQUESTS = 'requests';
const SESSIONS = 'sessions';

interface SessionMeta {
  tabId: number;
  pageUrl: string | null;
  startedAt: number;
  dropped: number;
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
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore(REQUESTS, { keyPath: ['tabId', 'id'] });
    db.createObjectStore(SESSIONS, { keyPath: 'tabId' });
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
  async load(): Promise<Map<number, { state: SessionState; preserveLog: boolean }>> {
    const db = await this.db;
    const marker = await browser.storage.session.get('boot');
    if (!marker.boot) {
      const tx = db.transaction([REQUESTS, SESSIONS], 'readwrite');
      tx.objectStore(REQUESTS).clear();
      tx.objectStore(SESSIONS).clear();
      await done(tx);
      await browser.storage.session.set({ boot: Date.now() });
      return new Map();
    }
    const tx = db.transaction([REQUESTS, SESSIONS], 'readonly');
    const metas = await promised(tx.objectStore(SESSIONS).getAll() as IDBRequest<SessionMeta[]>);
    const records = await promised(tx.objectStore(REQUESTS).getAll() as IDBRequest<RequestRecord[]>);
    const result = new Map<number, { state: SessionState; preserveLog: boolean }>();
    for (const m of metas) {
      result.set(m.tabId, {
        preserveLog: m.preserveLog,
        state: { tabId: m.tabId, pageUrl: m.pageUrl, startedAt: m.startedAt, dropped: m.dropped, navigations: m.navigations, records: [] },
      });
    }
    for (const r of records) result.get(r.tabId)?.state.records.push(r);
    for (const { state } of result.values()) state.records.sort((a, b) => a.seq - b.seq);
    return result;
  }

  /** Writes a batch of changes, all tabs in one transaction. */
  async save(changes: SessionChange[]): Promise<void> {
    if (changes.length === 0) return;
    const db = await this.db;
    const tx = db.transaction([REQUESTS, SESSIONS], 'readwrite');
    const requests = tx.objectStore(REQUESTS);
    const sessions = tx.objectStore(SESSIONS);
    for (const c of changes) {
      if (c.reset) requests.delete(tabRange(c.meta.tabId));
      for (const id of c.removed) requests.delete([c.meta.tabId, id]);
      for (const r of c.updated) requests.put(r);
      sessions.put(c.meta);
    }
    await done(tx);
  }

  async deleteTab(tabId: number): Promise<void> {
    const db = await this.db;
    const tx = db.transaction([REQUESTS, SESSIONS], 'readwrite');
    tx.objectStore(REQUESTS).delete(tabRange(tabId));
    tx.objectStore(SESSIONS).delete(tabId);
    await done(tx);
  }
}
