import { LogFormatError, parseLogJson } from './errors';
import { checkFinding, checkMessage, checkNavigation, checkWebSocket, fail } from './log-checks';
import { isListOf, isObject, isString } from '../guards';
import { cookieVerdictProblem } from '../cookies/check';
import type { Finding } from '../cors/findings';
import type { HeaderList } from '../net/headers';
import { noPageDrops, type MessageRecord, type PageDrops, type WebSocketRecord } from '../page/records';
import type { NavigationMark, RequestRecord } from '../session/record';
import { isOutcome, OUTCOMES, readReasonCode } from '../cors/reasons';
import { redactFinding, redactMessage, redactRecord, redactUrl, redactWebSocket } from './redact';
import type { Browser } from '../browser';

// The session log: Origin Lens's own export format, documented field by field in
// docs/session-log.md. Requests are RequestRecord exactly as the extension keeps them.

export const SESSION_LOG_FORMAT = 'origin-lens-session';
const SESSION_LOG_VERSION = 1;

export interface SessionLog {
  format: typeof SESSION_LOG_FORMAT;
  version: typeof SESSION_LOG_VERSION;
  exportedAt: string;
  exporter: { name: 'Origin Lens'; version: string };
  browser: Browser | null;
  page: { url: string | null; tabId: number | null; startedAt: string };
  /** True when secrets (credentials, tokens in URLs and payloads) were masked (docs/session-log.md, "Secrets"). */
  sanitized: boolean;
  requests: RequestRecord[];
  navigations: NavigationMark[];
  messages: MessageRecord[];
  websockets: WebSocketRecord[];
  findings: Finding[];
  /** What the per-tab caps and the budget across tabs evicted before the export, and what the page hooks had refused. */
  dropped: {
    requests: number;
    messages: number;
    websockets: number;
    /** How many of `requests` went to the budget across tabs; absent: none. */
    requestsForBudget?: number;
    /** Page-hook events refused (PageDrops in page/records.ts); absent in logs written before. */
    rejected?: number;
    /** Page-hook batches refused whole, their events uncounted; absent: none. */
    rejectedBatches?: number;
  };
}

export interface SessionContent {
  tabId: number | null;
  pageUrl: string | null;
  startedAt: number;
  records: RequestRecord[];
  navigations: NavigationMark[];
  messages: MessageRecord[];
  websockets: WebSocketRecord[];
  findings: Finding[];
  dropped: SessionLog['dropped'];
}

export interface ExportOptions {
  /** Keep every value as recorded; otherwise secrets are masked (redact.ts). */
  includeSecrets: boolean;
  browser: SessionLog['browser'];
  extensionVersion: string;
  now: number;
}

export function toSessionLog(content: SessionContent, options: ExportOptions): SessionLog {
  const keep = options.includeSecrets;
  return {
    format: SESSION_LOG_FORMAT,
    version: SESSION_LOG_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    exporter: { name: 'Origin Lens', version: options.extensionVersion },
    browser: options.browser,
    page: { url: keep || content.pageUrl === null ? content.pageUrl : redactUrl(content.pageUrl), tabId: content.tabId, startedAt: new Date(content.startedAt).toISOString() },
    sanitized: !keep,
    requests: keep ? content.records : content.records.map(redactRecord),
    navigations: keep ? content.navigations : content.navigations.map((n) => ({ ...n, url: redactUrl(n.url) })),
    messages: keep ? content.messages : content.messages.map(redactMessage),
    websockets: keep ? content.websockets : content.websockets.map(redactWebSocket),
    findings: keep ? content.findings : content.findings.map(redactFinding),
    dropped: content.dropped,
  };
}

// ---- reading a log back: untrusted input, checked field by field ----

// Indexed loops below: a log of 100,000 requests is checked before its first row shows.

function checkHeaders(value: unknown, where: string): HeaderList {
  if (!Array.isArray(value)) fail(where, 'must be a list of {name, value}');
  for (let i = 0; i < value.length; i++) {
    const h: unknown = value[i];
    if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string') fail(`${where}[${i}]`, 'must be {name, value} strings');
  }
  return value as HeaderList;
}

const STRING_FIELDS = ['id', 'url', 'method', 'type'] as const;

function checkRecord(value: unknown, i: number): RequestRecord {
  const where = `requests[${i}]`;
  if (!isObject(value)) fail(where, 'must be an object');
  for (const f of STRING_FIELDS) if (typeof value[f] !== 'string') fail(`${where}.${f}`, 'must be a string');
  if (value.status !== null && typeof value.status !== 'number') fail(`${where}.status`, 'must be a number or null');
  if (typeof value.isPreflight !== 'boolean') fail(`${where}.isPreflight`, 'must be true or false');
  checkHeaders(value.requestHeaders, `${where}.requestHeaders`);
  checkHeaders(value.responseHeaders, `${where}.responseHeaders`);
  if (!Array.isArray(value.redirects)) fail(`${where}.redirects`, 'must be a list');
  for (let j = 0; j < value.redirects.length; j++) {
    const h: unknown = value.redirects[j];
    if (!isObject(h)) fail(`${where}.redirects[${j}]`, 'must be an object');
    checkHeaders(h.responseHeaders, `${where}.redirects[${j}].responseHeaders`);
  }
  if (!isObject(value.credentials)) fail(`${where}.credentials`, 'must be an object');
  if (value.verdict !== null) checkVerdict(value.verdict, `${where}.verdict`);
  // Absent from logs written before cookie verdicts, and from records whose jar was never read.
  if (value.cookies !== undefined) {
    const problem = cookieVerdictProblem(value.cookies);
    if (problem !== null) fail(`${where}.cookies${problem.field === '' ? '' : `.${problem.field}`}`, problem.what);
  }
  return value as unknown as RequestRecord;
}

/** What the panel reads of a verdict: an unknown outcome or reason code is refused, not shown. */
function checkVerdict(v: unknown, where: string): void {
  if (!isObject(v)) fail(where, 'must be an object or null');
  if (!isOutcome(v.outcome)) fail(`${where}.outcome`, `must be one of ${OUTCOMES.join(', ')}`);
  if (v.reason !== null) {
    const reason = readReasonCode(v.reason);
    if (reason === null) fail(`${where}.reason`, 'must be a reason code of docs/verdicts.md or null');
    v.reason = reason;
  }
  if (!isListOf(v.fix, isString)) fail(`${where}.fix`, 'must be a list of strings');
  if (!isListOf(v.hiddenHeaders, isString)) fail(`${where}.hiddenHeaders`, 'must be a list of strings');
  // Codes and parameters since the wording modules; older logs saved the words (text, detail) instead.
  if (!isListOf(v.warnings, (w) => isObject(w) && typeof w.code === 'string' && (w.text === undefined || typeof w.text === 'string'))) {
    fail(`${where}.warnings`, 'must be a list of {code, params} (or {code, text})');
  }
  if (!isListOf(v.steps, (s) => isObject(s) && (typeof s.code === 'string' || typeof s.detail === 'string'))) {
    fail(`${where}.steps`, 'must be a list of {check, hop, passed, code, params} (or with detail)');
  }
}

/** Parses a session log; throws LogFormatError with a readable message for anything else. */
export function parseSessionLog(text: string): SessionLog {
  return readSessionLog(parseLogJson(text));
}

const DROP_COUNTS = ['requests', 'messages', 'websockets'] as const;
const LATER_DROP_COUNTS = ['requestsForBudget', 'rejected', 'rejectedBatches'] as const;

/** `dropped`, each count checked: the panel shows them. Absent counts (and an absent `dropped`) read as none. */
function checkDropped(value: unknown): SessionLog['dropped'] {
  if (value !== undefined && !isObject(value)) fail('"dropped"', 'must be an object');
  const count = (key: string): number | undefined => {
    const n = value?.[key];
    if (n !== undefined && !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) fail(`"dropped.${key}"`, 'must be a whole number, 0 or more');
    return n;
  };
  const dropped: SessionLog['dropped'] = { requests: 0, messages: 0, websockets: 0 };
  for (const key of DROP_COUNTS) dropped[key] = count(key) ?? 0;
  for (const key of LATER_DROP_COUNTS) {
    const n = count(key);
    if (n !== undefined) dropped[key] = n;
  }
  return dropped;
}

/**
 * The page hooks' drop counts a log holds, each from its own field; none where a log written
 * before them has no such field. The log keeps no page-hook requests, so no count of them.
 */
export function pageDropsOf(dropped: SessionLog['dropped']): PageDrops {
  const page: PageDrops = { ...noPageDrops(), messages: dropped.messages, websockets: dropped.websockets, rejected: dropped.rejected ?? 0 };
  if (dropped.rejectedBatches) page.rejectedBatches = dropped.rejectedBatches;
  return page;
}

/** Reads a session log already parsed from JSON. */
export function readSessionLog(data: unknown): SessionLog {
  if (!isObject(data) || data.format !== SESSION_LOG_FORMAT) fail('the file', `has no "format": "${SESSION_LOG_FORMAT}"`);
  if (data.version !== SESSION_LOG_VERSION) {
    throw new LogFormatError(`Session log version ${String(data.version)} is not supported (this version of Origin Lens reads version ${SESSION_LOG_VERSION}).`);
  }
  if (!Array.isArray(data.requests)) fail('"requests"', 'must be a list');
  data.requests.forEach(checkRecord);
  // Absent lists (logs written before page hooks) read as empty.
  const listOf = (key: string): unknown[] => {
    const list = data[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) fail(`"${key}"`, 'must be a list');
    return list;
  };
  return {
    ...(data as unknown as SessionLog),
    messages: listOf('messages').map(checkMessage),
    websockets: listOf('websockets').map(checkWebSocket),
    findings: listOf('findings').map(checkFinding),
    navigations: listOf('navigations').map(checkNavigation),
    dropped: checkDropped(data.dropped),
  };
}

