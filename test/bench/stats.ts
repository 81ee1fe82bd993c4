/**
 * The mean of the middle half of `xs`: it leaves out the slowest and fastest rounds as a median
 * does, and reads finer than one reading of Chromium's clock (100 µs, with random jitter) as a
 * mean does.
 */
export function interquartileMean(xs: number[]): number {
  const sorted = xs.slice().sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
  return middle.reduce((a, b) => a + b, 0) / middle.length;
}
