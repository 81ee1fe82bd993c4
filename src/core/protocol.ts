import type { PageRecords } from './page-records';

// Every message that crosses an extension context boundary, one type map per direction.
// Bump PROTOCOL_VERSION whenever a shape here changes: a panel and a background of different
// versions refuse each other instead of misreading each other.
export const PROTOCOL_VERSION = 1;

/** One-shot requests to the background (runtime.sendMessage), with the answer each gets. */
export interface BackgroundRequests {
  status: { request: Record<string, never>; response: BackgroundStatus };
  'tab-summary': { request: { tabId: number }; response: TabSummary };
  /** From the content bridge: one batch of page-hook events (JSON, parsed with parsePageEvents). */
  'page-events': { request: { batch: string }; response: { accepted: number } };
  /** What the page hooks recorded for one tab: messages, WebSockets, fetch/XHR credentials. */
  'page-records': { request: { tabId: number }; response: PageRecords };
}

export interface BackgroundStatus {
  version: number;
  /** True once every webRequest listener is registered. */
  ready: boolean;
  browser: 'chrome' | 'firefox';
}

export interface TabSummary {
  tabId: number;
  requests: number;
  crossOrigin: number;
  urls: string[];
}

export type RequestType = keyof BackgroundRequests;

export type RequestMessage = {
  [K in RequestType]: { v: typeof PROTOCOL_VERSION; type: K } & BackgroundRequests[K]['request'];
}[RequestType];

export function isRequestMessage(value: unknown): value is RequestMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { v?: unknown; type?: unknown };
  return m.v === PROTOCOL_VERSION && typeof m.type === 'string';
}
