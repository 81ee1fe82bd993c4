import browser from 'webextension-polyfill';
import { isRequestMessage, PROTOCOL_VERSION, type BackgroundStatus, type TabSummary } from '../core/protocol';
import { startCapture } from './capture';

// Listeners are registered synchronously on start-up: a worker woken by a request must have
// them in place before that request's events are dispatched.
const seen = new Map<number, { requests: number; crossOrigin: number; urls: string[] }>();

startCapture((tabId, url, crossOrigin) => {
  let tab = seen.get(tabId);
  if (!tab) seen.set(tabId, (tab = { requests: 0, crossOrigin: 0, urls: [] }));
  tab.requests++;
  if (crossOrigin) {
    tab.crossOrigin++;
    tab.urls.push(url);
  }
});

browser.runtime.onMessage.addListener((message: unknown) => {
  if (!isRequestMessage(message)) return undefined;
  switch (message.type) {
    case 'status': {
      const status: BackgroundStatus = { version: PROTOCOL_VERSION, ready: true, browser: __BROWSER__ };
      return Promise.resolve(status);
    }
    case 'tab-summary': {
      const tab = seen.get(message.tabId);
      const summary: TabSummary = { tabId: message.tabId, requests: tab?.requests ?? 0, crossOrigin: tab?.crossOrigin ?? 0, urls: tab?.urls ?? [] };
      return Promise.resolve(summary);
    }
  }
});
