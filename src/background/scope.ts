import type { NetEvent } from '../core/net/events';
import type { RecordingScope } from '../core/session/settings';
import type { PanelWatcher } from './collector';
import { observeNetwork } from './platform';

/**
 * Which tabs pay for observation. 'all': one set of listeners for every tab. 'inspected':
 * listeners filtered to each tab with an Origin Lens panel open, so other tabs pay nothing
 * (Chromium's extraHeaders listeners slow every request they see); and, while the pages of an
 * inspected tab run a service or shared worker (whose requests come outside any tab), one set
 * for requests outside any tab: Chromium cannot filter those alone, so while it is on every tab
 * pays for it, in Chromium.
 */
export class RecordedTabs implements PanelWatcher {
  private scope: RecordingScope = 'all';
  private everyTab: (() => void) | null;
  private perTab = new Map<number, () => void>();
  private tabless: (() => void) | null = null;
  /** Inspected tabs whose pages reported a service or shared worker since their panel opened: kept across their navigations, whose first requests their worker may make before the new page reports it. */
  private workerTabs = new Set<number>();
  private panels = new Map<number, number>();

  /** `runsTablessWorkers(tabId)`: the tab's pages reported a service or shared worker. */
  constructor(
    private sink: (event: NetEvent) => void,
    private runsTablessWorkers: (tabId: number) => boolean = () => false,
  ) {
    // Registered synchronously at start-up, whatever the scope: a worker woken by a request
    // must be listening before that request's events are dispatched.
    this.everyTab = observeNetwork(sink);
  }

  set(scope: RecordingScope): void {
    this.scope = scope;
    this.apply();
  }

  /** Whether the current scope records the tab's requests. */
  records(tabId: number): boolean {
    return this.scope === 'all' || this.panels.has(tabId);
  }

  /** The tab's pages reported workers: requests outside any tab may now be theirs. */
  workersChanged(tabId: number): void {
    if (!this.panels.has(tabId) || !this.runsTablessWorkers(tabId) || this.workerTabs.has(tabId)) return;
    this.workerTabs.add(tabId);
    if (this.scope === 'inspected') this.apply();
  }

  panelOpened(tabId: number): void {
    this.panels.set(tabId, (this.panels.get(tabId) ?? 0) + 1);
    this.apply();
  }

  panelClosed(tabId: number): void {
    const n = (this.panels.get(tabId) ?? 1) - 1;
    if (n > 0) this.panels.set(tabId, n);
    else {
      this.panels.delete(tabId);
      this.workerTabs.delete(tabId);
    }
    this.apply();
  }

  private apply(): void {
    if (this.scope === 'all') {
      this.everyTab ??= observeNetwork(this.sink);
      for (const stop of this.perTab.values()) stop();
      this.perTab.clear();
      this.tabless?.();
      this.tabless = null;
      return;
    }
    this.everyTab?.();
    this.everyTab = null;
    for (const [tabId, stop] of this.perTab) {
      if (this.panels.has(tabId)) continue;
      stop();
      this.perTab.delete(tabId);
    }
    for (const tabId of this.panels.keys()) {
      if (!this.perTab.has(tabId)) this.perTab.set(tabId, observeNetwork(this.sink, { tabId }));
    }
    const tabless = this.workerTabs.size > 0;
    if (tabless && !this.tabless) this.tabless = observeNetwork(this.sink, { tabId: -1 });
    else if (!tabless && this.tabless) {
      this.tabless();
      this.tabless = null;
    }
  }
}
