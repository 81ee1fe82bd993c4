import browser, { type Runtime } from 'webextension-polyfill';
import { isRequestMessage, PANEL_PORT, PROTOCOL_VERSION, type BackgroundStatus } from '../core/protocol';
import { Collector } from './collector';
import { PageEventStore } from './page-events';
import { SessionStore } from './persist';
import { observeNetwork } from './platform';

const BROWSER = __BROWSER__ === 'chrome' ? 'chromium' : 'firefox';
const pages = new PageEventStore();
const collector = new Collector(BROWSER, new SessionStore(), pages);

// Listeners are registered synchronously on start-up: a worker woken by a request must have
// them in place before that request's events are dispatched. Events queue until kept
// sessions are restored.
observeNetwork(collector.enqueue);
browser.tabs.onRemoved.addListener((tabId) => collector.tabClosed(tabId));
// The toolbar button opens the inspector for the tab it was clicked on, in a tab of its own.
browser.action.onClicked.addListener((tab) => {
  if (tab.id !== undefined) void browser.tabs.create({ url: browser.runtime.getURL(`panel.html?tabId=${tab.id}`), index: tab.index + 1 });
});
browser.runtime.onConnect.addListener((port) => {
  if (port.name === PANEL_PORT) collector.connect(port);
});
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  // The page hooks' bridge: it names no tab or frame itself, the sender (the browser) does.
  const pageAnswer = pages.handleMessage(message, sender);
  if (pageAnswer) return pageAnswer;
  if (!isRequestMessage(message)) return undefined;
  switch (message.type) {
    case 'status': {
      const status: BackgroundStatus = { version: PROTOCOL_VERSION, ready: collector.ready, settled: collector.settled, browser: __BROWSER__ };
      return Promise.resolve(status);
    }
    case 'session':
      return Promise.resolve(collector.snapshot(message.tabId));
  }
});
void collector.restore();
