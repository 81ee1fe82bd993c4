// The MAIN world's queue: hooks push cheap thunks (a few fields and references); the real work
// (previews, sizes, listener analysis, JSON) runs later, off the page's call, in batches of 200:
// when the page is idle (requestIdleCallback), at the latest 250 ms after an event came, and on
// pagehide. So a burst of messages is delivered first and recorded after. The queue is bounded,
// and so is the rate (the bridge's, rate-limit.ts): beyond either, events are counted as dropped,
// never kept or built, so a flood costs the page little more than the count. Nothing here calls a
// method the page could replace: the queue is an array without a prototype, the batch is
// written by wire.ts.
import type { PageEvent } from '../core/page/records';
import type { MainChannel } from './channel';
import { N, call, create, list } from './native';
import { PAGE_EVENT_RATE, TokenBucket } from './rate-limit';
import { BatchWriter } from './wire';

export type Thunk = () => PageEvent | null;

const FLUSH_MS = 250;
const BATCH = 200;
const MAX_QUEUE = 5000;
/** Idle time left below which no further batch is started. */
const IDLE_MARGIN_MS = 2;
// Without a prototype: the native reads `timeout` from it, and nothing of the page's.
const IDLE = create(null) as IdleRequestOptions;
IDLE.timeout = FLUSH_MS;

const slots = (): (Thunk | undefined)[] => list();

export class Recorder {
  // queue[head] .. queue[tail - 1]; both go back to 0 whenever it empties.
  private queue = slots();
  private head = 0;
  private tail = 0;
  private dropped = 0;
  private bucket = new TokenBucket(PAGE_EVENT_RATE.burst, PAGE_EVENT_RATE.perSecond);
  private writer = new BatchWriter();
  private scheduled = false;

  constructor(private channel: MainChannel) {
    const flushAll = (): void => {
      while (this.tail > this.head) this.flush();
    };
    call(N.addEventListener, N.window, 'pagehide', flushAll, true);
  }

  /** Queues an event, or counts it as dropped when over the rate or the queue's bound. */
  push(thunk: Thunk): void {
    if (this.admit(N.now())) this.add(thunk);
  }

  /**
   * Whether an event that happened at `now` may be queued (then `add` it); when not, it is counted
   * as dropped. Hot paths ask first, so a flood over the rate allocates nothing per event.
   */
  admit(now: number): boolean {
    if (!this.scheduled) this.schedule();
    if (this.tail - this.head >= MAX_QUEUE || !this.bucket.take(now)) {
      this.dropped++;
      return false;
    }
    return true;
  }

  /** Queues an event `admit` let in. */
  add(thunk: Thunk): void {
    this.queue[this.tail++] = thunk;
  }

  private schedule(): void {
    this.scheduled = true;
    if (N.requestIdleCallback) N.requestIdleCallback(this.onIdle, IDLE);
    else N.setTimeout(this.onIdle, FLUSH_MS);
  }

  // One batch at least, then more while the page stays idle; the rest at the next idle time.
  private onIdle = (deadline?: IdleDeadline): void => {
    this.scheduled = false;
    try {
      do this.flush();
      while (this.tail > this.head && deadline && N.idleTimeRemaining && call(N.idleTimeRemaining, deadline) > IDLE_MARGIN_MS);
    } catch {
      // never let our bookkeeping reach the page
    }
    if (this.tail > this.head) this.schedule();
  };

  /** Builds and posts one batch (at most BATCH events). */
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
    } catch {
      // never let our bookkeeping reach the page
    }
  }
}
