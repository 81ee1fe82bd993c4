// The MAIN world's queue: hooks push cheap thunks (a few fields and references); the real work
// (previews, sizes, listener analysis, JSON) runs later, off the page's call, in batches of 200:
// when the page is idle (requestIdleCallback), at the latest 250 ms after an event came. So a
// burst of messages is delivered first and recorded after. The queue is bounded, and so is the
// rate (the bridge's, rate-limit.ts): beyond either, events are counted as dropped, never kept or
// built, so a flood costs the page little more than the count. Batches are posted at most 10 in
// any second, half the rate the bridge forwards: a page whose events come a few at a time, each in
// its own idle period, would otherwise post more than it forwards, and the bridge would drop
// whole batches. When the document is hidden (a hidden tab may get no idle time, and may be
// discarded without pagehide) and on pagehide, the queue is drained at once in batches as large
// as the bridge reads, as many as it still forwards in that second; on pagehide what does not fit
// is counted as dropped, in the last of them. Nothing here calls a method the page could replace:
// the queue is an array without a prototype, the batch is written by wire.ts.
import type { PageEvent } from '../core/page/records';
import type { MainChannel } from './channel';
import { N, call, create, list } from './native';
import { MAIN_BATCHES_PER_SECOND, MAX_BATCH_CHARS, MAX_BATCH_EVENTS, MAX_BATCHES_PER_SECOND, PAGE_EVENT_RATE, RecentPosts, TokenBucket } from './rate-limit';
import { BatchWriter } from './wire';

/**
 * An event's record, built when its batch is. A hook makes it in a function of its own, called
 * only once `admit` let the event in: a closure written in the hook itself would have the engine
 * make its scope each time the hook runs, for the events over the rate too.
 */
export type Thunk = () => PageEvent | null;

const FLUSH_MS = 250;
const BATCH = 200;
const MAX_QUEUE = 5000;
/** Idle time left below which no further batch is started. */
const IDLE_MARGIN_MS = 2;
// At most 10 in any second, half the bridge's rate: below its 20 even when their delivery bunches up.
const POSTS_PER_SECOND = MAX_BATCHES_PER_SECOND / 2;
const POST_WAIT_MS = 1000 / POSTS_PER_SECOND;
// A drain fills the MAIN world's share of the bridge's second, less one for a post delivered late.
const DRAIN_POSTS = MAIN_BATCHES_PER_SECOND - 1;
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
  private posts = new RecentPosts(DRAIN_POSTS);
  private writer = new BatchWriter();
  private scheduled = false;

  // Capture listeners on the window registered at document_start, as the page cannot tell. Only
  // the browser's pagehide counts the rest (one the page dispatches is no unload: isTrusted is the
  // event's own unforgeable property); the document's state is read with the saved getter.
  constructor(private channel: MainChannel) {
    const onPageHide = (event: Event): void => {
      if (event.isTrusted) this.drain(true);
    };
    const onVisibility = (): void => {
      if (call(N.visibilityState, N.document) === 'hidden') this.drain(false);
    };
    call(N.addEventListener, N.window, 'pagehide', onPageHide, true);
    call(N.addEventListener, N.window, 'visibilitychange', onVisibility, true);
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
        if (this.posts.inLastSecond(N.now()) >= POSTS_PER_SECOND) {
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

  /**
   * Posts what waits in batches of MAX_BATCH_EVENTS, as many as the bridge still forwards in this
   * second; `final` (pagehide): the last of them counts what did not fit as dropped, and is posted
   * even when the second is full (the bridge forwards 20, the MAIN world keeps to 16).
   */
  private drain(final: boolean): void {
    try {
      const now = N.now();
      let posts = DRAIN_POSTS - this.posts.inLastSecond(now);
      if (final && posts < 1) posts = 1;
      for (let i = 0; i < posts && (this.tail > this.head || this.dropped > 0); i++) this.flush(MAX_BATCH_EVENTS, final && i === posts - 1);
    } catch {
      // never let our bookkeeping reach the page
    }
  }

  /** Builds and posts one batch (at most `max` events); `countRest`: what is left is counted as dropped. */
  flush(max = BATCH, countRest = false): void {
    try {
      const q = this.queue;
      const waiting = this.tail - this.head;
      if (waiting === 0 && this.dropped === 0) return;
      const end = this.head + (waiting < max ? waiting : max);
      const batch = this.writer;
      while (this.head < end && batch.length < MAX_BATCH_CHARS) {
        const thunk = q[this.head]!;
        q[this.head++] = undefined;
        try {
          const e = thunk();
          if (e) batch.add(e);
        } catch {
          this.dropped++;
        }
      }
      if (countRest) {
        this.dropped += this.tail - this.head;
        this.head = this.tail;
      }
      if (this.head === this.tail) {
        this.queue = list();
        this.head = this.tail = 0;
      }
      if (this.dropped > 0) {
        batch.add({ k: 'dropped', n: this.dropped } satisfies PageEvent);
        this.dropped = 0;
      }
      if (batch.size > 0) {
        this.channel.post(batch.end());
        this.posts.add(N.now());
      }
    } catch {
      // never let our bookkeeping reach the page
    }
  }
}
