import type { NetEvent } from '../core/net/events';
import type { RecordingScope } from '../core/session/settings';
import type { PanelWatcher } from './collector';
import { observeNetwork } from './platform';

/**
 * Which tabs pay for observation. 'all': one set of listeners for every tab. 'inspected':
 * listeners filtered to each tab with an Origin Lens panel open, so other tabs pay nothing
 * (Chromium's extraHeaders listeners slow every request they see).
 */
export class RecordedTabs implements PanelWatcher {
  private scope: RecordingScope = 'all';
  private everyTab: (() => void) | null;
  private perTab = new Map<number, () => void>();
  private panels = new Map<number, number>();

  constructor(private sink: (event: NetEvent) => void) {
    // Registered synchronously at start-up, whatever the scope: a worker woken by a request
    // must be listening before that request's events are dispatched.
    this.everyTab = observeNetwork(sink);
  }

  set(scope: RecordingScope): void {
    this.scope = scope;
    this.apply();
  }

  panelOpened(tabId: number): void {
    this.panels.set(tabId, (this.panels.get(tabId) ?? 0) + 1);
    this.apply();
  }

  panelClosed(tabId: number): void {
    const n = (this.panels.get(tabId) ?? 1) - 1;
    if (n > 0) this.panels.set(tabId, n);
    else this.panels.delete(tabId);
    this.apply();
  }

  private apply(): void {
    if (this.scope === 'all') {
      this.everyTab ??= observeNetwork(this.sink);
      for (const stop of this.perTab.values()) stop();
      this.perTab.clear();
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
  }
}
