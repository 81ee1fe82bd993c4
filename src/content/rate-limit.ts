// How many page events a frame may hand on: a burst of 2,000, then 500 a second. The MAIN world
// applies it before building anything (what is over it is only counted), and the bridge again,
// as it trusts nothing the page world sends.
export const PAGE_EVENT_RATE = { burst: 2000, perSecond: 500 } as const;

// How many batches a frame's bridge forwards in a second; it counts the rest as dropped.
export const MAX_BATCHES_PER_SECOND = 20;

// The bridge's own batches of failed loads (load-errors.ts) go at most one in this time, so at
// most 4 a second: the MAIN world's batches keep the other 16.
export const LOAD_ERROR_WINDOW_MS = 250;

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
