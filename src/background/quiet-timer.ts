/**
 * Runs `run` once `touch()` has not been called for `quietMs`, and at the latest `maxMs` after
 * the first touch since the last run (never before `earliest()`). One timer: a touch only notes
 * the time, and a timer that fires early is armed again for the rest. Re-arming on every touch
 * cost a clearTimeout and a setTimeout per batch of events (in Firefox, about 8 ms of a load of
 * 500 requests).
 */
export class QuietTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private first: number | null = null;
  private last = 0;

  constructor(
    private readonly quietMs: number,
    private readonly maxMs: number,
    private readonly run: () => void,
    private readonly earliest: () => number = () => 0,
  ) {}

  /** A run is due or on its way. */
  get pending(): boolean {
    return this.timer !== null;
  }

  touch(): void {
    const now = Date.now();
    this.first ??= now;
    this.last = now;
    if (this.timer === null) this.arm(now);
  }

  /** When the run is due, as the touches so far have it. */
  private due(): number {
    return Math.max(Math.min(this.last + this.quietMs, this.first! + this.maxMs), this.earliest());
  }

  private arm(now: number): void {
    this.timer = setTimeout(this.fire, Math.max(0, this.due() - now));
  }

  private readonly fire = (): void => {
    const now = Date.now();
    if (this.due() > now) {
      this.arm(now);
      return;
    }
    this.timer = null;
    this.first = null;
    this.run();
  };
}
