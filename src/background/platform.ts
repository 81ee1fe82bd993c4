import browser, { type WebRequest } from 'webextension-polyfill';
import type { HeaderList } from '../core/net/headers';
import type { NetEvent } from '../core/net/events';
import { parseUrl } from '../core/net/origin';

// The one place that knows how Chromium's and Firefox's webRequest differ.

type Details = {
  requestId: string;
  timeStamp: number;
  url: string;
  tabId: number;
  frameId: number;
  parentFrameId: number;
  method: string;
  type: string;
  initiator?: string;
  originUrl?: string;
  documentUrl?: string;
  statusCode?: number;
  statusLine?: string;
  requestHeaders?: WebRequest.HttpHeaders;
  responseHeaders?: WebRequest.HttpHeaders;
  redirectUrl?: string;
  fromCache?: boolean;
  ip?: string;
  error?: string;
};

/**
 * Chromium hides preflights and the Origin, Cookie and Set-Cookie headers unless a listener
 * asks for "extraHeaders"; Firefox shows them all and rejects the option.
 */
function extraHeaders(options: Record<string, string> | undefined): string[] {
  return options && 'EXTRA_HEADERS' in options ? ['extraHeaders'] : [];
}

const api = browser.webRequest as unknown as Record<string, Record<string, string> | undefined>;
const extra = {
  request: extraHeaders(api.OnBeforeRequestOptions),
  sendHeaders: extraHeaders(api.OnSendHeadersOptions),
  headers: extraHeaders(api.OnHeadersReceivedOptions),
  redirect: extraHeaders(api.OnBeforeRedirectOptions),
  complete: extraHeaders(api.OnCompletedOptions),
  error: extraHeaders(api.OnErrorOccurredOptions),
};

function originOf(url: string | undefined): string | null {
  return url ? (parseUrl(url)?.origin ?? null) : null;
}

function headerList(headers: WebRequest.HttpHeaders | undefined): HeaderList {
  if (!headers) return [];
  return headers.map((h) => ({
    name: h.name,
    value: h.value ?? (h.binaryValue ? String.fromCharCode(...h.binaryValue) : ''),
  }));
}

/** The fields every event has: which request, in which tab, when. */
const about = (d: Details) => ({ id: d.requestId, tabId: d.tabId, time: d.timeStamp });

const toEvent = {
  request: (d: Details): NetEvent => ({
    kind: 'request',
    ...about(d),
    frameId: d.frameId,
    parentFrameId: d.parentFrameId,
    url: d.url,
    method: d.method,
    type: d.type,
    // Chromium: `initiator` is already a serialized origin; Firefox: `originUrl` is a URL.
    initiator: d.initiator ?? originOf(d.originUrl),
    documentUrl: d.documentUrl ?? null,
  }),
  sendHeaders: (d: Details): NetEvent => ({ kind: 'send-headers', ...about(d), headers: headerList(d.requestHeaders) }),
  headers: (d: Details): NetEvent => ({ kind: 'headers', ...about(d), status: d.statusCode ?? 0, statusLine: d.statusLine ?? '', headers: headerList(d.responseHeaders) }),
  redirect: (d: Details): NetEvent => ({ kind: 'redirect', ...about(d), status: d.statusCode ?? 0, headers: headerList(d.responseHeaders), location: d.redirectUrl ?? '' }),
  complete: (d: Details): NetEvent => ({ kind: 'complete', ...about(d), status: d.statusCode ?? 0, fromCache: d.fromCache ?? false, ip: d.ip ?? null }),
  error: (d: Details): NetEvent => ({ kind: 'error', ...about(d), error: d.error ?? 'unknown error', ip: d.ip ?? null }),
};

export interface NetworkFilter {
  /** Only this tab, or only requests outside any tab (-1: workers'); all of them when absent. */
  tabId?: number;
}

/**
 * Registers the webRequest listeners that feed `sink`, synchronously, and returns a function
 * that removes them. Listeners only convert and hand over: any real work happens in `sink`'s
 * owner, later.
 */
export function observeNetwork(sink: (event: NetEvent) => void, filter: NetworkFilter = {}): () => void {
  const urls = ['<all_urls>'];
  const requestFilter: WebRequest.RequestFilter = filter.tabId === undefined ? { urls } : { urls, tabId: filter.tabId };
  const wr = browser.webRequest;
  // The extension's own pages (the panel opened in a tab) are not the user's traffic.
  const own = browser.runtime.getURL('');
  const pairs: Array<[{ addListener: Function; removeListener: Function }, (d: Details) => void]> = [];
  const add = (event: { addListener: Function; removeListener: Function }, convert: (d: Details) => NetEvent, spec: string[]) => {
    // Requests outside any tab (tabId -1) pass too: workers make them (see workers.ts). A filter
    // on tab -1 means every tab to Chromium (its "none given"), only tab-less requests to Firefox:
    // the tab is checked again here.
    const listener = (d: Details) => {
      if (!d.url.startsWith(own) && (filter.tabId !== -1 || d.tabId === -1)) sink(convert(d));
    };
    // Firefox's onErrorOccurred takes no third argument at all, not even an empty list.
    if (spec.length) event.addListener(listener, requestFilter, spec);
    else event.addListener(listener, requestFilter);
    pairs.push([event, listener]);
  };
  add(wr.onBeforeRequest, toEvent.request, extra.request);
  add(wr.onSendHeaders, toEvent.sendHeaders, ['requestHeaders', ...extra.sendHeaders]);
  add(wr.onHeadersReceived, toEvent.headers, ['responseHeaders', ...extra.headers]);
  add(wr.onBeforeRedirect, toEvent.redirect, ['responseHeaders', ...extra.redirect]);
  add(wr.onCompleted, toEvent.complete, extra.complete);
  add(wr.onErrorOccurred, toEvent.error, extra.error);
  return () => {
    for (const [event, listener] of pairs) event.removeListener(listener);
  };
}
