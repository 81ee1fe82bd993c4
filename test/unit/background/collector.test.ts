import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { Collector } from '../../../src/background/collector';
import { PageEventStore } from '../../../src/background/page-events';
import type { SessionStore } from '../../../src/background/persist';
import type { SessionState } from '../../../src/core/session';
import { syntheticRecords } from '../../support/records';

type Kept = Awaited<ReturnType<SessionStore['load']>>;

/** A store whose kept sessions come back when the test says so, as IndexedDB's may come late. */
function slowStore() {
  let release!: (kept: Kept) => void;
  const loaded = new Promise<Kept>((resolve) => (release = resolve));
  const store = { load: () => loaded, save: async () => undefined, deleteTab: async () => undefined } as unknown as SessionStore;
  return { store, release };
}

/** A panel's port: what the collector sends it, and a way to say something to the collector. */
function panelPort() {
  const sent: { type: string; session?: SessionState }[] = [];
  const onMessage: ((m: unknown) => void)[] = [];
  const port = {
    name: 'origin-lens-panel',
    postMessage: (m: { type: string }) => sent.push(m),
    onMessage: { addListener: (f: (m: unknown) => void) => onMessage.push(f) },
    onDisconnect: { addListener: () => undefined },
  } as unknown as Runtime.Port;
  return { port, sent, say: (m: unknown) => onMessage.forEach((f) => f(m)) };
}

describe('Collector', () => {
  it('sends a panel that subscribes while the worker wakes its snapshot only once the kept records are back', async () => {
    const { store, release } = slowStore();
    const collector = new Collector('chromium', store, new PageEventStore(), { panelOpened: () => undefined, panelClosed: () => undefined });
    const restoring = collector.restore();
    const panel = panelPort();
    collector.connect(panel.port);
    panel.say({ type: 'subscribe', tabId: 1 });
    await Promise.resolve();
    expect(panel.sent).toEqual([]);

    const records = syntheticRecords(3);
    const state: SessionState = { tabId: 1, pageUrl: 'https://app.example/', startedAt: 0, records, navigations: [], dropped: 0 };
    release(new Map([[1, { state, preserveLog: false, page: null }]]));
    await restoring;
    await Promise.resolve();
    expect(panel.sent.map((m) => m.type)).toEqual(['snapshot']);
    expect(panel.sent[0]!.session!.records.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
  });
});
