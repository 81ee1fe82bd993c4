// RecordedTabs with webRequest faked: which listener sets it keeps registered for each scope.
import { describe, expect, it, vi } from 'vitest';
import type { NetworkFilter } from '../../../src/background/platform';

const live = vi.hoisted(() => new Set<string>());
vi.mock('../../../src/background/platform', () => ({
  observeNetwork: (_sink: unknown, filter: NetworkFilter = {}) => {
    const name = filter.tabId === undefined ? 'every tab' : filter.tabId === -1 ? 'outside tabs' : `tab ${filter.tabId}`;
    live.add(name);
    return () => live.delete(name);
  },
}));
const { RecordedTabs } = await import('../../../src/background/scope');

describe('RecordedTabs', () => {
  it("'inspected' listens to the inspected tabs, and outside any tab only while one of them runs a service or shared worker", () => {
    live.clear();
    const workers = new Set<number>();
    const tabs = new RecordedTabs(() => undefined, (tabId) => workers.has(tabId));
    const listening = () => [...live].sort();
    expect(listening()).toEqual(['every tab']);
    expect([tabs.records(1), tabs.records(2)]).toEqual([true, true]);

    tabs.set('inspected');
    expect(listening()).toEqual([]);
    tabs.panelOpened(1);
    tabs.panelOpened(2);
    expect(listening()).toEqual(['tab 1', 'tab 2']);
    expect([tabs.records(1), tabs.records(3)]).toEqual([true, false]);

    // A worker in an inspected tab: requests outside any tab may be its.
    workers.add(2);
    tabs.workersChanged(2);
    expect(listening()).toEqual(['outside tabs', 'tab 1', 'tab 2']);
    // Its page navigates: the new page has not reported its worker yet, which may already fetch.
    workers.delete(2);
    tabs.panelOpened(1);
    expect(listening()).toEqual(['outside tabs', 'tab 1', 'tab 2']);
    tabs.panelClosed(1);
    workers.add(2);
    tabs.panelClosed(2);
    expect(listening()).toEqual(['tab 1']);
    expect(tabs.records(2)).toBe(false);
    // One in a tab nobody inspects: nothing more.
    workers.add(3);
    tabs.workersChanged(3);
    expect(listening()).toEqual(['tab 1']);

    tabs.panelOpened(2);
    expect(listening()).toEqual(['tab 1', 'tab 2']);
    tabs.workersChanged(2);
    expect(listening()).toEqual(['outside tabs', 'tab 1', 'tab 2']);
    tabs.set('all');
    expect(listening()).toEqual(['every tab']);
    expect(tabs.records(3)).toBe(true);
  });
});
