// Security and hygiene findings over a whole session: what the observed traffic proves about a
// server's CORS policy beyond pass/fail, with how sure we are. Scanners probe with forged
// origins; we only see the origins a page really uses, so confidence says what was seen.
import type { HeaderList } from '../net/headers';
import { getHeader, hasHeader, parseVary } from '../net/headers';
import { originOf, parseOrigin, parseUrl, sameSite } from '../net/origin';
import type { CorsObservation, Verdict } from './verdict';
import { resourceKind } from './classify';

export type Severity = 'high' | 'medium' | 'low' | 'info';
/** certain: the traffic shows it outright; firm: seen more than once; tentative: consistent with one sighting. */
export type Confidence = 'certain' | 'firm' | 'tentative';

/** Finding codes. postMessage findings (added by the page-hook work) extend this union. */
export type FindingCode =
  | 'reflected-origin-with-credentials'
  | 'null-origin-allowed'
  | 'http-origin-trusted'
  | 'dynamic-acao-without-vary'
  | 'wildcard-with-credentials'
  | 'jsonp-endpoint'
  | 'cross-site-websocket'
  | 'preflight-cost'
  // From the page hooks' postMessage records (page-findings.ts).
  | 'postmessage-wildcard-target'
  | 'message-listener-no-origin-check'
  | 'message-listener-weak-origin-check'
  // From the requests' cookie verdicts (session/cookie-findings.ts).
  | 'credentialed-request-without-cookies'
  | 'set-cookie-rejected';

export interface Finding {
  /** Stable id: code and subject, so the same finding keeps its id across recomputations. */
  id: string;
  code: FindingCode;
  severity: Severity;
  title: string;
  /** One line: what was seen and why it matters. */
  explanation: string;
  confidence: Confidence;
  /** What it is about: a server origin or a URL. */
  subject: string;
  /** Ids of the requests (or messages) that show it. */
  evidence: string[];
}

/** One observed request (WebSocket handshakes included), with its verdict. */
export interface ObservedRequest {
  id: string;
  obs: CorsObservation;
  verdict: Verdict;
}

const JSONP_PARAMS = new Set(['callback', 'cb', 'jsonp', 'jsoncallback', 'jsonpcallback', 'jsonp_callback', '_callback', 'callbackname']);
const JS_IDENTIFIER = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** The callback parameter of a JSONP-looking URL, or null. */
export function jsonpParameter(url: string): string | null {
  const q = url.indexOf('?');
  if (q === -1) return null;
  const query = url.slice(q + 1).split('#')[0] ?? '';
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).toLowerCase();
    let value = pair.slice(eq + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (JSONP_PARAMS.has(name) && JS_IDENTIFIER.test(value)) return name;
  }
  return null;
}

interface Group {
  ids: string[];
  origins: Set<string>;
  credentialed: boolean;
}

function acaoOf(r: ObservedRequest): string | null {
  return r.obs.response === null ? null : getHeader(r.obs.response.headers, 'access-control-allow-origin');
}

function acacTrue(headers: HeaderList): boolean {
  return getHeader(headers, 'access-control-allow-credentials') === 'true';
}

function add(map: Map<string, Group>, key: string, r: ObservedRequest, origin: string, credentialed: boolean): void {
  let g = map.get(key);
  if (g === undefined) map.set(key, (g = { ids: [], origins: new Set(), credentialed: false }));
  g.ids.push(r.id);
  g.origins.add(origin);
  g.credentialed ||= credentialed;
}

function finding(code: FindingCode, subject: string, f: Omit<Finding, 'id' | 'code' | 'subject'>): Finding {
  return { id: `${code}:${subject}`, code, subject, ...f };
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export function computeFindings(requests: readonly ObservedRequest[]): Finding[] {
  const reflected = new Map<string, Group>();
  const nullAllowed = new Map<string, Group>();
  const httpTrusted = new Map<string, Group>();
  const noVary = new Map<string, Group>();
  const wildcardCreds = new Map<string, Group>();
  const jsonp = new Map<string, Group>();
  const websockets = new Map<string, Group>();
  const preflights = new Map<string, { ids: string[]; total: number; timed: number }>();

  for (const r of requests) {
    const obs = r.obs;
    const server = originOf(obs.url);
    const headers = obs.response?.headers ?? [];
    const origin = r.verdict.requestOrigin;
    const kind = resourceKind(obs.type);

    if (kind === 'websocket' || r.verdict.mode === 'websocket') {
      const wsOrigin = getHeader(obs.requestHeaders, 'origin');
      const target = parseUrl(obs.url);
      const asHttp = target === null ? null : originOf(obs.url.replace(/^ws/i, 'http'));
      if (obs.response?.status === 101 && wsOrigin !== null && asHttp !== null && hasHeader(obs.requestHeaders, 'cookie') && !sameSite(wsOrigin, asHttp)) {
        add(websockets, originOf(obs.url.replace(/^ws/i, 'http')).replace(/^http/, 'ws'), r, wsOrigin, true);
      }
      continue;
    }
    if (kind === 'script' && jsonpParameter(obs.url) !== null && obs.response !== null && obs.response.status < 400) {
      const path = obs.url.split('?')[0] ?? obs.url;
      add(jsonp, path, r, origin ?? 'unknown', hasHeader(obs.requestHeaders, 'cookie'));
    }
    if (r.verdict.preflight === 'sent' && obs.preflight !== null) {
      const key = `${obs.method.toUpperCase()} ${obs.url}`;
      let p = preflights.get(key);
      if (p === undefined) preflights.set(key, (p = { ids: [], total: 0, timed: 0 }));
      p.ids.push(r.id);
      const d = obs.preflight.duration;
      if (typeof d === 'number' && Number.isFinite(d) && d >= 0) {
        p.total += d;
        p.timed++;
      }
    }

    const acao = acaoOf(r);
    if (acao === null || origin === null) continue;
    const creds = acacTrue(headers);
    if (acao === '*') {
      if (creds) add(wildcardCreds, server, r, origin, true);
      continue;
    }
    if (acao === 'null') {
      add(nullAllowed, server, r, origin, creds);
      continue;
    }
    if (acao !== origin) continue;
    // The server echoed the request's origin.
    const o = parseOrigin(acao);
    if (o !== null && o.scheme === 'http' && server.startsWith('https:')) add(httpTrusted, server, r, origin, creds);
    if (creds) add(reflected, server, r, origin, true);
    const vary = parseVary(headers);
    if (!vary.includes('origin') && !vary.includes('*')) add(noVary, server, r, origin, creds);
  }

  const out: Finding[] = [];
  for (const [server, g] of reflected) {
    // One echoed origin is what an allowlist does; several distinct ones look like reflection.
    if (g.origins.size < 2) continue;
    const crossSite = [...g.origins].some((o) => !sameSite(o, server));
    out.push(
      finding('reflected-origin-with-credentials', server, {
        severity: crossSite ? 'high' : 'medium',
        title: 'Origin reflected with credentials allowed',
        explanation: `${server} echoed ${g.origins.size} different origins (${[...g.origins].slice(0, 3).join(', ')}) with Access-Control-Allow-Credentials: true; if it echoes any origin, any site can read its responses as the logged-in user.`,
        confidence: 'firm',
        evidence: g.ids,
      }),
    );
  }
  for (const [server, g] of nullAllowed) {
    out.push(
      finding('null-origin-allowed', server, {
        severity: g.credentialed ? 'high' : 'medium',
        title: "The 'null' origin is allowed",
        explanation: `${server} answers 'Access-Control-Allow-Origin: null'${g.credentialed ? ' with credentials' : ''}; any site can send Origin: null from a sandboxed iframe and read the response.`,
        confidence: 'certain',
        evidence: g.ids,
      }),
    );
  }
  for (const [server, g] of httpTrusted) {
    out.push(
      finding('http-origin-trusted', server, {
        severity: g.credentialed ? 'high' : 'medium',
        title: 'An http: origin is trusted by an https: resource',
        explanation: `${server} allows ${[...g.origins].join(', ')}; a network attacker who controls that plain-HTTP origin can read this HTTPS resource.`,
        confidence: 'certain',
        evidence: g.ids,
      }),
    );
  }
  for (const [server, g] of noVary) {
    out.push(
      finding('dynamic-acao-without-vary', server, {
        severity: 'low',
        title: 'Origin-dependent Access-Control-Allow-Origin without Vary: Origin',
        explanation: `${server} echoes the request's origin but does not send 'Vary: Origin'; a shared cache can serve one origin's answer to another (CORS failures, or cache poisoning).`,
        confidence: g.origins.size > 1 ? 'firm' : 'tentative',
        evidence: g.ids,
      }),
    );
  }
  for (const [server, g] of wildcardCreds) {
    out.push(
      finding('wildcard-with-credentials', server, {
        severity: 'info',
        title: "'Access-Control-Allow-Origin: *' with 'Access-Control-Allow-Credentials: true'",
        explanation: `${server} sends both; browsers reject '*' for credentialed requests, so this is a misconfiguration, not an exploitable hole.`,
        confidence: 'certain',
        evidence: g.ids,
      }),
    );
  }
  for (const [path, g] of jsonp) {
    out.push(
      finding('jsonp-endpoint', path, {
        severity: g.credentialed ? 'medium' : 'low',
        title: 'JSONP endpoint',
        explanation: `${path} is loaded as a script with a callback parameter; any site can include it and read the data${g.credentialed ? ', with the user’s cookies' : ''}.`,
        confidence: 'firm',
        evidence: g.ids,
      }),
    );
  }
  for (const [socket, g] of websockets) {
    out.push(
      finding('cross-site-websocket', socket, {
        severity: g.origins.size > 1 ? 'high' : 'medium',
        title: 'Cross-site WebSocket handshake accepted with cookies',
        explanation: `${socket} accepted (101) a handshake carrying cookies from ${[...g.origins].join(', ')}; unless it checks Origin against a list, any site can open this socket as the user (CSWSH).`,
        confidence: g.origins.size > 1 ? 'firm' : 'tentative',
        evidence: g.ids,
      }),
    );
  }
  for (const [key, p] of preflights) {
    if (p.ids.length < 2) continue;
    const time = p.timed > 0 ? ` They took ${Math.round(p.total)} ms in all${p.timed < p.ids.length ? ` (${p.timed} timed)` : ''}.` : '';
    out.push(
      finding('preflight-cost', key, {
        severity: 'info',
        title: 'The same request is preflighted again and again',
        explanation: `${key} was preflighted ${p.ids.length} times.${time} Send 'Access-Control-Max-Age: 7200' (Chromium's cap; Firefox allows 86400) to cache the preflight.`,
        confidence: 'certain',
        evidence: p.ids,
      }),
    );
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
}
