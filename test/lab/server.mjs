// The demo lab: one server on loopback that answers as several origins, told apart by the
// Host header (app.lab.test is the page, api.lab.test the same-site API, other.test another
// site, api.other.test that site's API), over HTTP and over HTTPS (the same handler on its own
// port). Browsers map those names to 127.0.0.1 (see test/e2e/browsers.ts and start.mjs).
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { labCertificates } from './certs.mjs';
import { jar, login, setCookieLine } from './cookies.mjs';
import { devServer } from './dev-server.mjs';
import { scenarios, endpoints } from './scenarios.mjs';
import { secretCookieLine } from './secrets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const HOSTS = { app: 'app.lab.test', api: 'api.lab.test', other: 'other.test', otherApi: 'api.other.test', dev: 'dev.localhost' };
// Modules the lab page imports straight from the files the server and tests use.
const SHARED_MODULES = ['scenarios.mjs', 'cookies.mjs', 'secrets.mjs'];

const byId = new Map(scenarios.map((s) => [s.id, s]));

function fill(value, vars) {
  return value.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
}

function sendSpec(res, spec, vars, body) {
  const headers = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    headers[name] = Array.isArray(value) ? value.map((v) => fill(v, vars)) : fill(value, vars);
  }
  headers['Content-Type'] ??= 'application/json';
  headers['Cache-Control'] = 'no-store';
  res.writeHead(spec.status, headers);
  res.end(body);
}

/** A credentialed CORS answer for the request's own origin, with `extra` headers. */
function credentialedHeaders(req, extra) {
  const origin = req.headers.origin;
  return { ...(origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } : {}), Vary: 'Origin', 'Cache-Control': 'no-store', ...extra };
}

// The beyond-CORS pages (test/lab/page/blocks.js): a page or resource sends the isolation and
// resource policies its query asks for, from these values only.
const POLICY_VALUES = {
  coep: ['require-corp', 'credentialless', 'unsafe-none'],
  coop: ['same-origin', 'same-origin-allow-popups', 'unsafe-none'],
  corp: ['same-origin', 'same-site', 'cross-origin'],
};
const POLICY_HEADERS = { coep: 'Cross-Origin-Embedder-Policy', coop: 'Cross-Origin-Opener-Policy', corp: 'Cross-Origin-Resource-Policy' };

function policyHeaders(params) {
  const headers = {};
  for (const [key, values] of Object.entries(POLICY_VALUES)) {
    const value = params.get(key);
    if (value !== null && values.includes(value)) headers[POLICY_HEADERS[key]] = value;
  }
  return headers;
}

const GIF = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64');
// A document that tells whoever framed or opened it that it loaded (blocks.js waits for it).
const announce = (id) =>
  `<!doctype html><meta charset="utf-8"><title>lab block ${id}</title><p>Loaded.</p><script>(window.opener ?? window.parent).postMessage({ blockLoaded: ${JSON.stringify(id)} }, '*');</script>`;
const BODIES = {
  gif: ['image/gif', () => GIF],
  js: ['text/javascript', () => 'window.labBlockScript = (window.labBlockScript ?? 0) + 1;'],
  json: ['application/json', () => '{"secret": "not for other sites"}'],
  html: ['text/html; charset=utf-8', () => '<!doctype html><p>not an image</p>'],
  pdf: ['application/pdf', () => '%PDF-1.4\n'],
  doc: ['text/html; charset=utf-8', announce],
};

/**
 * One resource of the beyond-CORS pages: `as` picks the body (gif, js, json, html, pdf, or doc:
 * a document that announces itself), `ct` overrides its Content-Type, `corp`/`coep`/`coop` add
 * those policies, `acao=*` allows CORS, `nosniff=1` adds X-Content-Type-Options.
 */
function blockResource(req, res, params) {
  const [type, body] = BODIES[params.get('as') ?? ''] ?? BODIES.gif;
  const id = (params.get('id') ?? '').replace(/[^\w-]/g, '');
  const headers = { 'Content-Type': params.get('ct')?.replace(/[^\w/+.;= -]/g, '') || type, 'Cache-Control': 'no-store', ...policyHeaders(params) };
  if (params.get('acao') === '*') headers['Access-Control-Allow-Origin'] = '*';
  if (params.get('nosniff') === '1') headers['X-Content-Type-Options'] = 'nosniff';
  res.writeHead(200, headers);
  res.end(body(id));
}

/**
 * Starts the lab. `port` (HTTP) and `httpsPort` 0 pick free ports. Resolves with the origins of
 * each scheme, the CA file that signs the HTTPS certificate, and a close function. Every
 * request is appended to `log` (method, scheme, host, path, its `id` query parameter, origin
 * and cookie headers); `seen` waits for a matching entry.
 */
export async function startLab({ port = 0, httpsPort = 0, host = '127.0.0.1' } = {}) {
  const log = [];
  const waiters = new Set();
  const record = (entry) => {
    log.push(entry);
    for (const w of waiters) if (w.match(entry)) w.resolve(entry);
  };
  const handle = (req, res) => {
    const hostName = (req.headers.host ?? '').split(':')[0];
    const scheme = req.socket.encrypted ? 'https' : 'http';
    const origins = scheme === 'https' ? lab.httpsOrigins : lab.origins;
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host}`);
    const id = url.searchParams.get('id');
    record({ method: req.method, scheme, host: hostName, path: url.pathname, id, origin: req.headers.origin ?? null, cookie: req.headers.cookie ?? null });
    const vars = { origin: req.headers.origin ?? '', ...origins };
    const route = url.pathname;

    if (hostName === HOSTS.app && route === '/') {
      // A same-site cookie so that credentialed requests to api.lab.test carry one.
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Set-Cookie': 'lab_session=demo; Domain=lab.test; Path=/; SameSite=Lax',
        'Cache-Control': 'no-store',
      });
      res.end(readFileSync(join(here, 'page', 'index.html')));
      return;
    }
    // Dev servers serve plain HTTP: the dev page is on http: only.
    if (hostName === HOSTS.dev && scheme === 'http' && dev(req, res, route)) return;
    if (hostName === HOSTS.app && route.startsWith('/proxy/')) {
      // What a dev server's proxy does: the browser talks to its own origin only.
      const { origin: _origin, ...headers } = req.headers;
      const upstream = httpRequest(
        { host: '127.0.0.1', port: lab.port, path: route.slice('/proxy'.length) + url.search, method: req.method, headers: { ...headers, host: `${HOSTS.api}:${lab.port}` } },
        (up) => {
          const headers = { ...up.headers, 'x-lab-proxied-from': origins.api };
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    if (route.startsWith('/page/')) {
      const file = route.slice('/page/'.length).replace(/[^a-z0-9.-]/gi, '');
      const type = /\.m?js$/.test(file) ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8';
      try {
        const body = readFileSync(SHARED_MODULES.includes(file) ? join(here, file) : join(here, 'page', file));
        res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...policyHeaders(url.searchParams) });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    if (route === '/block/origins') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ http: lab.origins, https: lab.httpsOrigins }));
      return;
    }
    if (route === '/block/res') {
      blockResource(req, res, url.searchParams);
      return;
    }
    if (route === '/jsonp') {
      const callback = (url.searchParams.get('callback') ?? 'callback').replace(/[^\w$.]/g, '');
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      res.end(`${callback}(${JSON.stringify({ user: 'demo', from: hostName })});`);
      return;
    }
    if (route === '/cookies') {
      // The cookie lab needs a secure page (Secure and SameSite=None cookies).
      res.writeHead(302, { Location: `${lab.httpsOrigins.app}/page/cookies.html`, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (route === '/dev') {
      // The dev page is plain HTTP on its own host, as dev servers are.
      res.writeHead(302, { Location: `${lab.origins.dev}/`, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (route === '/cookie/set') {
      res.writeHead(200, credentialedHeaders(req, { 'Content-Type': 'application/json', 'Set-Cookie': jar.map(setCookieLine) }));
      res.end(JSON.stringify({ set: jar.map((c) => c.name), host: hostName }));
      return;
    }
    if (route === '/cookie/echo') {
      res.writeHead(200, credentialedHeaders(req, { 'Content-Type': 'application/json' }));
      res.end(JSON.stringify({ id }));
      return;
    }
    if (route === '/cookie/login') {
      // A sign-in page of api.other.test: it sets its cookies, then sends the browser back.
      const run = (url.searchParams.get('run') ?? '').replace(/[^\w-]/g, '');
      const back = `${lab.httpsOrigins.app}/page/cookies.html?run=${run}&phase=send`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Set-Cookie': login.map(setCookieLine) });
      res.end(`<!doctype html><title>Signed in</title><p>Signed in to ${hostName}; going back.</p><script>location.replace(${JSON.stringify(back)})</script>`);
      return;
    }
    if (route === '/__received') {
      // What the server received for each request of one cookie-lab run (ids `RUN-...`).
      const prefix = `${id}-`;
      const received = log.filter((e) => e.id?.startsWith(prefix)).map((e) => ({ id: e.id.slice(prefix.length), host: e.host, path: e.path, cookie: e.cookie }));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(received));
      return;
    }
    if (route.startsWith('/secret/')) {
      // The secrets lab (page/secrets.html): a cookie to set, a preflighted echo, a redirect to it.
      const extra =
        route === '/secret/login'
          ? { 'Set-Cookie': secretCookieLine }
          : route === '/secret/redirect'
            ? { Location: `${origins.api}/secret/echo${url.search}` }
            : { 'Access-Control-Allow-Headers': 'authorization, x-api-key', 'Access-Control-Allow-Methods': 'GET' };
      res.writeHead(route === '/secret/redirect' ? 302 : 200, credentialedHeaders(req, { 'Content-Type': 'application/json', ...extra }));
      res.end('{}');
      return;
    }
    if (route === '/pixel.gif' || route === '/cookie/pixel.gif') {
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
      res.end(GIF);
      return;
    }
    if (route.startsWith('/s/')) {
      const id = route.slice(3);
      const scenario = byId.get(id);
      const spec = scenario ? (req.method === 'OPTIONS' ? scenario.preflight : scenario.response) : endpoints[id];
      if (!spec) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such route');
        return;
      }
      req.resume();
      req.on('end', () => sendSpec(res, spec, vars, JSON.stringify({ scenario: id, method: req.method })));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  };

  // WebSocket echo: the handshake's Origin is logged, never checked (WebSockets are not under CORS).
  const wss = new WebSocketServer({ noServer: true });
  const upgrade = (req, socket, head) => {
    const hostName = (req.headers.host ?? '').split(':')[0];
    const scheme = req.socket.encrypted ? 'https' : 'http';
    record({ method: 'GET', scheme, host: hostName, path: req.url, id: null, origin: req.headers.origin ?? null, cookie: req.headers.cookie ?? null, upgrade: 'websocket' });
    if (!req.url?.startsWith('/ws')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === 'close') ws.close(4000, 'lab asked to close');
        else ws.send(data, { binary: isBinary });
      });
    });
  };

  const { caFile, key, cert } = labCertificates();
  const servers = [createServer(handle), createHttpsServer({ key, cert }, handle)];
  for (const server of servers) server.on('upgrade', upgrade);
  const [httpPort, tlsPort] = await Promise.all(
    servers.map((server, i) => new Promise((resolve) => server.listen(i === 0 ? port : httpsPort, host, () => resolve(server.address().port)))),
  );
  const originsAt = (scheme, p) => Object.fromEntries(Object.entries(HOSTS).map(([k, h]) => [k, `${scheme}://${h}:${p}`]));
  const dev = devServer(originsAt('http', httpPort).api);
  const lab = {
    port: httpPort,
    httpsPort: tlsPort,
    origins: originsAt('http', httpPort),
    httpsOrigins: originsAt('https', tlsPort),
    caFile,
    log,
    seen: (match) =>
      new Promise((resolve) => {
        const earlier = log.find(match);
        if (earlier) return resolve(earlier);
        const waiter = {
          match,
          resolve: (entry) => {
            waiters.delete(waiter);
            resolve(entry);
          },
        };
        waiters.add(waiter);
      }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) => {
              server.closeAllConnections?.();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
  return lab;
}
