import { list } from '../core/page/natives';
import { LIMITS } from '../core/page/records';

// How many page events a frame may hand on: a burst of 2,000, then 500 a second. The MAIN world
// applies it before building anything (what is over it is only counted), and the bridge again,
// as it trusts nothing the page world sends.
export const PAGE_EVENT_RATE = { burst: 2000, perSecond: 500 } as const;

// How many batches a frame's bridge forwards in a second; it counts the rest as dropped.
export const MAX_BATCHES_PER_SECOND = 20;

// The bridge's own batches of failed loads (load-errors.ts) go at most one in this time, so at
// most 4 a second: the MAIN world's batches keep the other 16.
export const LOAD_ERROR_WINDOW_MS = 250;
export const MAIN_BATCHES_PER_SECOND = MAX_BATCHES_PER_SECOND - 1000 / LOAD_ERROR_WINDOW_MS;

// The largest batch either world builds: as many events as the bridge reads in one, less one for
// the count of drops; and it ends once its text is this long, far below what the bridge reads, as
// one event is short.
export const MAX_BATCH_EVENTS = LIMITS.maxEventsPerBatch - 1;
export const MAX_BATCH_CHARS = LIMITS.maxBatchChars / 2;

/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. Written without Math (the page's to
 * replace): it runs in the MAIN world too.
 */
export class TokenBucket {
  private tokens: number;
  private last = 0;
  constructor(private capacity: number, private perSecond: number) {
    this.tokens = capacity;
  }
  take(now: number): boolean {
    if (this.last === 0) this.last = now;
    const tokens = this.tokens + ((now - this.last) / 1000) * this.perSecond;
    this.tokens = tokens < this.capacity ? tokens : this.capacity;
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The times of the last `size` posts: how many of them fell in the second before now. Without
 * Math or array methods, in a list without a prototype: it runs in the MAIN world.
 */
export class RecentPosts {
  private times = list<number>();
  private count = 0;
  constructor(private size: number) {}
  add(now: number): void {
    this.times[this.count++ % this.size] = now;
  }
  inLastSecond(now: number): number {
    let n = 0;
    for (let i = 0; i < this.times.length; i++) if (now - this.times[i]! < 1000) n++;
    return n;
  }
}
