/** A token bucket: `capacity` tokens, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last = 0;
  constructor(private capacity: number, private perSecond: number) {
    this.tokens = capacity;
  }
  take(now: number): boolean {
    if (this.last === 0) this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
