import type { LoadedLog } from '../core/log/log-file';
import { pageDropsOf } from '../core/log/session-log';
import { noPageDrops, type MessageRecord, type PageRecords, type WebSocketRecord } from '../core/page/records';
import type { BackgroundMessage, BackgroundToPanel } from '../core/protocol';
import type { NavigationMark, RequestRecord } from '../core/session/record';
import type { SessionState } from '../core/session/session';
import { RecordFilter } from './filter';
import { sameFrameFacts } from './frames';

/** The panel's copy of one session: records in arrival order, updated in place. */
export class SessionModel {
  records: RequestRecord[] = [];
  /** The requests table's filter over `records`, told of every change as it is made. */
  filter = new RecordFilter(this.records);
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
  pageDropped: PageRecords['dropped'] = noPageDrops();
  /** Bumped on every change so views know to re-filter. */
  version = 0;
  /** Bumped when the records change what the frame map says (most updates only settle verdicts). */
  framesVersion = 0;
  /** Each record's position, plus `base`: the records dropped from the front since the last reindex. */
  private index = new Map<string, number>();
  private base = 0;

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
    this.filter = new RecordFilter(this.records);
    this.version++;
    this.framesVersion++;
  }

  /** Shows an imported log in place of what the panel held: nothing of the live tab's state stays. */
  loadLog(log: LoadedLog): void {
    const { dropped } = log;
    this.load(
      { tabId: -1, pageUrl: log.pageUrl, startedAt: log.startedAt, records: log.records, navigations: log.navigations, dropped: dropped.requests, droppedForBudget: dropped.requestsForBudget },
      false,
      { messages: log.messages, websockets: log.websockets, dropped: pageDropsOf(dropped) },
    );
    this.storageFull = false;
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
      this.reindex();
      this.filter = new RecordFilter(this.records);
      this.framesVersion++;
    }
    if (message.removed.length) this.remove(message.removed);
    for (const record of message.updated) {
      const at = this.position(record.id);
      if (at === undefined) {
        this.index.set(record.id, this.base + this.records.length);
        this.records.push(record);
        this.framesVersion++;
      } else {
        const before = this.records[at]!;
        this.records[at] = record;
        this.filter.replace(at, before);
        if (!sameFrameFacts(before, record)) this.framesVersion++;
      }
    }
    this.filter.append();
    this.dropped = message.dropped;
    this.droppedForBudget = message.droppedForBudget;
    this.storageFull = message.storageFull;
    this.pageUrl = message.pageUrl;
    this.version++;
  }

  get(id: string): RequestRecord | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.records[at];
  }

  private position(id: string): number | undefined {
    const at = this.index.get(id);
    return at === undefined ? undefined : at - this.base;
  }

  /** The background evicts the oldest records first: those leave from the front, at the cost of their number. */
  private remove(ids: string[]): void {
    const gone = new Set(ids.filter((id) => this.index.has(id)));
    if (gone.size > 0) this.framesVersion++;
    let k = 0;
    while (k < this.records.length && gone.has(this.records[k]!.id)) k++;
    if (k === gone.size) {
      const dropped = this.records.splice(0, k);
      for (const r of dropped) this.index.delete(r.id);
      this.base += k;
      this.filter.dropFront(dropped);
      return;
    }
    this.records = this.records.filter((r) => !gone.has(r.id));
    this.reindex();
    this.filter = new RecordFilter(this.records);
  }

  private reindex(): void {
    this.index.clear();
    this.base = 0;
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
