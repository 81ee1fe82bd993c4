// What the verdict rules read of one observation. The observation may come from anywhere (a
// session log, a HAR, the page), so its fields are checked here, once, and the facts every
// branch needs (target, origin, mode, credentials, error kind) are computed once.
import type { CredentialsMode, HookInfo, ModeSource, RequestMode } from './classify';
import { inferCredentials, inferMode, resourceKind } from './classify';
import type { HeaderList } from '../net/headers';
import { getHeader } from '../net/headers';
import type { ErrorKind } from '../net/errors';
import { errorKind } from '../net/errors';
import type { ParsedUrl } from '../net/origin';
import { parseOrigin, parseUrl } from '../net/origin';
import type { Browser } from '../browser';
import type { CorsObservation, PreflightObservation, RedirectObservation } from './verdict';

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The request's serialized origin: the initiator, else the first Origin header. */
function requestOriginOf(initiator: unknown, headers: HeaderList): string | null {
  const raw = typeof initiator === 'string' && initiator !== '' ? initiator : getHeader(headers, 'origin');
  if (raw === null || raw === '') return null;
  if (raw === 'null') return 'null';
  if (parseOrigin(raw) !== null) return raw; // already a serialized origin (the usual case; cached)
  const parsed = parseUrl(raw);
  return parsed === null ? null : parsed.origin;
}

/** Facts shared by every branch, computed once. */
export interface Context {
  browser: Browser;
  url: string;
  method: string;
  target: ParsedUrl | null;
  requestHeaders: HeaderList;
  hook: HookInfo | null;
  origin: string | null;
  firstCross: boolean;
  mode: RequestMode;
  /** Where the mode was read from (for the step that names it). */
  modeSource: ModeSource;
  credentials: CredentialsMode;
  error: string | null;
  errorKind: ErrorKind;
  /** The load was cancelled after its response arrived: it is judged on that response. */
  abortedAfterResponse: boolean;
  completed: boolean;
  response: { status: number; headers: HeaderList } | null;
  redirects: RedirectObservation[];
  preflight: PreflightObservation | null;
  /** Only provisional request headers are known (see CorsObservation). */
  provisional: boolean;
  /** Repeated response header lines may have been joined (see CorsObservation). */
  linesMerged: boolean;
  obs: CorsObservation;
}

export function readObservation(rawObs: CorsObservation): Context {
  const obs: CorsObservation = isObject(rawObs) ? rawObs : ({} as CorsObservation);
  const browser: Browser = obs.browser === 'firefox' ? 'firefox' : 'chromium';
  const url = str(obs.url);
  const method = str(obs.method) || 'GET';
  const requestHeaders = list<{ name: string; value: string }>(obs.requestHeaders);
  const hook = isObject(obs.hook) ? (obs.hook as HookInfo) : null;
  const target = parseUrl(url);
  const isWs = target !== null && (target.scheme === 'ws' || target.scheme === 'wss');
  const kind = isWs ? 'websocket' : resourceKind(obs.type);
  const origin = requestOriginOf(obs.initiatorOrigin, requestHeaders);
  const firstCross = origin !== null && (origin === 'null' || target === null || target.origin !== origin);
  const pf = isObject(obs.preflight) ? obs.preflight : null;
  const provisional = obs.requestHeadersProvisional === true;
  const inferred = inferMode({ kind, method, requestHeaders, hook, crossOrigin: firstCross, preflightSeen: pf !== null, provisional });
  // A ws:/wss: URL is a WebSocket handshake whatever the headers say.
  const { mode, source } = isWs && inferred.source !== 'hook' ? { mode: 'websocket' as const, source: 'resource-type' as const } : inferred;
  const { credentials } = inferCredentials(mode, kind, requestHeaders, hook);
  const error = str(obs.error) || null;
  const resp = isObject(obs.response) ? obs.response : null;
  const response =
    resp === null ? null : { status: typeof resp.status === 'number' ? resp.status : 0, headers: list<never>(resp.headers) };
  // A load cancelled after its response arrived (navigation away, AbortController, a body
  // nobody read) was already judged on that response: the page's fetch had resolved.
  const errKind = errorKind(error);
  const abortedAfterResponse = response !== null && response.status > 0 && errKind === 'aborted';
  const rawRedirects = list<unknown>(obs.redirects);
  // Copy only when some entry is malformed (hot path: usually an empty array).
  const redirects = (rawRedirects.every(isObject) ? rawRedirects : rawRedirects.filter(isObject)) as unknown as RedirectObservation[];
  return {
    browser,
    url,
    method,
    target,
    requestHeaders,
    hook,
    origin,
    firstCross,
    mode,
    modeSource: source,
    credentials,
    error,
    errorKind: abortedAfterResponse ? 'none' : errKind,
    abortedAfterResponse,
    completed: obs.completed === true,
    response,
    redirects,
    preflight: pf,
    provisional,
    linesMerged: obs.headerLinesMerged === true,
    obs,
  };
}

/** Errors that end a request for reasons other than CORS headers. */
export function isFailure(kind: ErrorKind): boolean {
  return kind === 'network' || kind === 'aborted' || kind === 'blocked-other';
}
