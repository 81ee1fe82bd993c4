// The MAIN world's queue: hooks push cheap thunks (a few fields and references); the real work
// (previews, sizes, listener analysis, JSON) runs later, off the page's call, in batches: at most
// every 250 ms, sooner when 200 events wait, and on pagehide. The queue is bounded: beyond it
// events are counted as dropped, never kept.
import { serializeBatch, type PageEvent } from '../core/page/records';
import type { MainChannel } from './channel';
import { N } from './native';

export type Thunk = () => PageEvent | null;

const FLUSH_MS = 250;
const BATCH = 200;
const MAX_QUEUE = 5000;

export class Recorder {
  private queue: Thunk[] = [];
  private dropped = 0;
  private timer = false;
  private soon = false;

  constructor(private channel: MainChannel) {
    const flushAll = (): void => {
      while (this.queue.length > 0) this.flush();
    };
    N.addEventListener.call(N.window, 'pagehide', flushAll, true);
  }

  push(thunk: Thunk): void {
    const q = this.queue;
    if (q.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    q[q.length] = thunk;
    if (!this.timer) {
      this.timer = true;
      N.setTimeout(this.onTimer, FLUSH_MS);
    }
    if (q.length >= BATCH && !this.soon) {
      this.soon = true;
      N.setTimeout(this.onSoon, 0);
    }
  }

  private onTimer = (): void => {
    this.timer = false;
    this.flush();
  };

  private onSoon = (): void => {
    this.soon = false;
    this.flush();
  };

  /** Builds and posts one batch (at most BATCH events); schedules the rest. */
  flush(): void {
    try {
      const q = this.queue;
      if (q.length === 0 && this.dropped === 0) return;
      const n = q.length < BATCH ? q.length : BATCH;
      const taken = q.splice(0, n);
      const events: PageEvent[] = [];
      for (let i = 0; i < taken.length; i++) {
        try {
          const e = taken[i]!();
          if (e) events[events.length] = e;
        } catch {
          this.dropped++;
        }
      }
      if (this.dropped > 0) {
        events[events.length] = { k: 'dropped', n: this.dropped };
        this.dropped = 0;
      }
      if (events.length > 0) this.channel.post(serializeBatch(events));
      if (q.length > 0 && !this.soon) {
        this.soon = true;
        N.setTimeout(this.onSoon, 0);
      }
    } catch {
      // never let our bookkeeping reach the page
    }
  }
}
