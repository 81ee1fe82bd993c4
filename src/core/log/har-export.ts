import type { HeaderList } from '../net/headers';
import type { WebSocketRecord } from '../page/records';
import type { RequestRecord } from '../session/record';
import { redactRecord, redactUrl, redactWebSocket } from './redact';
import type { Browser } from '../browser';
import { loadFacts, reasonWords, type ReasonWords } from '../words/words';

// HAR 1.2 export. One entry per HTTP exchange: each redirect hop is an entry of its own, as
// browsers write them. Origin Lens's own facts ride in underscore fields, which HAR allows.

interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: HarHeader[];
    queryString: HarHeader[];
    headersSize: -1;
    bodySize: -1;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: HarHeader[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: -1;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _resourceType: string;
  _originLens: {
    id: string;
    isPreflight: boolean;
    preflight: string | null;
    preflightFor: string | null;
    credentials: RequestRecord['credentials'];
    jsonp: boolean;
    /** On redirect hop entries: which hop of the request this is; the verdict sits on the last entry. */
    redirectHop?: number;
    verdict: RequestRecord['verdict'];
    /** The verdict's reason in the judging browser's console words, for readers that know no codes. */
    said?: ReasonWords | null;
    /** On the last entry, when the record has one. */
    cookies?: RequestRecord['cookies'];
  };
  _webSocketMessages?: { type: 'send' | 'receive'; time: number; opcode: 1 | 2; data: string }[];
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    browser?: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
  };
}

function queryOf(url: string): HarHeader[] {
  try {
    const out: HarHeader[] = [];
    new URL(url).searchParams.forEach((value, name) => out.push({ name, value }));
    return out;
  } catch {
    return [];
  }
}

function statusText(statusLine: string | null): string {
  // "HTTP/1.1 404 Not Found" -> "Not Found"
  return statusLine?.replace(/^\S+\s+\d+\s*/, '') ?? '';
}

function mimeOf(headers: HeaderList): string {
  return headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
}

export interface HarOptions {
  includeSecrets: boolean;
  extensionVersion: string;
  pageUrl: string | null;
  startedAt: number;
  browser: Browser | null;
}

export function toHar(allRecords: RequestRecord[], allWebsockets: WebSocketRecord[], options: HarOptions): Har {
  const keep = options.includeSecrets;
  const records = keep ? allRecords : allRecords.map(redactRecord);
  const websockets = keep ? allWebsockets : allWebsockets.map(redactWebSocket);
  const pageUrl = keep || options.pageUrl === null ? options.pageUrl : redactUrl(options.pageUrl);
  const iso = (t: number) => new Date(t).toISOString();
  const entries: HarEntry[] = [];
  for (const r of records) {
    const lens = {
      id: r.id,
      isPreflight: r.isPreflight,
      preflight: r.preflight,
      preflightFor: r.preflightFor,
      credentials: r.credentials,
      jsonp: r.jsonp,
    };
    const base = (url: string, requestHeaders: HeaderList, start: number) => ({
      pageref: 'page_1',
      startedDateTime: iso(start),
      request: {
        method: r.method,
        url,
        httpVersion: 'HTTP/1.1',
        cookies: [] as [],
        headers: requestHeaders,
        queryString: queryOf(url),
        headersSize: -1 as const,
        bodySize: -1 as const,
      },
      cache: {},
      _resourceType: r.type,
    });
    let start = r.startTime;
    r.redirects.forEach((hop, i) => {
      entries.push({
        ...base(hop.url, hop.requestHeaders, start),
        time: Math.max(0, hop.time - start),
        response: {
          status: hop.status,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: hop.responseHeaders,
          content: { size: 0, mimeType: mimeOf(hop.responseHeaders) },
          redirectURL: hop.location,
          headersSize: -1,
          bodySize: -1,
        },
        timings: { send: 0, wait: Math.max(0, hop.time - start), receive: 0 },
        _originLens: { ...lens, redirectHop: i, verdict: null },
      });
      start = hop.time;
    });
    const time = r.endTime === null ? 0 : Math.max(0, r.endTime - start);
    const entry: HarEntry = {
      ...base(r.finalUrl, r.requestHeaders, start),
      time,
      response: {
        status: r.status ?? 0,
        statusText: statusText(r.statusLine),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: r.responseHeaders,
        content: { size: -1, mimeType: mimeOf(r.responseHeaders) },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        ...(r.error ? { _error: r.error } : {}),
      },
      timings: { send: 0, wait: time, receive: 0 },
      _originLens: { ...lens, verdict: r.verdict, said: r.verdict === null ? null : reasonWords(r.verdict, options.browser ?? 'chromium', loadFacts(r)), ...(r.cookies ? { cookies: r.cookies } : {}) },
    };
    if (r.type === 'websocket') {
      const socket = websockets.find((w) => w.handshake.requestId === r.id);
      if (socket) {
        entry._webSocketMessages = socket.frames.map((f) => ({
          type: f.direction === 'sent' ? 'send' : 'receive',
          time: f.time / 1000,
          opcode: f.binary ? 2 : 1,
          data: f.preview,
        }));
      }
    }
    entries.push(entry);
  }
  return {
    log: {
      version: '1.2',
      creator: { name: 'Origin Lens', version: options.extensionVersion },
      ...(options.browser ? { browser: { name: options.browser, version: '' } } : {}),
      pages: [{ startedDateTime: iso(options.startedAt), id: 'page_1', title: pageUrl ?? '', pageTimings: {} }],
      entries,
    },
  };
}
