// The fix, proven on real servers: from a session of the lab's cross-origin CORS scenarios
// (blocked and allowed), compute what the server must allow, render it for each stack, run
// that stack with the config, and replay every request with the page's own fetch in real
// Chromium and Firefox. Every one must now succeed; an origin absent from the session must
// still be refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixPlan } from '../../src/core/fix/requirements';
import { stackById } from '../../src/core/fix/stacks';
import { answer, freePort, listen, startBackend, type Running } from '../servers/backend';
import { startExpress, startFastify } from '../servers/node-stacks.mjs';
import { CORS_SCENARIOS, scenarioRecords } from '../servers/scenario-records';
import { binary, startWebServer, type WebServer } from '../servers/web-servers';
import { BROWSERS, launch, type ExtensionBrowser, type Tab } from './browsers';

const STACKS = ['express', 'fastify', 'nginx', 'apache', 'caddy'] as const;
type StackId = (typeof STACKS)[number];
const WEB_SERVERS: Record<string, WebServer> = { nginx: 'nginx', apache: 'apache', caddy: 'caddy' };

/** Why a stack cannot run here (its binary is not installed), or null. */
const MISSING = new Map<StackId, string | null>(
  STACKS.map((id) => [id, id in WEB_SERVERS && binary(WEB_SERVERS[id]!) === null ? `${id} is not installed (apt-get install -y ${id === 'apache' ? 'apache2' : id})` : null]),
);

interface Call {
  id: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials?: RequestCredentials;
  read: string[];
}
interface Outcome {
  id: string;
  ok: boolean;
  status: number;
  read: Record<string, string | null>;
  error: string | null;
}

const CALLS: Call[] = CORS_SCENARIOS.flatMap((s) =>
  Array.from({ length: s.repeat ?? 1 }, () => ({
    id: s.id,
    method: s.request.method,
    headers: s.request.headers ?? {},
    body: s.request.body,
    credentials: s.request.credentials,
    read: s.read ?? [],
  })),
);

// The page's own fetch, one call after another (serialized into the page: no closures).
async function replay(api: string, calls: Call[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const c of calls) {
    try {
      const init: RequestInit = { method: c.method, headers: c.headers, cache: 'no-store' };
      if (c.body !== undefined) init.body = c.body;
      if (c.credentials !== undefined) init.credentials = c.credentials;
      const r = await fetch(`${api}/s/${c.id}`, init);
      await r.text();
      out.push({ id: c.id, ok: true, status: r.status, read: Object.fromEntries(c.read.map((n) => [n, r.headers.get(n)])), error: null });
    } catch (e) {
      out.push({ id: c.id, ok: false, status: 0, read: {}, error: String(e) });
    }
  }
  return out;
}

let backend: Running;
let pages: Running[];
const servers = new Map<StackId, { api: string; running: Running }>();
const origins = (port: number) => ({ app: `http://app.lab.test:${port}`, other: `http://other.test:${port}` });

beforeAll(async () => {
  backend = await startBackend();
  // Two page origins (one host, two ports) use the API; other.test never did.
  const page = () => listen((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>page</title>'));
  pages = [await page(), await page()];
  const pageOrigins = pages.map((p) => origins(p.port).app);
  for (const id of STACKS) {
    if (MISSING.get(id)) continue;
    const port = await freePort();
    const api = `http://api.lab.test:${port}`;
    const plan = fixPlan(scenarioRecords(pageOrigins, api));
    expect(plan.servers.map((s) => s.server)).toEqual([api]);
    const config = stackById(id)!.render(plan.servers[0]!).text;
    const running =
      id === 'express' ? await startExpress(config, answer, port)
      : id === 'fastify' ? await startFastify(config, answer, port)
      : await startWebServer(WEB_SERVERS[id]!, config, port, backend);
    servers.set(id, { api, running });
  }
});
afterAll(async () => {
  for (const { running } of servers.values()) await running.close();
  for (const p of pages ?? []) await p.close();
  await backend?.close();
});

describe.each(BROWSERS)('%s', (name) => {
  let browser: ExtensionBrowser;
  let tab: Tab;
  beforeAll(async () => {
    browser = await launch(name);
    tab = await browser.open(`${origins(pages[0]!.port).app}/`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const id of STACKS) {
    const why = MISSING.get(id);
    if (why) {
      it.skip(`${id}: skipped, ${why}`, () => {});
      continue;
    }
    it(`${id}: every request of the session goes through; another origin is refused`, async () => {
      const { api } = servers.get(id)!;
      for (const p of pages) {
        await tab.goto(`${origins(p.port).app}/`);
        const outcomes = await tab.evaluate(replay, api, CALLS);
        expect(outcomes.filter((o) => !o.ok)).toEqual([]);
        expect(outcomes.map((o) => o.id)).toEqual(CALLS.map((c) => c.id));
        // Exposed as the session read it: X-Request-Id yes, X-Hidden still not.
        expect(outcomes.find((o) => o.id === 'expose-headers')?.read).toEqual({ 'X-Request-Id': 'req-42', 'X-Hidden': null });
        expect(outcomes.find((o) => o.id === 'server-error')?.status).toBe(500);
      }
      await tab.goto(`${origins(pages[0]!.port).other}/`);
      const probes = CALLS.filter((c) => ['simple-allowed', 'preflight-allowed', 'credentialed-allowed'].includes(c.id));
      const refused = await tab.evaluate(replay, api, probes);
      expect(refused.map((o) => [o.id, o.ok])).toEqual(probes.map((c) => [c.id, false]));
    });
  }
});
