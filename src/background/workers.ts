import browser from 'webextension-polyfill';
import type { NetEvent } from '../core/net/events';
import { WorkerDirectory } from '../core/session/worker';
import type { PageChange } from './page-events';

/** Most worker requests followed at once; beyond it the oldest stop being followed. */
const MAX_ROUTES = 2000;

/**
 * Gives workers' requests to the tabs whose pages they serve, in front of the collector. The
 * browsers report a service worker's and a shared worker's requests with `tabId: -1`: such a
 * request goes to the tabs its worker belongs to (core/session/worker.ts decides which), marked
 * as the worker's, and so do its later events. A dedicated worker's requests come with their
 * tab's id; where the browser names the worker's script as their document (Firefox), they are
 * marked too.
 */
export class WorkerAttribution {
  private directory = new WorkerDirectory();
  /** The tabs each followed worker request went to, by request id, oldest first. */
  private routes = new Map<string, number[]>();

  /** `recorded(tabId)`: whether the recording scope takes the tab's requests (only those tabs get a worker's). */
  constructor(
    private sink: (event: NetEvent) => void,
    private recorded: (tabId: number) => boolean = () => true,
  ) {}

  /** The webRequest sink: every event of every request passes here, so it stays cheap. */
  readonly route = (event: NetEvent): void => {
    if (event.tabId >= 0) this.tabEvent(event);
    else if (event.kind === 'request' && !this.routes.has(event.id)) this.start(event);
    else this.follow(event);
  };

  /** What a page's hooks reported of its workers. */
  pageChanged(tabId: number, change: PageChange): void {
    for (const report of change.workers) this.directory.report(tabId, report);
  }

  /** Whether the tab's pages reported a service or shared worker, whose requests come outside any tab. */
  runsTablessWorkers(tabId: number): boolean {
    return this.directory.runsTablessWorkers(tabId);
  }

  tabClosed(tabId: number): void {
    this.directory.forget(tabId);
  }

  /** Learns the documents of the tabs already open (after an install, or a restart of the background). */
  async learnOpenTabs(): Promise<void> {
    for (const tab of await browser.tabs.query({})) {
      if (tab.id === undefined) continue;
      const frames = (await browser.webNavigation.getAllFrames({ tabId: tab.id })) ?? [];
      // The top frame first: it starts the tab's list afresh.
      for (const frame of frames.sort((a, b) => a.frameId - b.frameId)) this.directory.document(tab.id, frame.frameId, frame.url);
    }
  }

  private tabEvent(event: NetEvent): void {
    if (event.kind === 'request') {
      if (event.type === 'main_frame' || event.type === 'sub_frame') this.directory.document(event.tabId, event.frameId, event.url);
      const worker = this.directory.dedicated(event.tabId, event.documentUrl);
      // The frame's document, not the worker's script, is where the record shows.
      if (worker) return this.sink({ ...event, documentUrl: null, worker });
    }
    this.sink(event);
  }

  private start(event: Extract<NetEvent, { kind: 'request' }>): void {
    const owners = this.directory.owners(event.documentUrl, event.initiator, event.time, this.recorded);
    if (owners === null) return;
    this.routes.set(event.id, owners.tabs);
    if (this.routes.size > MAX_ROUTES) this.routes.delete(this.routes.keys().next().value!);
    // Shown under each tab's top frame: the worker serves the page, not one frame of it.
    for (const tabId of owners.tabs) this.sink({ ...event, tabId, frameId: 0, parentFrameId: -1, documentUrl: null, worker: owners.worker });
  }

  private follow(event: NetEvent): void {
    const tabs = this.routes.get(event.id);
    if (tabs === undefined) return;
    for (const tabId of tabs) this.sink({ ...event, tabId });
    if (event.kind === 'complete' || event.kind === 'error') this.routes.delete(event.id);
  }
}
