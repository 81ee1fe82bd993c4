import browser, { type WebRequest } from 'webextension-polyfill';

type Observer = (tabId: number, url: string, crossOrigin: boolean) => void;

/** Initiator origin of a request: Chromium gives `initiator`, Firefox `originUrl`. */
function initiatorOf(details: WebRequest.OnBeforeRequestDetailsType & { initiator?: string }): string | undefined {
  if (details.initiator) return details.initiator;
  if (details.originUrl) {
    try {
      return new URL(details.originUrl).origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function startCapture(observe: Observer): void {
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      if (details.tabId < 0) return;
      const initiator = initiatorOf(details);
      let crossOrigin = false;
      try {
        crossOrigin = initiator !== undefined && new URL(details.url).origin !== initiator;
      } catch {
        crossOrigin = false;
      }
      observe(details.tabId, details.url, crossOrigin);
    },
    { urls: ['<all_urls>'] },
  );
}
