import type { MessageRecord, PageRecords, WebSocketRecord } from '../core/page/records';
import type { BackgroundMessage, BackgroundToPanel } from '../core/protocol';
import type { NavigationMark, RequestRecord } from '../core/session/record';
import type { SessionState } from '../core/session/session';

/** The panel's copy of one session: records in arrival order, updated in place. */
export class SessionModel {
  records: RequestRecord[] = [];
  navigations: NavigationMark[] = [];
  pageUrl: string | null = null;
  dropped = 0;
  /** How many of `dropped` went to the budget across tabs. */
  droppedForBudget = 0;
  /** The background could not write its records (storage full): they live in its memory only. */
  storageFull = false;
  preserveLog = false;
  messages: MessageRecord[] = [];
  websockets: WebSocketRecord[] = [];
  pageDropped: PageRecords['dropped'] = { messages: 0, websockets: 0, requests: 0, rejected: 0 };
  /** Bumped on every change so views know to re-filter. */
  version = 0;
  private index = new Map<string, number>();

  load(session: SessionState, preserveLog: boolean, page?: Pick<PageRecords, 'messages' | 'websockets' | 'dropped'>): void {
    this.messages = page?.messages ?? [];
    this.websockets = page?.websockets ?? [];
    if (page) this.pageDropped = page.dropped;
    this.records = session.records.slice().sort((a, b) => a.seq - b.seq);
    this.navigations = session.navigations;
    this.pageUrl = session.pageUrl;
    this.dropped = session.dropped;
    this.droppedForBudget = session.droppedForBudget ?? 0;
    this.preserveLog = preserveLog;
    this.reindex();
    this.version++;
  }

  apply(message: BackgroundMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.load(message.session, message.preserveLog, message.page);
        this.storageFull = message.storageFull;
        return;
      case 'page-update':
        this.messages = upsert(this.messages, message.messages);
        this.websockets = upsert(this.websockets, message.websockets);
        this.pageDropped = message.dropped;
        this.version++;
        return;
      case 'update':
        this.update(message);
        return;
      default:
        // A type this version does not know: ignored, and a type error once the map has it.
        message satisfies never;
    }
  }

  private update(message: BackgroundToPanel['update']): void {
    if (message.reset) {
      this.records = [];
      this.navigations = [];
      this.messages = [];
      this.websockets = [];
      this.index.clear();
    }
    if (message.removed.length) {
      const gone = new Set(message.removed);
      this.records = this.records.filter((r) => !gone.has(r.id));
      this.reindex();
    }
    for (const record of message.updated) {
      const at = this.index.get(record.id);
      if (at === undefined) {
        this.index.set(record.id, this.records.length);
        this.records.push(record);
      } else {
        this.records[at] = record;
      }
    }
    this.dropped = message.dropped;
    this.droppedForBudget = message.droppedForBudget;
    this.storageFull = message.storageFull;
    this.pageUrl = message.pageUrl;
    this.version++;
  }

  get(id: string): RequestRecord | undefined {
    const at = this.index.get(id);
    return at === undefined ? undefined : this.records[at];
  }

  private reindex(): void {
    this.index.clear();
    this.records.forEach((r, i) => this.index.set(r.id, i));
  }
}

/** Replaces the items with the same id and appends the new ones. */
function upsert<T extends { id: string }>(list: T[], changed: T[]): T[] {
  if (changed.length === 0) return list;
  const byId = new Map(changed.map((c) => [c.id, c]));
  const next = list.map((item) => {
    const c = byId.get(item.id);
    if (c) byId.delete(item.id);
    return c ?? item;
  });
  return next.concat([...byId.values()]);
}
