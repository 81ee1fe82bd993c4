// The cookie verdict in the background: nothing is read while requests come, then one jar read
// per site for the requests that finished, and the records go to the panel with their verdict.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Collector } from '../../../src/background/collector';
import type { JarReader } from '../../../src/background/cookie-jar';
import { CookieReader } from '../../../src/background/cookie-reader';
import { PageEventStore } from '../../../src/background/page-events';
import type { SessionStore } from '../../../src/background/persist';
import type { JarCookie } from '../../../src/core/cookies/verdict';
import type { NetEvent } from '../../../src/core/net/events';

const T = Date.UTC(2026, 10, 28);
const APP = 'https://app.lab.test';
const store = { load: async () => new Map(), save: async () => undefined, deleteTab: async () => undefined } as unknown as SessionStore;

/**
 * A jar that counts its reads; `cookies` null plays a cookies API that refuses; `added` are the
 * cookies added to it after the jar began, with when.
 */
function fakeJar(cookies: JarCookie[] | null, added: { name: string; domain: string; at: number }[] = []) {
  const reads: string[] = [];
  const jar: JarReader = {
    stores: async () => new Map([[1, 'store-1']]),
    read: async (domain, storeId) => {
      reads.push(`${domain} ${storeId}`);
      return cookies && cookies.filter((c) => c.domain.endsWith(domain));
    },
    added: (domain) => added.filter((a) => a.domain.endsWith(domain)),
  };
  return { jar, reads };
}

function request(id: string, url: string, type = 'xmlhttprequest', cookie?: string): NetEvent[] {
  const about = { id, tabId: 1, time: T };
  return [
    { kind: 'request', ...about, frameId: 0, parentFrameId: -1, url, method: 'GET', type, initiator: type === 'main_frame' ? null : APP, documentUrl: null },
    { kind: 'send-headers', ...about, headers: [{ name: 'Origin', value: APP }, ...(cookie ? [{ name: 'Cookie', value: cookie }] : [])] },
    { kind: 'headers', ...about, status: 200, statusLine: 'HTTP/1.1 200 OK', headers: [{ name: 'Access-Control-Allow-Origin', value: APP }, { name: 'Access-Control-Allow-Credentials', value: 'true' }] },
    { kind: 'complete', ...about, status: 200, fromCache: false, ip: null },
  ];
}

async function collect(cookies: JarCookie[] | null, added: { name: string; domain: string; at: number }[] = []) {
  vi.useFakeTimers();
  const { jar, reads } = fakeJar(cookies, added);
  const collector = new Collector('chromium', store, new PageEventStore(), { panelOpened: () => undefined, panelClosed: () => undefined }, new CookieReader('chromium', jar));
  await collector.restore();
  for (const e of [...request('page', `${APP}/`, 'main_frame'), ...request('a', 'https://api.other.test/me', 'xmlhttprequest', 'chips=1'), ...request('b', 'https://api.other.test/feed'), ...request('c', 'https://api.lab.test/me')]) {
    collector.enqueue(e);
  }
  return { collector, reads };
}

const held = (name: string, partitionKey: string | null, sameSite: JarCookie['sameSite'] = 'none'): JarCookie => ({ name, domain: 'api.other.test', hostOnly: true, path: '/', secure: true, sameSite, partitionKey });

describe('CookieReader', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the jar once requests are quiet, once per site, and gives each finished request its verdict', async () => {
    const { collector, reads } = await collect([held('chips', 'https://lab.test'), held('sid', null)]);
    await vi.advanceTimersByTimeAsync(200);
    expect(reads).toEqual([]);
    expect(collector.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads.sort()).toEqual(['lab.test store-1', 'other.test store-1']);
    const records = collector.snapshot(1)!.records;
    const cookies = (id: string) => records.find((r) => r.id === id)?.cookies;
    expect(cookies('a')).toEqual({ sent: [{ name: 'chips', partitioned: true }], withheld: [{ name: 'sid', reason: 'ThirdPartyPhaseout' }], set: [] });
    expect(cookies('b')?.withheld.map((w) => w.name)).toEqual(['chips', 'sid']);
    expect(cookies('c')).toEqual({ sent: [], withheld: [], set: [] });
    // The verdicts are then sent and kept like any change.
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.settled).toBe(true);
  });

  it('does not hold back a cookie added to the jar after the request started (a page script\'s, another tab\'s)', async () => {
    const { collector } = await collect([held('chips', 'https://lab.test'), held('sid', null), held('late', null)], [
      { name: 'late', domain: 'api.other.test', at: T + 5 },
      { name: 'sid', domain: 'api.other.test', at: T - 5 },
    ]);
    await vi.advanceTimersByTimeAsync(1200);
    const b = collector.snapshot(1)!.records.find((r) => r.id === 'b');
    expect(b?.cookies?.withheld.map((w) => w.name)).toEqual(['chips', 'sid']);
  });

  it('says the jar is unknown when the cookies API refuses, and still names the cookies sent', async () => {
    const { collector } = await collect(null);
    await vi.advanceTimersByTimeAsync(1200);
    const a = collector.snapshot(1)!.records.find((r) => r.id === 'a');
    expect(a?.cookies).toEqual({ sent: [{ name: 'chips', partitioned: false }], withheld: [], set: [], unknown: ['jar'] });
  });
});
