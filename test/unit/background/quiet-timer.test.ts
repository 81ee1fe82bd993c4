import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuietTimer } from '../../../src/background/quiet-timer';

describe('QuietTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once touches have stopped for the quiet time', async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const timer = new QuietTimer(500, 5000, () => runs.push(Date.now()));
    const t0 = Date.now();
    timer.touch();
    await vi.advanceTimersByTimeAsync(300);
    timer.touch();
    await vi.advanceTimersByTimeAsync(499);
    expect([runs, timer.pending]).toEqual([[], true]);
    await vi.advanceTimersByTimeAsync(1);
    expect([runs, timer.pending]).toEqual([[t0 + 800], false]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toHaveLength(1);
  });

  it('runs at the latest the longest wait after the first touch, however often it is touched', async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const timer = new QuietTimer(500, 2000, () => runs.push(Date.now()));
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) {
      timer.touch();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(runs).toEqual([t0 + 2000]);
    // The touches after that run start the next wait.
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([t0 + 2000, t0 + 3400]);
  });

  it('never runs before the earliest time it is given', async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const t0 = Date.now();
    let earliest = t0 + 3000;
    const timer = new QuietTimer(500, 5000, () => runs.push(Date.now()), () => earliest);
    timer.touch();
    await vi.advanceTimersByTimeAsync(2999);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([t0 + 3000]);
    earliest = 0;
    timer.touch();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([t0 + 3000, t0 + 3500]);
  });
});
