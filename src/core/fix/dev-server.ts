// A page served by a dev server on localhost can lose its cross-origin calls altogether: the
// dev server proxies a path of its own to the API, and the page calls that path, same-origin.
// This module finds such pages in a session (the dev server's own requests give it away) and
// the routes a proxy needs; ./dev-proxies renders them per tool.
import { parseOrigin, parseUrl } from '../net/origin';
import type { RequestRecord } from '../session/record';

export type DevServerKind = 'vite' | 'webpack' | 'next';

export interface DevServer {
  /** The page's origin: the dev server. */
  origin: string;
  kind: DevServerKind;
  /** The URL of the request that gave the dev server away. */
  evidence: string;
}

export interface ProxyRoute {
  /** The dev server's path that stands for the API (a request to PREFIX/x goes to TARGET/x). */
  prefix: string;
  /** The API's origin. */
  target: string;
  /** Ids of the cross-origin requests the route makes same-origin. */
  requests: string[];
}

export interface DevServerFix {
  server: DevServer;
  routes: ProxyRoute[];
}

/** `localhost` and its subdomains: the names dev servers run on (RFC 6761 keeps them loopback). */
function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function pathOf(rest: string): string {
  return rest.split(/[?#]/, 1)[0] ?? rest;
}

/** The dev server whose client this request is, by its path: Vite's client script, webpack-dev-server's HMR socket, Next's assets. */
function signature(r: RequestRecord, path: string): DevServerKind | null {
  if (path === '/@vite/client') return 'vite';
  if (path.startsWith('/_next/')) return 'next';
  if (path.startsWith('/sockjs-node')) return 'webpack';
  if (path === '/ws' && r.type === 'websocket') return 'webpack';
  return null;
}

/** The dev servers the session's pages ran on: a localhost page that loaded a dev server's client from itself. */
export function detectDevServers(records: readonly RequestRecord[]): DevServer[] {
  const found = new Map<string, DevServer>();
  for (const r of records) {
    const page = r.initiatorOrigin === null ? null : parseOrigin(r.initiatorOrigin);
    const target = parseUrl(r.url);
    if (page === null || target === null || found.has(r.initiatorOrigin!) || !isLocalhost(page.host)) continue;
    // The HMR socket is ws: on the page's host and port; everything else is the page's own origin.
    if (target.host !== page.host || target.port !== page.port) continue;
    const kind = signature(r, pathOf(target.rest));
    if (kind !== null) found.set(r.initiatorOrigin!, { origin: r.initiatorOrigin!, kind, evidence: r.url });
  }
  return [...found.values()];
}

/** The proxy routes that make the CORS requests of `page` same-origin: one path prefix per API origin. */
export function proxyRoutes(page: string, records: readonly RequestRecord[]): ProxyRoute[] {
  const byTarget = new Map<string, string[]>();
  for (const r of records) {
    const v = r.verdict;
    if (r.isPreflight || v === null || v.requestOrigin !== page) continue;
    if (!(v.outcome === 'blocked' || (v.outcome === 'allowed' && v.mode === 'cors'))) continue;
    const target = parseUrl(r.url);
    if (target === null || (target.scheme !== 'http' && target.scheme !== 'https') || target.origin === page) continue;
    byTarget.set(target.origin, [...(byTarget.get(target.origin) ?? []), r.id]);
  }
  const targets = [...byTarget.keys()].sort();
  return targets.map((target, i) => ({ prefix: targets.length === 1 ? '/api' : `/api-${i + 1}`, target, requests: byTarget.get(target)! }));
}

/** Every dev server of the session with the routes its proxy needs (those with nothing to route are left out). */
export function devServerFixes(records: readonly RequestRecord[]): DevServerFix[] {
  return detectDevServers(records)
    .map((server) => ({ server, routes: proxyRoutes(server.origin, records) }))
    .filter((f) => f.routes.length > 0);
}
