import browser, { type Runtime } from 'webextension-polyfill';
import { answerRequest, PANEL_PORT, PROTOCOL_VERSION, type BackgroundStatus, type RequestHandlers } from '../core/protocol';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from '../core/session/settings';
import { Collector } from './collector';
import { CookieJar } from './cookie-jar';
import { CookieReader } from './cookie-reader';
import { PageEventStore } from './page-events';
import { SessionStore } from './persist';
import { RecordedTabs } from './scope';
import { WorkerAttribution } from './workers';

const BROWSER = __BROWSER__;
const pages = new PageEventStore();
// Listeners are registered synchronously on start-up (in RecordedTabs' constructor): a worker
// woken by a request must have them in place before that request's events are dispatched.
// Events come later than this script's end, so the collector exists by then; they queue
// until kept sessions are restored. The collector tells recordedTabs which panels are open.
const workers: WorkerAttribution = new WorkerAttribution((event) => collector.enqueue(event), (tabId): boolean => recordedTabs.records(tabId));
const recordedTabs: RecordedTabs = new RecordedTabs(workers.route, (tabId) => workers.runsTablessWorkers(tabId));
const collector = new Collector(BROWSER, new SessionStore(), pages, recordedTabs, new CookieReader(BROWSER, new CookieJar(BROWSER)));
pages.onChange((tabId, change) => {
  workers.pageChanged(tabId, change);
  if (change.workers.length > 0) recordedTabs.workersChanged(tabId);
});
void workers.learnOpenTabs().catch(() => undefined);
browser.tabs.onRemoved.addListener((tabId) => {
  collector.tabClosed(tabId);
  workers.tabClosed(tabId);
});
// A popup's opener, for the Cross-Origin-Opener-Policy check of the popup's first document.
browser.webNavigation.onCreatedNavigationTarget.addListener((d) => collector.openedFrom(d.tabId, d.sourceTabId, d.sourceFrameId));
// The toolbar button opens the inspector for the tab it was clicked on, in a tab of its own.
browser.action.onClicked.addListener((tab) => {
  if (tab.id !== undefined) void browser.tabs.create({ url: browser.runtime.getURL(`panel.html?tabId=${tab.id}`), index: tab.index + 1 });
});
browser.runtime.onConnect.addListener((port) => {
  if (port.name === PANEL_PORT) collector.connect(port);
});
const requests: RequestHandlers<Runtime.MessageSender> = {
  status: () => status(),
  'set-settings': ({ settings }) => changeSettings(settings).then(status),
  session: ({ tabId }) => collector.snapshot(tabId),
  // The page hooks' bridge: it names no tab or frame itself, the sender (the browser) does.
  'page-events': ({ batch }, sender) => ({ accepted: pages.acceptFrom(sender, batch) }),
  'page-records': ({ tabId }) => pages.forTab(tabId),
};
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => answerRequest(requests, message, sender));

const SETTINGS_KEY = 'settings';
let settings = DEFAULT_SETTINGS;

function applySettings(next: Settings): void {
  settings = next;
  recordedTabs.set(next.scope);
  collector.setMaxRequests(next.maxRequests);
  collector.setBudget(next);
}

async function loadSettings(): Promise<void> {
  applySettings(mergeSettings(DEFAULT_SETTINGS, (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]));
}

async function changeSettings(patch: unknown): Promise<void> {
  applySettings(mergeSettings(settings, patch));
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}

let started = false;
function status(): BackgroundStatus {
  return { version: PROTOCOL_VERSION, ready: started, settled: collector.settled, settings, browser: BROWSER };
}

void Promise.all([collector.restore(), loadSettings()]).then(() => (started = true));
