import type { MessageRecord, PageRecords, WebSocketRecord } from './page/records';
import type { RequestRecord } from './session/record';
import type { SessionState } from './session/session';
import type { Settings } from './session/settings';
import type { Browser } from './browser';

// Every message that crosses an extension context boundary, one type map per direction.
// Bump PROTOCOL_VERSION whenever a shape here changes: a panel and a background of different
// versions refuse each other instead of misreading each other.
export const PROTOCOL_VERSION = 2;

/** One-shot requests to the background (runtime.sendMessage), with the answer each gets. */
export interface BackgroundRequests {
  status: { request: Record<never, never>; response: BackgroundStatus };
  /** The whole session of one tab, as the session log exports it. */
  session: { request: { tabId: number }; response: SessionState | null };
  /** Changes some settings (recording scope, per-tab cap); answers with the status as it now is. */
  'set-settings': { request: { settings: Partial<Settings> }; response: BackgroundStatus };
  /** From the content bridge: one batch of page-hook events (JSON, parsed with parsePageEvents). */
  'page-events': { request: { batch: string }; response: { accepted: number } };
  /** What the page hooks recorded for one tab: messages, WebSockets, fetch/XHR credentials. */
  'page-records': { request: { tabId: number }; response: PageRecords };
}

export interface BackgroundStatus {
  version: number;
  /** True once every webRequest listener is registered and kept sessions are restored. */
  ready: boolean;
  /** True when every event seen so far is applied and written to storage (nothing a stop could lose). */
  settled: boolean;
  settings: Settings;
  browser: Browser;
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

/** The long-lived port a panel opens to follow one tab live. */
export const PANEL_PORT = `origin-lens-panel-v${PROTOCOL_VERSION}`;

/** Panel → background, on the panel port. */
export interface PanelToBackground {
  subscribe: { tabId: number };
  clear: Record<never, never>;
  'set-preserve-log': { preserve: boolean };
  /** Sent while the panel is open: Chrome stops a worker that hears nothing for 30 s. */
  ping: Record<never, never>;
}

/** Background → panel, on the panel port: a snapshot first, then batched updates. */
export interface BackgroundToPanel {
  snapshot: { session: SessionState; preserveLog: boolean; page: PageRecords };
  /** Messages and sockets the page hooks added or changed (upserted by id). */
  'page-update': { messages: MessageRecord[]; websockets: WebSocketRecord[]; dropped: PageRecords['dropped'] };
  update: {
    /** The session was cleared (navigation or "clear") before these records arrived. */
    reset: boolean;
    updated: RequestRecord[];
    removed: string[];
    dropped: number;
    pageUrl: string | null;
  };
}

export type PortMessage<Map> = { [K in keyof Map]: { type: K } & Map[K] }[keyof Map];
export type PanelMessage = PortMessage<PanelToBackground>;
export type BackgroundMessage = PortMessage<BackgroundToPanel>;
