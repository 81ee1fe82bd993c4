// The MAIN world's queue: hooks push cheap thunks (a few fields and references); the real work
// (previews, sizes, listener analysis, JSON) runs later, off the page's call, in batches: at most
// every 250 ms, sooner when 200 events wait, and on pagehide. The queue is bounded, and so is the
// rate (the bridge's, rate-limit.ts): beyond either, events are counted as dropped, never kept or
// built, so a flood costs the page little more than the count. Nothing here calls a method the
// page could replace: the queue is an object without a prototype, the batch is written by wire.ts.
import type { PageEvent } from '../core/page/records';
import type { MainChannel } from './channel';
import { N, call, create } from './native';
import { PAGE_EVENT_RATE, TokenBucket } from './rate-limit';
import { BatchWriter } from './wire';

export type Thunk = () => PageEvent | null;

const FLUSH_MS = 250;
const BATCH = 200;
const MAX_QUEUE = 5000;

type Slots = Record<number, Thunk | undefined>;
const slots = (): Slots => create(null) as Slots;

export class Recorder {
  // queue[head] .. queue[tail - 1]; both go back to 0 whenever it empties.
  private queue = slots();
  private head = 0;
  private tail = 0;
  private dropped = 0;
  private bucket = new TokenBucket(PAGE_EVENT_RATE.burst, PAGE_EVENT_RATE.perSecond);
  private writer = new BatchWriter();
  private timer = false;
  private soon = false;

  constructor(private channel: MainChannel) {
    const flushAll = (): void => {
      while (this.tail > this.head) this.flush();
    };
    call(N.addEventListener, N.window, 'pagehide', flushAll, true);
  }

  push(thunk: Thunk): void {
    const waiting = this.tail - this.head;
    if (!this.timer) {
      this.timer = true;
      N.setTimeout(this.onTimer, FLUSH_MS);
    }
    if (waiting >= MAX_QUEUE || !this.bucket.take(N.now())) {
      this.dropped++;
      return;
    }
    this.queue[this.tail++] = thunk;
    if (waiting + 1 >= BATCH && !this.soon) {
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
      const waiting = this.tail - this.head;
      if (waiting === 0 && this.dropped === 0) return;
      const end = this.head + (waiting < BATCH ? waiting : BATCH);
      const batch = this.writer;
      while (this.head < end) {
        const thunk = q[this.head]!;
        q[this.head++] = undefined;
        try {
          const e = thunk();
          if (e) batch.add(e);
        } catch {
          this.dropped++;
        }
      }
      if (this.head === this.tail) {
        this.queue = slots();
        this.head = this.tail = 0;
      }
      if (this.dropped > 0) {
        batch.add({ k: 'dropped', n: this.dropped } satisfies PageEvent);
        this.dropped = 0;
      }
      if (batch.size > 0) this.channel.post(batch.end());
      if (this.tail > this.head && !this.soon) {
        this.soon = true;
        N.setTimeout(this.onSoon, 0);
      }
    } catch {
      // never let our bookkeeping reach the page
    }
  }
}
