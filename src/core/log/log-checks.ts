import { LogFormatError } from './errors';
import { isObject, isString } from '../guards';
import { CONFIDENCES, SEVERITIES, type Finding } from '../cors/findings';
import { CHANNELS, FRAME_DIRECTIONS, LIMITS, MAX_WS_FRAMES, OBSERVED_SIDES, ORIGIN_CHECKS, type MessageRecord, type WebSocketRecord } from '../page/records';
import type { NavigationMark } from '../session/record';

// What a session log's reader checks of its page-hook records, findings and navigations: each
// field the panel, the exports or the analyzer read, so a corrupt or hostile file is refused
// with the path of the field rather than breaking a view. Values stay data: a string is only
// checked to be one, however long. Lists the panel renders whole are bounded as the live
// records are (LIMITS, MAX_WS_FRAMES).

export function fail(where: string, what: string): never {
  throw new LogFormatError(`Not a valid Origin Lens session log: ${where} ${what}.`);
}

type Obj = Record<string, unknown>;
/** A field's test, and what the error says when it fails. */
type Check = readonly [ok: (v: unknown) => boolean, what: string];
/** The fields of one kind of object, each with its check. */
type Shape = readonly (readonly [key: string, check: Check])[];

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const orNull = (ok: (v: unknown) => boolean) => (v: unknown) => v === null || ok(v);

const STRING: Check = [isString, 'must be a string'];
const STRING_OR_NULL: Check = [orNull(isString), 'must be a string or null'];
const NUMBER: Check = [isNumber, 'must be a number'];
const NUMBER_OR_NULL: Check = [orNull(isNumber), 'must be a number or null'];
const BOOLEAN: Check = [(v) => typeof v === 'boolean', 'must be true or false'];
const oneOf = (values: readonly string[]): Check => [(v) => (values as readonly unknown[]).includes(v), `must be one of ${values.join(', ')}`];

function checkShape(value: unknown, where: string, shape: Shape): Obj {
  if (!isObject(value)) fail(where, 'must be an object');
  for (const [key, [ok, what]] of shape) if (!ok(value[key])) fail(`${where}.${key}`, what);
  return value;
}

/** A list of at most `max` items, each checked by `item` with its own path. */
function checkList(value: unknown, where: string, max: number, item: (v: unknown, where: string) => void): void {
  if (!Array.isArray(value)) fail(where, 'must be a list');
  if (value.length > max) fail(where, `must hold at most ${max} items`);
  // Indexed: a log's thousands of messages are checked before the panel shows any.
  for (let i = 0; i < value.length; i++) item(value[i], `${where}[${i}]`);
}

/** A list item's check from a field's (made once per list, not per item). */
const each =
  ([ok, what]: Check) =>
  (v: unknown, where: string): void => {
    if (!ok(v)) fail(where, what);
  };

const LOCATION: Shape = [
  ['url', STRING],
  ['line', NUMBER],
];
const LISTENER: Shape = [['check', oneOf(ORIGIN_CHECKS)]];

const MESSAGE: Shape = [
  ['id', STRING],
  ['time', NUMBER],
  ['frameId', NUMBER_OR_NULL],
  ['frameUrl', STRING_OR_NULL],
  ['senderFrameId', NUMBER_OR_NULL],
  ['senderFrameUrl', STRING_OR_NULL],
  ['senderOrigin', STRING_OR_NULL],
  ['receiverOrigin', STRING_OR_NULL],
  ['targetOrigin', STRING_OR_NULL],
  ['observed', oneOf(OBSERVED_SIDES)],
  ['dataPreview', STRING],
  ['size', NUMBER],
  ['listenerCount', NUMBER_OR_NULL],
  ['originChecked', oneOf(ORIGIN_CHECKS)],
];

/** A message; one without a channel (written before worker messages) is a window's. */
export function checkMessage(value: unknown, i: number): MessageRecord {
  const where = `messages[${i}]`;
  const m = checkShape(value, where, MESSAGE);
  const channel = m.channel ?? 'window';
  if (!(CHANNELS as readonly unknown[]).includes(channel)) fail(`${where}.channel`, `must be one of ${CHANNELS.join(', ')}`);
  checkList(m.listeners, `${where}.listeners`, LIMITS.maxListeners, (l, at) => {
    const listener = checkShape(l, at, LISTENER);
    if (listener.location !== null) checkShape(listener.location, `${at}.location`, LOCATION);
  });
  return { ...m, channel } as unknown as MessageRecord;
}

const FRAME: Shape = [
  ['direction', oneOf(FRAME_DIRECTIONS)],
  ['time', NUMBER],
  ['size', NUMBER],
  ['binary', BOOLEAN],
  ['preview', STRING],
];
const HANDSHAKE: Shape = [
  ['origin', STRING_OR_NULL],
  ['status', NUMBER_OR_NULL],
  ['requestId', [(v) => v === undefined || isString(v), 'must be a string or absent']],
];
const WEBSOCKET: Shape = [
  ['id', STRING],
  ['url', STRING],
  ['frameUrl', STRING],
  ['closeCode', NUMBER_OR_NULL],
  ['closeReason', STRING_OR_NULL],
  ['error', BOOLEAN],
  ['framesSent', NUMBER],
  ['framesReceived', NUMBER],
];

export function checkWebSocket(value: unknown, i: number): WebSocketRecord {
  const where = `websockets[${i}]`;
  const w = checkShape(value, where, WEBSOCKET);
  checkList(w.protocols, `${where}.protocols`, LIMITS.maxProtocols, each(STRING));
  // The WebSockets view lists every kept frame of every socket.
  checkList(w.frames, `${where}.frames`, MAX_WS_FRAMES, (f, at) => checkShape(f, at, FRAME));
  checkShape(w.handshake, `${where}.handshake`, HANDSHAKE);
  return w as unknown as WebSocketRecord;
}

const FINDING: Shape = [
  ['id', STRING],
  // Any string: a log of a later version may hold codes this one does not know.
  ['code', STRING],
  ['severity', oneOf(SEVERITIES)],
  ['title', STRING],
  ['explanation', STRING],
  ['confidence', oneOf(CONFIDENCES)],
  ['subject', STRING],
];

export function checkFinding(value: unknown, i: number): Finding {
  const where = `findings[${i}]`;
  const f = checkShape(value, where, FINDING);
  checkList(f.evidence, `${where}.evidence`, Infinity, each(STRING));
  return f as unknown as Finding;
}

const NAVIGATION: Shape = [
  ['seq', NUMBER],
  ['time', NUMBER],
  ['url', STRING],
];

export function checkNavigation(value: unknown, i: number): NavigationMark {
  return checkShape(value, `navigations[${i}]`, NAVIGATION) as unknown as NavigationMark;
}
