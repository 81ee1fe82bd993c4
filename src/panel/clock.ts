/** A wall-clock time to the millisecond (HH:MM:SS.mmm): frames and messages come in bursts. */
export function clock(time: number): string {
  const d = new Date(time);
  if (!Number.isFinite(d.getTime())) return '?';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
