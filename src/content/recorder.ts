// The MAIN world's queue: hooks push cheap thunks (a few fields and references); the real work
// (previews, sizes, listener analysis, JSON) runs later, off the page's call, in batches of 200:
// when the page is idle (requestIdleCallback), at the latest 250 ms after an event came, and on
// pagehide. So a burst of messages is delivered first and recorded after. The queue is bounded,
// and so is the rate (the bridge's, rate-limit.ts): beyond either, events are counted as dropped,
// never kept or built, so a flood costs the page little more than the count. Batches are posted
// at half the rate the bridge forwards: a page whose events come a few at a time, each in its own
// idle period, would otherwise post more than it forwards, and the bridge would drop whole
// batches. Nothing here calls a method the page could replace: the queue is an array without a
// prototype, the batch is written by wire.ts.
import type { PageEvent } from '../core/page/records';
import type { MainChannel } from './channel';
import { N, call, create, list } from './native';
import { MAX_BATCHES_PER_SECOND, PAGE_EVENT_RATE, TokenBucket } from './rate-limit';
import { BatchWriter } from './wire';

export type Thunk = () => PageEvent | null;

const FLUSH_MS = 250;
const BATCH = 200;
const MAX_QUEUE = 5000;
/** Idle time left below which no further batch is started. */
const IDLE_MARGIN_MS = 2;
// A few batches at once (a burst drains quickly), then half the bridge's rate: in any second the
// bridge counts at most 5 + 10 of ours, below its 20 even when their delivery bunches up.
const POSTS_PER_SECOND = MAX_BATCHES_PER_SECOND / 2;
const POST_BURST = 5;
const POST_WAIT_MS = 1000 / POSTS_PER_SECOND;
// Without a prototype: the native reads `timeout` from it, and nothing of the page's.
const IDLE = create(null) as IdleRequestOptions;
IDLE.timeout = FLUSH_MS;

export class Recorder {
  // queue[head] .. queue[tail - 1]; both go back to 0 whenever it empties.
  private queue = list<Thunk | undefined>();
  private head = 0;
  private tail = 0;
  private dropped = 0;
  private bucket = new TokenBucket(PAGE_EVENT_RATE.burst, PAGE_EVENT_RATE.perSecond);
  private posts = new TokenBucket(POST_BURST, POSTS_PER_SECOND);
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

  /** At the next idle time, or after `wait` ms when posting must wait for the rate. */
  private schedule(wait = 0): void {
    this.scheduled = true;
    if (wait > 0 || !N.requestIdleCallback) N.setTimeout(this.onIdle, wait || FLUSH_MS);
    else N.requestIdleCallback(this.onIdle, IDLE);
  }

  // A batch, then more while the page stays idle; the rest at the next idle time, or once the
  // rate allows another post.
  private onIdle = (deadline?: IdleDeadline): void => {
    this.scheduled = false;
    let wait = 0;
    try {
      for (;;) {
        if (!this.posts.take(N.now())) {
          wait = POST_WAIT_MS;
          break;
        }
        this.flush();
        if (this.tail === this.head || !deadline || !N.idleTimeRemaining || call(N.idleTimeRemaining, deadline) <= IDLE_MARGIN_MS) break;
      }
    } catch {
      // never let our bookkeeping reach the page
    }
    if (this.tail > this.head || this.dropped > 0) this.schedule(wait);
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
        this.queue = list();
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
