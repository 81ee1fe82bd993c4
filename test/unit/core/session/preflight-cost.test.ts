import { describe, expect, it } from 'vitest';
import { currentMaxAge, maxAgeAdvice, preflightCosts } from '../../../../src/core/session/preflight-cost';
import type { RequestRecord } from '../../../../src/core/session/record';
import { PAGE, record } from '../../../support/records';

const API = 'https://api.example';
const headers = (lines: Record<string, string>) => Object.entries(lines).map(([name, value]) => ({ name, value }));

/** A preflight from PAGE to `url` at `start` ms taking `ms`, answered with `status` and `maxAge` when given. */
function preflight(seq: number, url: string, start: number, ms: number, over: { status?: number | null; maxAge?: string; frameUrl?: string } = {}): RequestRecord {
  const status = over.status === undefined ? 204 : over.status;
  return record({
    seq,
    url,
    method: 'OPTIONS',
    isPreflight: true,
    startTime: start,
    endTime: start + ms,
    frameUrl: over.frameUrl ?? `${PAGE}/`,
    status,
    responseHeaders: headers({ 'Access-Control-Allow-Origin': PAGE, ...(over.maxAge === undefined ? {} : { 'Access-Control-Max-Age': over.maxAge }) }),
  });
}

describe('preflightCosts', () => {
  it('counts, totals and finds the slowest preflight per server and per page', () => {
    const costs = preflightCosts([
      preflight(0, `${API}/a`, 0, 10),
      preflight(1, `${API}/a`, 1_000, 30),
      preflight(2, 'https://other.example/b', 2_000, 5, { frameUrl: `${PAGE}/settings` }),
      record({ seq: 3, url: `${API}/a`, method: 'PUT' }),
    ]);
    expect(costs.servers.map((c) => [c.key, c.preflights, c.totalMs, c.slowestMs])).toEqual([
      [API, 2, 40, 30],
      ['https://other.example', 1, 5, 5],
    ]);
    expect(costs.pages.map((c) => [c.key, c.preflights, c.totalMs])).toEqual([
      [`${PAGE}/`, 2, 40],
      [`${PAGE}/settings`, 1, 5],
    ]);
  });

  it('counts a repeat within the cap as avoidable, the first one never', () => {
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10), preflight(1, `${API}/a`, 60_000, 20), preflight(2, `${API}/b`, 61_000, 7)]).servers;
    expect(api!.avoidable).toEqual({ chromium: 1, firefox: 1 });
    expect(api!.savableMs).toEqual({ chromium: 20, firefox: 20 });
  });

  it("applies each browser's cap: 3 hours later only Firefox's cache would still hold", () => {
    const threeHours = 3 * 3600 * 1000;
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10), preflight(1, `${API}/a`, threeHours, 20)]).servers;
    expect(api!.avoidable).toEqual({ chromium: 0, firefox: 1 });
    expect(api!.savableMs).toEqual({ chromium: 0, firefox: 20 });
  });

  it('starts no cache entry from a preflight that got no answer', () => {
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10, { status: null }), preflight(1, `${API}/a`, 100, 20)]).servers;
    expect(api!.avoidable.chromium).toBe(0);
  });

  it('keeps apart pages of other origins calling the same URL (the cache is per origin)', () => {
    const other = { ...preflight(1, `${API}/a`, 100, 20), initiatorOrigin: 'https://b.example' };
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10), other]).servers;
    expect(api!.avoidable.chromium).toBe(0);
  });

  it("reports the server's Max-Age as sent and what each browser makes of it", () => {
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10, { maxAge: '100000' }), preflight(1, `${API}/b`, 0, 10, { maxAge: '100000' })]).servers;
    expect(api!.maxAgeSent).toEqual(['100000']);
    expect([currentMaxAge(api!, 'chromium'), currentMaxAge(api!, 'firefox')]).toEqual([7200, 86400]);
    expect(maxAgeAdvice(api!)).toContain('100000 (Chromium caches 7,200 s, Firefox caches 86,400 s)');
  });

  it('says when no Max-Age was sent, and the saving at each cap', () => {
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10), preflight(1, `${API}/a`, 100, 12)]).servers;
    expect(currentMaxAge(api!, 'chromium')).toBe(5);
    expect(maxAgeAdvice(api!)).toBe(
      "Access-Control-Max-Age sent: none (Chromium caches 5 s, Firefox caches 5 s). At each browser's cap it would have saved: Chromium (cap 7,200 s) 1 preflight, 12 ms; Firefox (cap 86,400 s) 1 preflight, 12 ms.",
    );
  });

  it('lists a preflight answered without Max-Age as none, and ignores unanswered ones', () => {
    const [api] = preflightCosts([preflight(0, `${API}/a`, 0, 10, { maxAge: '600' }), preflight(1, `${API}/b`, 0, 10), preflight(2, `${API}/c`, 0, 10, { status: null })]).servers;
    expect(api!.maxAgeSent).toEqual(['600', null]);
    expect(currentMaxAge(api!, 'firefox')).toBe(5);
    expect(currentMaxAge(preflightCosts([preflight(0, `${API}/a`, 0, 10, { status: null })]).servers[0]!, 'firefox')).toBeNull();
  });

  it('leaves untimed preflights out of the times but counts them', () => {
    const untimed = { ...preflight(0, `${API}/a`, 0, 10), endTime: null };
    const [api] = preflightCosts([untimed]).servers;
    expect([api!.preflights, api!.timed, api!.totalMs]).toEqual([1, 0, 0]);
  });
});
