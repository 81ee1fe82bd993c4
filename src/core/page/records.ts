// The records Origin Lens builds from what the page's own world saw (postMessage and message
// listeners, WebSocket frames, the credentials of fetch/XHR), the wire format they travel in
// (MAIN world → isolated bridge → background, JSON strings), and the strict validator the
// bridge and the background run on it. Everything here comes from the page: untrusted, bounded.
// docs/page-hooks.md documents every field.
import { isObject } from '../guards';

/** How a message listener checks who sent a message. */
export const ORIGIN_CHECKS = ['yes', 'weak', 'no', 'unknown'] as const;
export type OriginCheck = (typeof ORIGIN_CHECKS)[number];
/** What carried a message: a window's postMessage, a dedicated Worker object (the page's side of it), a MessagePort, a BroadcastChannel. */
export const CHANNELS = ['window', 'worker', 'message-port', 'broadcast-channel'] as const;
export type MessageChannelKind = (typeof CHANNELS)[number];
/** Which side of a message Origin Lens saw: the sender's call, the receiver's event, or both. */
export const OBSERVED_SIDES = ['send', 'receive', 'both'] as const;
export type ObservedSide = (typeof OBSERVED_SIDES)[number];

export interface SourceLocation {
  url: string;
  line: number;
  column: number;
}

/** One message listener that received a message. */
export interface ListenerInfo {
  /** Where the listener was registered (script URL and line), when a stack showed it. */
  location: SourceLocation | null;
  /** The listener read event.origin while handling this message. */
  readOrigin: boolean;
  /** The listener read event.source while handling this message. */
  readSource: boolean;
  /** The check, from what it read and from its source text (see listener-check.ts). */
  check: OriginCheck;
}

export interface MessageRecord {
  id: string;
  /** ms since the epoch: the send call, or the receipt when the send was not seen. */
  time: number;
  /** Receiving frame (when the receipt was seen): webRequest frame id and URL, from the browser. */
  frameId: number | null;
  frameUrl: string | null;
  /** Sending frame, when the send was seen. */
  senderFrameId: number | null;
  senderFrameUrl: string | null;
  /** event.origin on receipt, or the sending frame's origin. */
  senderOrigin: string | null;
  /** The receiving frame's origin; null when only a send to a cross-origin window was seen. */
  receiverOrigin: string | null;
  /** The targetOrigin argument of postMessage ('*', '/', an origin); null when the send was not seen. */
  targetOrigin: string | null;
  observed: ObservedSide;
  channel: MessageChannelKind;
  /** Bounded preview of the data (see preview.ts). */
  dataPreview: string;
  /** Approximate size of the data in bytes (structured-clone payload estimate). */
  size: number;
  /** event.isTrusted on receipt (null when the receipt was not seen). */
  isTrusted: boolean | null;
  /** How many listeners received it (null when the receipt was not seen). */
  listenerCount: number | null;
  /** The weakest check among the listeners that received it. */
  originChecked: OriginCheck;
  listeners: ListenerInfo[];
}

export const FRAME_DIRECTIONS = ['sent', 'received'] as const;
export type FrameDirection = (typeof FRAME_DIRECTIONS)[number];

export interface WebSocketFrame {
  direction: FrameDirection;
  time: number;
  size: number;
  binary: boolean;
  preview: string;
}

export interface WebSocketRecord {
  id: string;
  url: string;
  protocols: string[];
  /** The origin of the page that created the socket (what the handshake's Origin header carries). */
  pageOrigin: string;
  frameId: number;
  frameUrl: string;
  createdAt: number;
  openedAt: number | null;
  closedAt: number | null;
  closeCode: number | null;
  closeReason: string | null;
  /** The socket fired `error` (the browser gives no detail). */
  error: boolean;
  /** Counts of every frame, also those beyond the kept list. */
  framesSent: number;
  framesReceived: number;
  /** The first frames (bounded by MAX_WS_FRAMES). */
  frames: WebSocketFrame[];
  /**
   * The handshake as webRequest saw it: filled in by the collector (origin from the request's
   * Origin header, status 101, its request id). Until then `origin` is the page origin, which
   * is what browsers send, and `status` null.
   */
  handshake: { origin: string | null; status: number | null; requestId?: string };
}

export type HookApi = 'fetch' | 'xhr';

export interface RequestHookRecord {
  url: string;
  method: string;
  time: number;
  api: HookApi;
  /** Request mode: cors, no-cors, same-origin, navigate (fetch); XHR is always cors. */
  mode: string;
  /** Credentials mode: include, same-origin, omit (XHR: include when withCredentials). */
  credentials: string;
  /** XMLHttpRequest.withCredentials; null for fetch. */
  withCredentials: boolean | null;
  /** An Authorization header was set by the script (Chrome's webRequest never shows it). */
  authorization: boolean;
  /** Names of the request headers the script set, lowercased. */
  headerNames: string[];
  frameId?: number;
  frameUrl?: string;
}

/** The webRequest types of the elements whose failed loads the isolated world reports. */
export const LOAD_TYPES = ['script', 'stylesheet', 'image', 'media', 'object', 'other'] as const;
export type LoadType = (typeof LOAD_TYPES)[number];

/** An element whose load failed (its `error` event), as the frame at `frameUrl` saw it. */
export interface LoadErrorRecord {
  url: string;
  type: LoadType;
  time: number;
  frameId: number;
  frameUrl: string;
}

/** Everything the page hooks recorded for one tab. */
export interface PageRecords {
  tabId: number;
  messages: MessageRecord[];
  websockets: WebSocketRecord[];
  requests: RequestHookRecord[];
  /** Records evicted by the per-tab caps, and what the page world sent that was refused. */
  dropped: PageDrops;
}

/** What the page hooks lost of a tab's records, in counts. */
export interface PageDrops {
  /** Records evicted by the per-tab caps (oldest first). */
  messages: number;
  websockets: number;
  requests: number;
  /** Events refused: malformed, over the rate limits, or dropped by the page world's own queue. */
  rejected: number;
  /**
   * Batches refused whole without knowing how many events they held (not JSON, over the size
   * limit, or over the bridge's rate of batches); absent while there is none.
   */
  rejectedBatches?: number;
}

/** A tab's counts before it lost anything. */
export function noPageDrops(): PageDrops {
  return { messages: 0, websockets: 0, requests: 0, rejected: 0 };
}

/** Adds `events` refused events and `batches` refused batches to `dropped`. */
export function countRejected(dropped: Pick<PageDrops, 'rejected' | 'rejectedBatches'>, events: number, batches = 0): void {
  dropped.rejected += events;
  if (batches > 0) dropped.rejectedBatches = (dropped.rejectedBatches ?? 0) + batches;
}

// ---- the wire: MAIN world → bridge → background ----

export const PAGE_WIRE_VERSION = 1;

export const LIMITS = {
  /** Longest batch string the bridge or background will parse. */
  maxBatchChars: 512 * 1024,
  maxEventsPerBatch: 400,
  maxUrl: 4096,
  maxOrigin: 512,
  maxPreview: 400,
  maxReason: 256,
  maxListeners: 16,
  maxHeaderNames: 64,
  maxHeaderName: 128,
  maxProtocols: 16,
  maxMethod: 32,
} as const;

/** Most frames kept per socket (counts go on). */
export const MAX_WS_FRAMES = 200;

export interface MessageEventWire {
  k: 'msg';
  side: 'send' | 'receive';
  channel: MessageChannelKind;
  t: number;
  /** event.origin (receive). */
  origin: string | null;
  /** targetOrigin (send on a window; null otherwise). */
  target: string | null;
  /** For a send: was the target this very window ('self'), another window ('other'), or a port, worker or channel ('port'). */
  peer: 'self' | 'other' | 'port';
  preview: string;
  size: number;
  trusted: boolean | null;
  listeners: ListenerInfo[];
}
export interface WsNewWire { k: 'ws-new'; sid: number; t: number; url: string; protocols: string[] }
export interface WsOpenWire { k: 'ws-open'; sid: number; t: number }
export interface WsFrameWire { k: 'ws-frame'; sid: number; t: number; dir: FrameDirection; size: number; binary: boolean; preview: string }
export interface WsCloseWire { k: 'ws-close'; sid: number; t: number; code: number; reason: string }
export interface WsErrorWire { k: 'ws-error'; sid: number; t: number }
export interface RequestWire {
  k: 'req';
  api: HookApi;
  t: number;
  url: string;
  method: string;
  mode: string;
  credentials: string;
  withCredentials: boolean | null;
  authorization: boolean;
  headers: string[];
}
/** A worker: the service worker that controls the frame, or a worker the page started (script URL). */
export interface WorkerWire { k: 'worker'; kind: 'service' | 'shared' | 'dedicated'; t: number; url: string }
/** Resource timing's initiatorType values that a service worker can handle; others are 'other'. */
export const INITIATOR_TYPES = ['fetch', 'xmlhttprequest', 'beacon', 'img', 'image', 'script', 'link', 'css', 'iframe', 'video', 'audio', 'other'] as const;
export type InitiatorType = (typeof INITIATOR_TYPES)[number];
/** A request the frame's service worker handled (resource timing's workerStart), once it ended. */
export interface ServiceWorkerFetchWire { k: 'sw-fetch'; t: number; url: string; initiator: InitiatorType; status: number | null }
/**
 * An element's `error` event seen by the isolated world (src/content/load-errors.ts): only for
 * an http: URL on an https: page, a load the browser may have refused before any request.
 */
export interface LoadErrorWire { k: 'load-error'; t: number; url: string; type: LoadType }
/**
 * Events dropped before this batch: by the MAIN world itself (queue bound, rate), or by the bridge
 * (`n` events refused, `batches` batches refused whole; only the bridge counts batches).
 */
export interface DroppedWire { k: 'dropped'; n: number; batches?: number }

export type PageEvent =
  | MessageEventWire
  | WsNewWire
  | WsOpenWire
  | WsFrameWire
  | WsCloseWire
  | WsErrorWire
  | RequestWire
  | WorkerWire
  | ServiceWorkerFetchWire
  | LoadErrorWire
  | DroppedWire;

export interface PageBatch {
  v: typeof PAGE_WIRE_VERSION;
  events: PageEvent[];
}

export function serializeBatch(events: PageEvent[]): string {
  return JSON.stringify({ v: PAGE_WIRE_VERSION, events } satisfies PageBatch);
}

// ---- validation ----

const MIN_TIME = Date.UTC(2000, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);

class Invalid extends Error {}
function fail(): never {
  throw new Invalid();
}
function str(v: unknown, max: number): string {
  if (typeof v !== 'string') fail();
  return v.length > max ? v.slice(0, max) : v;
}
function strOrNull(v: unknown, max: number): string | null {
  return v === null ? null : str(v, max);
}
function int(v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail();
  return v;
}
function time(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < MIN_TIME || v > MAX_TIME) fail();
  return v;
}
function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') fail();
  return v;
}
function boolOrNull(v: unknown): boolean | null {
  return v === null ? null : bool(v);
}
function oneOf<T extends string>(v: unknown, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail();
  return v as T;
}
function list<T>(v: unknown, max: number, item: (x: unknown) => T): T[] {
  if (!Array.isArray(v) || v.length > max) fail();
  return v.map(item);
}

const MAX_SIZE = 2 ** 40;

function location(v: unknown): SourceLocation | null {
  if (v === null) return null;
  if (!isObject(v)) fail();
  return { url: str(v.url, LIMITS.maxUrl), line: int(v.line, 0, 1e9), column: int(v.column, 0, 1e9) };
}

function listener(v: unknown): ListenerInfo {
  if (!isObject(v)) fail();
  return { location: location(v.location), readOrigin: bool(v.readOrigin), readSource: bool(v.readSource), check: oneOf(v.check, ORIGIN_CHECKS) };
}

/** An absolute http(s) URL: worker scripts and requests a service worker handled are never anything else. */
function webUrl(v: unknown): string {
  const s = str(v, LIMITS.maxUrl);
  if (!/^https?:\/\//i.test(s)) fail();
  return s;
}

function headerName(v: unknown): string {
  const s = str(v, LIMITS.maxHeaderName).toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(s)) fail();
  return s;
}

function parseEvent(v: unknown): PageEvent {
  if (!isObject(v)) fail();
  switch (v.k) {
    case 'msg':
      return {
        k: 'msg',
        side: oneOf(v.side, ['send', 'receive'] as const),
        channel: oneOf(v.channel, CHANNELS),
        t: time(v.t),
        origin: strOrNull(v.origin, LIMITS.maxOrigin),
        target: strOrNull(v.target, LIMITS.maxOrigin),
        peer: oneOf(v.peer, ['self', 'other', 'port'] as const),
        preview: str(v.preview, LIMITS.maxPreview),
        size: int(v.size, 0, MAX_SIZE),
        trusted: boolOrNull(v.trusted),
        listeners: list(v.listeners, LIMITS.maxListeners, listener),
      };
    case 'ws-new':
      return {
        k: 'ws-new',
        sid: int(v.sid, 0, 1e9),
        t: time(v.t),
        url: str(v.url, LIMITS.maxUrl),
        protocols: list(v.protocols, LIMITS.maxProtocols, (p) => str(p, 256)),
      };
    case 'ws-open':
      return { k: 'ws-open', sid: int(v.sid, 0, 1e9), t: time(v.t) };
    case 'ws-error':
      return { k: 'ws-error', sid: int(v.sid, 0, 1e9), t: time(v.t) };
    case 'ws-frame':
      return {
        k: 'ws-frame',
        sid: int(v.sid, 0, 1e9),
        t: time(v.t),
        dir: oneOf(v.dir, FRAME_DIRECTIONS),
        size: int(v.size, 0, MAX_SIZE),
        binary: bool(v.binary),
        preview: str(v.preview, LIMITS.maxPreview),
      };
    case 'ws-close':
      return { k: 'ws-close', sid: int(v.sid, 0, 1e9), t: time(v.t), code: int(v.code, 0, 65535), reason: str(v.reason, LIMITS.maxReason) };
    case 'req': {
      const method = str(v.method, LIMITS.maxMethod);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) fail();
      return {
        k: 'req',
        api: oneOf(v.api, ['fetch', 'xhr'] as const),
        t: time(v.t),
        url: str(v.url, LIMITS.maxUrl),
        method,
        mode: oneOf(v.mode, ['cors', 'no-cors', 'same-origin', 'navigate'] as const),
        credentials: oneOf(v.credentials, ['include', 'same-origin', 'omit'] as const),
        withCredentials: boolOrNull(v.withCredentials),
        authorization: bool(v.authorization),
        headers: list(v.headers, LIMITS.maxHeaderNames, headerName),
      };
    }
    case 'worker':
      return { k: 'worker', kind: oneOf(v.kind, ['service', 'shared', 'dedicated'] as const), t: time(v.t), url: webUrl(v.url) };
    case 'sw-fetch':
      return {
        k: 'sw-fetch',
        t: time(v.t),
        url: webUrl(v.url),
        initiator: oneOf(v.initiator, INITIATOR_TYPES),
        status: v.status === null ? null : int(v.status, 0, 999),
      };
    case 'load-error':
      return { k: 'load-error', t: time(v.t), url: webUrl(v.url), type: oneOf(v.type, LOAD_TYPES) };
    case 'dropped': {
      const n = int(v.n, 0, 1e9);
      return v.batches === undefined ? { k: 'dropped', n } : { k: 'dropped', n, batches: int(v.batches, 0, 1e9) };
    }
    default:
      fail();
  }
}

/**
 * Parses one batch from the page world. Never throws: a batch of another version is refused whole,
 * its events counted in `rejected`; one that is not JSON, too long or holds no list of events is
 * refused without knowing how many it held: `rejectedBatches` counts it. Otherwise each event is
 * checked on its own and the bad ones counted. At most LIMITS.maxEventsPerBatch events are kept;
 * the rest count as rejected.
 */
export function parsePageEvents(json: unknown): { events: PageEvent[]; rejected: number; rejectedBatches: number } {
  const whole = { events: [], rejected: 0, rejectedBatches: 1 };
  if (typeof json !== 'string' || json.length > LIMITS.maxBatchChars) return whole;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return whole;
  }
  if (!isObject(data) || !Array.isArray(data.events)) return whole;
  if (data.v !== PAGE_WIRE_VERSION) return { events: [], rejected: data.events.length, rejectedBatches: 0 };
  const events: PageEvent[] = [];
  let rejected = 0;
  for (const raw of data.events) {
    if (events.length >= LIMITS.maxEventsPerBatch) {
      rejected++;
      continue;
    }
    try {
      events.push(parseEvent(raw));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      rejected++;
    }
  }
  return { events, rejected, rejectedBatches: 0 };
}

const CHECK_RANK: Record<OriginCheck, number> = { no: 0, weak: 1, unknown: 2, yes: 3 };

/** The weakest check of a message's listeners: 'unknown' when no listener received it. */
export function weakestCheck(listeners: readonly ListenerInfo[]): OriginCheck {
  let worst: OriginCheck | null = null;
  for (const l of listeners) if (worst === null || CHECK_RANK[l.check] < CHECK_RANK[worst]) worst = l.check;
  return worst ?? 'unknown';
}
