// Security and hygiene findings over a whole session: what the observed traffic proves about a
// server's CORS policy beyond pass/fail, with how sure we are. Scanners probe with forged
// origins; we only see the origins a page really uses, so confidence says what was seen.
import type { HeaderList } from '../net/headers';
import { getHeader, hasHeader, parseVary } from '../net/headers';
import { originOf, parseOrigin, parseUrl, sameSite } from '../net/origin';
import type { CorsObservation, Verdict } from './verdict';
import { jsonpParameter, MAX_AGE_CAP, preflightMaxAge, resourceKind } from './classify';
import type { Browser } from '../browser';

/** Most severe first: the order the Findings view lists them in. */
export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** certain: the traffic shows it outright; firm: seen more than once; tentative: consistent with one sighting. */
export const CONFIDENCES = ['certain', 'firm', 'tentative'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Finding codes: the CORS ones computed here, and the postMessage ones of src/core/page/findings.ts. */
export type FindingCode =
  | 'reflected-origin-with-credentials'
  | 'null-origin-allowed'
  | 'http-origin-trusted'
  | 'dynamic-acao-without-vary'
  | 'wildcard-with-credentials'
  | 'jsonp-endpoint'
  | 'cross-site-websocket'
  | 'preflight-cost'
  | 'coop-severed-opener'
  // From the page hooks' postMessage records (src/core/page/findings.ts).
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

function add(groups: Map<GroupCode, Map<string, Group>>, code: GroupCode, key: string, r: ObservedRequest, origin: string, credentialed: boolean): void {
  let map = groups.get(code);
  if (map === undefined) groups.set(code, (map = new Map()));
  let g = map.get(key);
  if (g === undefined) map.set(key, (g = { ids: [], origins: new Set(), credentialed: false }));
  g.ids.push(r.id);
  g.origins.add(origin);
  g.credentialed ||= credentialed;
}

function finding(code: FindingCode, subject: string, f: Omit<Finding, 'id' | 'code' | 'subject'>): Finding {
  return { id: `${code}:${subject}`, code, subject, ...f };
}

/** The findings made here from groups of requests (by server, socket or endpoint). */
type GroupCode = Exclude<
  FindingCode,
  'preflight-cost' | 'coop-severed-opener' | 'postmessage-wildcard-target' | 'message-listener-no-origin-check' | 'message-listener-weak-origin-check' | 'credentialed-request-without-cookies' | 'set-cookie-rejected'
>;

type Wording = Pick<Finding, 'severity' | 'title' | 'explanation' | 'confidence'>;

/** What each group's finding says about its subject; null when the group proves nothing. */
const WORDING: { readonly [C in GroupCode]: (subject: string, g: Group) => Wording | null } = {
  'reflected-origin-with-credentials': (server, g) =>
    // One echoed origin is what an allowlist does; several distinct ones look like reflection.
    g.origins.size < 2
      ? null
      : {
          severity: [...g.origins].some((o) => !sameSite(o, server)) ? 'high' : 'medium',
          title: 'Origin reflected with credentials allowed',
          explanation: `${server} echoed ${g.origins.size} different origins (${[...g.origins].slice(0, 3).join(', ')}) with Access-Control-Allow-Credentials: true; if it echoes any origin, any site can read its responses as the logged-in user.`,
          confidence: 'firm',
        },
  'null-origin-allowed': (server, g) => ({
    severity: g.credentialed ? 'high' : 'medium',
    title: "The 'null' origin is allowed",
    explanation: `${server} answers 'Access-Control-Allow-Origin: null'${g.credentialed ? ' with credentials' : ''}; any site can send Origin: null from a sandboxed iframe and read the response.`,
    confidence: 'certain',
  }),
  'http-origin-trusted': (server, g) => ({
    severity: g.credentialed ? 'high' : 'medium',
    title: 'An http: origin is trusted by an https: resource',
    explanation: `${server} allows ${[...g.origins].join(', ')}; a network attacker who controls that plain-HTTP origin can read this HTTPS resource.`,
    confidence: 'certain',
  }),
  'dynamic-acao-without-vary': (server, g) => ({
    severity: 'low',
    title: 'Origin-dependent Access-Control-Allow-Origin without Vary: Origin',
    explanation: `${server} echoes the request's origin but does not send 'Vary: Origin'; a shared cache can serve one origin's answer to another (CORS failures, or cache poisoning).`,
    confidence: g.origins.size > 1 ? 'firm' : 'tentative',
  }),
  'wildcard-with-credentials': (server) => ({
    severity: 'info',
    title: "'Access-Control-Allow-Origin: *' with 'Access-Control-Allow-Credentials: true'",
    explanation: `${server} sends both; browsers reject '*' for credentialed requests, so this is a misconfiguration, not an exploitable hole.`,
    confidence: 'certain',
  }),
  'jsonp-endpoint': (path, g) => ({
    severity: g.credentialed ? 'medium' : 'low',
    title: 'JSONP endpoint',
    explanation: `${path} is loaded as a script with a callback parameter; any site can include it and read the data${g.credentialed ? ', with the user’s cookies' : ''}.`,
    confidence: 'firm',
  }),
  'cross-site-websocket': (socket, g) => ({
    severity: g.origins.size > 1 ? 'high' : 'medium',
    title: 'Cross-site WebSocket handshake accepted with cookies',
    explanation: `${socket} accepted (101) a handshake carrying cookies from ${[...g.origins].join(', ')}; unless it checks Origin against a list, any site can open this socket as the user (CSWSH).`,
    confidence: g.origins.size > 1 ? 'firm' : 'tentative',
  }),
};

interface PreflightGroup {
  ids: string[];
  total: number;
  timed: number;
  /** The last Access-Control-Max-Age the preflights were answered with, or null. */
  maxAge: string | null;
  browser: Browser;
}

const BROWSER_NAMES: Readonly<Record<Browser, string>> = { chromium: 'Chromium', firefox: 'Firefox' };

/** What to send, given the Max-Age the server sends and the judging browser's cap. */
function maxAgeAdvice(p: PreflightGroup): string {
  const cap = MAX_AGE_CAP[p.browser];
  const name = BROWSER_NAMES[p.browser];
  const send = `Send 'Access-Control-Max-Age: ${cap}' (${name}'s cap${p.browser === 'chromium' ? `; Firefox allows ${MAX_AGE_CAP.firefox}` : ''}) to cache the preflight.`;
  if (p.maxAge === null) return `The server sends no Access-Control-Max-Age, so ${name} keeps each preflight for 5 s. ${send}`;
  const age = preflightMaxAge(p.maxAge, p.browser);
  if (age >= cap) {
    return `The server already sends 'Access-Control-Max-Age: ${p.maxAge}' (${name} keeps it ${cap} s, its cap): the preflights repeat for another reason, such as another credentials mode or request headers, or DevTools' "Disable cache".`;
  }
  return `The server sends 'Access-Control-Max-Age: ${p.maxAge}', which ${name} keeps ${age} s. ${send}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export function computeFindings(requests: readonly ObservedRequest[]): Finding[] {
  const groups = new Map<GroupCode, Map<string, Group>>();
  const preflights = new Map<string, PreflightGroup>();

  const out: Finding[] = [];
  for (const r of requests) {
    const obs = r.obs;
    const server = originOf(obs.url);
    if (r.verdict.reason === 'CoopSeveredOpener' && r.verdict.diagnosis !== null) {
      // The verdict's diagnosis names the policy, the side that sent it and the fix.
      out.push(
        finding('coop-severed-opener', obs.url, {
          severity: 'low',
          title: 'Cross-Origin-Opener-Policy cut a popup off from its opener',
          explanation: r.verdict.diagnosis,
          confidence: 'certain',
          evidence: [r.id],
        }),
      );
    }
    const headers = obs.response?.headers ?? [];
    const origin = r.verdict.requestOrigin;
    const kind = resourceKind(obs.type);

    if (kind === 'websocket' || r.verdict.mode === 'websocket') {
      const wsOrigin = getHeader(obs.requestHeaders, 'origin');
      const target = parseUrl(obs.url);
      const asHttp = target === null ? null : originOf(obs.url.replace(/^ws/i, 'http'));
      if (obs.response?.status === 101 && wsOrigin !== null && asHttp !== null && hasHeader(obs.requestHeaders, 'cookie') && !sameSite(wsOrigin, asHttp)) {
        add(groups, 'cross-site-websocket', asHttp.replace(/^http/, 'ws'), r, wsOrigin, true);
      }
      continue;
    }
    if (kind === 'script' && jsonpParameter(obs.url) !== null && obs.response !== null && obs.response.status < 400) {
      const path = obs.url.split('?')[0] ?? obs.url;
      add(groups, 'jsonp-endpoint', path, r, origin ?? 'unknown', hasHeader(obs.requestHeaders, 'cookie'));
    }
    if (r.verdict.preflight === 'sent' && obs.preflight !== null) {
      const key = `${obs.method.toUpperCase()} ${obs.url}`;
      let p = preflights.get(key);
      if (p === undefined) preflights.set(key, (p = { ids: [], total: 0, timed: 0, maxAge: null, browser: obs.browser }));
      p.ids.push(r.id);
      p.maxAge = getHeader(obs.preflight.responseHeaders, 'access-control-max-age') ?? p.maxAge;
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
      if (creds) add(groups, 'wildcard-with-credentials', server, r, origin, true);
      continue;
    }
    if (acao === 'null') {
      add(groups, 'null-origin-allowed', server, r, origin, creds);
      continue;
    }
    if (acao !== origin) continue;
    // The server echoed the request's origin.
    const o = parseOrigin(acao);
    if (o !== null && o.scheme === 'http' && server.startsWith('https:')) add(groups, 'http-origin-trusted', server, r, origin, creds);
    if (creds) add(groups, 'reflected-origin-with-credentials', server, r, origin, true);
    const vary = parseVary(headers);
    if (!vary.includes('origin') && !vary.includes('*')) add(groups, 'dynamic-acao-without-vary', server, r, origin, creds);
  }

  for (const [code, bySubject] of groups) {
    for (const [subject, g] of bySubject) {
      const wording = WORDING[code](subject, g);
      if (wording !== null) out.push(finding(code, subject, { ...wording, evidence: g.ids }));
    }
  }
  for (const [key, p] of preflights) {
    if (p.ids.length < 2) continue;
    const time = p.timed > 0 ? ` They took ${Math.round(p.total)} ms in all${p.timed < p.ids.length ? ` (${p.timed} timed)` : ''}.` : '';
    out.push(
      finding('preflight-cost', key, {
        severity: 'info',
        title: 'The same request is preflighted again and again',
        explanation: `${key} was preflighted ${p.ids.length} times.${time} ${maxAgeAdvice(p)}`,
        confidence: 'certain',
        evidence: p.ids,
      }),
    );
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
}
