// What a server must allow, from what a session saw: per server origin, the exact page
// origins, methods, request headers, credentials and exposed headers under which every
// blocked CORS request of the session goes through and every allowed one keeps working, and
// the headers beyond CORS (CORP, COEP, COOP, Content-Type) that let its other blocked loads
// through (block-fixes.ts). Stack renderers (./stacks) turn it into configuration;
// docs/fixes.md describes it.
import { MAX_AGE_CAP } from '../cors/classify';
import { exposedResponseHeaders, isSafelistedMethod, unsafeHeaderNames } from '../cors/safelist';
import { getHeader, parseNameList } from '../net/headers';
import { originOf, parseOrigin } from '../net/origin';
import { pairedPreflight, type RequestRecord } from '../session/record';
import { blockFix, corpFor, type ContentTypeFix, type PolicyHeader } from './block-fixes';

/** Chromium's cap for Access-Control-Max-Age (Firefox's is longer): the longest both honour. */
export const MAX_AGE = MAX_AGE_CAP.chromium;

export interface ServerRequirements {
  /** The server's serialized origin. */
  server: string;
  /** Page origins to allow, exactly (an allow-list: never `*`, never the request's Origin echoed unchecked). */
  origins: string[];
  /** Methods that need Access-Control-Allow-Methods (GET, HEAD and POST never do), as the page sent them. */
  methods: string[];
  /** Request headers that need Access-Control-Allow-Headers, lowercased. */
  requestHeaders: string[];
  /** Some request was credentialed: Access-Control-Allow-Credentials: true. */
  credentials: boolean;
  /** Response headers the page could read beyond the safelisted ones, lowercased. */
  exposedHeaders: string[];
  /** Access-Control-Max-Age for the preflights. */
  maxAge: number;
  /** CORS requests reached the server, so it needs the CORS headers above; false when only blocks beyond CORS did. */
  cors: boolean;
  /** Headers beyond CORS to send on every response (CORP, COEP, COOP), sorted by name. */
  policies: PolicyHeader[];
  /** Resources ORB refused for their Content-Type, with the type each must be served with. */
  contentTypes: ContentTypeFix[];
  /** Ids of the requests these requirements cover. */
  requests: string[];
}

/** A CORS request no server setting can fix, and why. */
export interface Unfixable {
  id: string;
  url: string;
  why: string;
}

export interface FixPlan {
  servers: ServerRequirements[];
  unfixable: Unfixable[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Origins of the servers a request met that are not the page itself (each hop of a redirect answers for itself). */
function serversOf(r: RequestRecord, page: string): string[] {
  const hops = [...r.redirects.map((h) => h.url), r.finalUrl];
  return [...new Set(hops.map(originOf))].filter((o) => o !== page && parseOrigin(o) !== null);
}

/** Headers the browser asks the server to allow: the preflight's list, the unsafe ones it shows, Authorization when the page set it. */
function requestHeadersOf(r: RequestRecord, preflight: RequestRecord | null): string[] {
  const asked = parseNameList(preflight ? getHeader(preflight.requestHeaders, 'access-control-request-headers') : null);
  // Firefox safelists fewer headers than Chromium: a header either engine would preflight is listed.
  const seen = unsafeHeaderNames(r.requestHeaders, 'firefox');
  const authorization = r.credentials.authorization === true || r.hook?.authorization === true ? ['authorization'] : [];
  return [...asked, ...seen, ...authorization];
}

/** Non-safelisted response headers the page could read (listed in Access-Control-Expose-Headers, or all under `*`). */
function exposedOf(r: RequestRecord): string[] {
  const verdict = r.verdict!;
  const safelisted = new Set(exposedResponseHeaders(r.responseHeaders, null, true).exposed);
  return verdict.exposedHeaders.filter((n) => !safelisted.has(n));
}

/** Why a blocked request is not fixed by the server's headers, or null when it is. */
function unfixableWhy(r: RequestRecord): string | null {
  const verdict = r.verdict!;
  if (verdict.requestOrigin === 'null') {
    return "its Origin was 'null' (after a cross-origin redirect, or from a sandboxed document): allowing 'null' would let any sandboxed page read the response. Send the request straight to the final URL instead.";
  }
  if (verdict.outcome === 'blocked' && !verdict.fix.some((line) => /^access-control-/i.test(line))) {
    return `blocked by ${verdict.reason ?? 'the browser'}, which no response header fixes${verdict.diagnosis ? `: ${verdict.diagnosis}` : '.'}`;
  }
  return null;
}

interface ServerNeeds {
  origins: Set<string>;
  methods: Set<string>;
  headers: Set<string>;
  exposed: Set<string>;
  credentials: boolean;
  cors: boolean;
  embedders: Set<string>;
  policies: Map<PolicyHeader['name'], string>;
  contentTypes: Map<string, string>;
  requests: string[];
}

/**
 * The requirements per server origin for the session's CORS requests (allowed and blocked;
 * preflights are read through the requests they guard) and its loads blocked beyond CORS.
 * Pure: no browser APIs.
 */
export function fixPlan(records: readonly RequestRecord[]): FixPlan {
  const byId = new Map(records.map((r) => [r.id, r]));
  const servers = new Map<string, ServerNeeds>();
  const needs = (server: string): ServerNeeds => {
    let s = servers.get(server);
    if (s === undefined) {
      s = { origins: new Set(), methods: new Set(), headers: new Set(), exposed: new Set(), credentials: false, cors: false, embedders: new Set(), policies: new Map(), contentTypes: new Map(), requests: [] };
      servers.set(server, s);
    }
    return s;
  };
  const unfixable: Unfixable[] = [];
  for (const r of records) {
    const verdict = r.verdict;
    if (r.isPreflight || verdict === null) continue;
    const block = blockFix(r);
    if (block !== null) {
      const s = needs(block.server);
      for (const o of block.embedders) s.embedders.add(o);
      for (const p of block.policies) s.policies.set(p.name, p.value);
      if (block.contentType !== null) s.contentTypes.set(block.contentType.path, block.contentType.type);
      s.requests.push(r.id);
      continue;
    }
    // Allowed CORS requests must keep working; every blocked request is either fixed or named.
    if (!(verdict.outcome === 'blocked' || (verdict.outcome === 'allowed' && verdict.mode === 'cors'))) continue;
    const page = verdict.requestOrigin;
    if (page === null) {
      // No server can be told which origin to allow (a popup cut off by its own COOP, a load
      // with no initiator): named, as a blocked request must be.
      if (verdict.outcome === 'blocked') unfixable.push({ id: r.id, url: r.url, why: unfixableWhy(r) ?? 'the origin that made it is unknown, so no server can be told which origin to allow.' });
      continue;
    }
    const why = unfixableWhy(r);
    if (why !== null || parseOrigin(page) === null) {
      unfixable.push({ id: r.id, url: r.url, why: why ?? `its origin '${page}' is not a serialized origin a server could list.` });
      continue;
    }
    const preflight = pairedPreflight(r, byId);
    for (const server of serversOf(r, page)) {
      const s = needs(server);
      s.cors = true;
      s.origins.add(page);
      if (!isSafelistedMethod(r.method)) s.methods.add(r.method);
      for (const h of requestHeadersOf(r, preflight)) s.headers.add(h);
      if (verdict.outcome === 'allowed') for (const h of exposedOf(r)) s.exposed.add(h);
      s.credentials ||= verdict.credentials === 'include' || r.credentials.mode === 'include';
      s.requests.push(r.id);
    }
  }
  return {
    servers: [...servers.entries()]
      .sort(([a], [b]) => byText(a, b))
      .map(([server, s]) => ({
        server,
        origins: [...s.origins].sort(byText),
        methods: [...s.methods].sort(byText),
        requestHeaders: [...s.headers].sort(byText),
        credentials: s.credentials,
        exposedHeaders: [...s.exposed].sort(byText),
        maxAge: MAX_AGE,
        cors: s.cors,
        policies: [
          ...(s.embedders.size > 0 ? [corpFor(server, [...s.embedders])] : []),
          ...[...s.policies].map(([name, value]) => ({ name, value })),
        ].sort((a, b) => byText(a.name, b.name)),
        contentTypes: [...s.contentTypes].sort(([a], [b]) => byText(a, b)).map(([path, type]) => ({ path, type })),
        requests: s.requests,
      })),
    unfixable,
  };
}
