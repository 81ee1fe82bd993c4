import type { BackgroundMessage } from '../core/protocol';
import type { NavigationMark, RequestRecord } from '../core/record';
import type { SessionState } from '../core/session';

/** The panel's copy of one session: records in arrival order, updated in place. */
export class SessionModel {
  records: RequestRecord[] = [];
  navigations: NavigationMark[] = [];
  pageUrl: string | null = null;
  dropped = 0;
  preserveLog = false;
  /** Bumped on every change so views know to re-filter. */
  version = 0;
  private index = new Map<string, number>();

  load(session: SessionState, preserveLog: boolean): void {
    this.records = session.records.slice().sort((a, b) => a.seq - b.seq);
    this.navigations = session.navigations;
    this.pageUrl = session.pageUrl;
    this.dropped = session.dropped;
    this.preserveLog = preserveLog;
    this.reindex();
    this.version++;
  }

  apply(message: BackgroundMessage): void {
    if (message.type === 'snapshot') {
      this.load(message.session, message.preserveLog);
      return;
    }
    if (message.reset) {
      this.records = [];
      this.navigations = [];
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
