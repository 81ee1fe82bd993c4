import type { MessageRecord, PageRecords, WebSocketRecord } from './page/records';
import type { RequestRecord } from './session/record';
import type { SessionState } from './session/session';
import type { Settings } from './session/settings';
import type { Browser } from './browser';

// Every message that crosses an extension context boundary, one type map per direction.
// Bump PROTOCOL_VERSION whenever a shape here changes: a panel and a background of different
// versions refuse each other instead of misreading each other.
export const PROTOCOL_VERSION = 4;

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

/** A request as it travels: the protocol version, its type and that type's fields. */
export type RequestMessage<K extends RequestType = RequestType> = {
  [P in K]: { v: typeof PROTOCOL_VERSION; type: P } & BackgroundRequests[P]['request'];
}[K];

/** How a message is told to be of this protocol version, in every direction. */
function isCurrent(value: unknown): value is { v: typeof PROTOCOL_VERSION; type: string } {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { v?: unknown; type?: unknown };
  return m.v === PROTOCOL_VERSION && typeof m.type === 'string';
}

// The fields each request's handler relies on. Their values are the handler's to judge
// (mergeSettings, parsePageEvents): here only what makes the message one of ours.
const isTabId = (v: unknown) => Number.isInteger(v);
const REQUEST_FIELDS: { [K in RequestType]: (m: Partial<Record<string, unknown>>) => boolean } = {
  status: () => true,
  session: (m) => isTabId(m.tabId),
  'set-settings': (m) => typeof m.settings === 'object' && m.settings !== null,
  'page-events': (m) => typeof m.batch === 'string',
  'page-records': (m) => isTabId(m.tabId),
};

function isRequestMessage(value: unknown): value is RequestMessage {
  return isCurrent(value) && Object.hasOwn(REQUEST_FIELDS, value.type) && REQUEST_FIELDS[value.type as RequestType](value);
}

/** Carries one request to the background and resolves with its answer (runtime.sendMessage, or a test's page). */
export type SendRequest = (message: RequestMessage) => Promise<unknown>;

/** A one-shot request to the background: the answer's type comes from the map. */
export async function askBackground<K extends RequestType>(
  send: SendRequest,
  type: K,
  request: BackgroundRequests[K]['request'],
): Promise<BackgroundRequests[K]['response']> {
  return (await send({ v: PROTOCOL_VERSION, type, ...request } as RequestMessage)) as BackgroundRequests[K]['response'];
}

/** The background's side: a handler for every request type (one left out is a type error). */
export type RequestHandlers<Sender> = {
  [K in RequestType]: (request: RequestMessage<K>, sender: Sender) => BackgroundRequests[K]['response'] | Promise<BackgroundRequests[K]['response']>;
};

/**
 * Answers `message` with its handler when it is a request of this version; undefined for
 * anything else, so that it goes unanswered.
 */
export function answerRequest<Sender>(handlers: RequestHandlers<Sender>, message: unknown, sender: Sender): Promise<unknown> | undefined {
  return isRequestMessage(message) ? dispatch(handlers, message, sender) : undefined;
}

function dispatch<K extends RequestType, Sender>(handlers: RequestHandlers<Sender>, message: RequestMessage<K>, sender: Sender): Promise<BackgroundRequests[K]['response']> {
  const handler: RequestHandlers<Sender>[K] = handlers[message.type];
  return Promise.resolve(handler(message, sender));
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
  /** `storageFull`: the background could not write its last changes (a quota error); it records in memory. */
  snapshot: { session: SessionState; preserveLog: boolean; page: PageRecords; storageFull: boolean };
  /** Messages and sockets the page hooks added or changed (upserted by id). */
  'page-update': { messages: MessageRecord[]; websockets: WebSocketRecord[]; dropped: PageRecords['dropped'] };
  update: {
    /** The session was cleared (navigation or "clear") before these records arrived. */
    reset: boolean;
    updated: RequestRecord[];
    removed: string[];
    dropped: number;
    /** How many of `dropped` went to the budget across tabs. */
    droppedForBudget: number;
    pageUrl: string | null;
    storageFull: boolean;
  };
}

export type PortMessage<Map> = { [K in keyof Map]: { type: K } & Map[K] }[keyof Map];
export type PanelMessage = PortMessage<PanelToBackground>;
export type BackgroundMessage = PortMessage<BackgroundToPanel>;

/** A port message as it is posted: stamped with the version, which portMessage checks. */
export function versioned<M extends object>(message: M): M & { v: typeof PROTOCOL_VERSION } {
  return { v: PROTOCOL_VERSION, ...message };
}

/**
 * A message received on a port, as the port's map types it, or null when it is not of this
 * version. Its type is for the receiver's exhaustive switch to check: one not in the map is ignored.
 */
export function portMessage<M extends { type: PropertyKey }>(value: unknown): M | null {
  return isCurrent(value) ? (value as unknown as M) : null;
}

/** The BroadcastChannel on which the DevTools page tells its panels that DevTools' theme changed. */
export const THEME_CHANNEL = `origin-lens-theme-v${PROTOCOL_VERSION}`;

/** DevTools page → panels, on THEME_CHANNEL. */
export interface DevtoolsToPanel {
  theme: { theme: 'light' | 'dark' };
}

export type DevtoolsMessage = PortMessage<DevtoolsToPanel>;
