import { describe, expect, it } from 'vitest';
import { detectDevServers, devServerFixes, proxyRoutes } from '../../../../src/core/fix/dev-server';
import { CORS_SCENARIOS, scenarioRecords } from '../../../servers/scenario-records';
import { judged, record } from '../../../support/records';

const DEV = 'http://localhost:5173';
const API = 'http://api.lab.test:8710';

/** A request the page at `page` made to its own origin's `path`. */
const own = (seq: number, page: string, path: string, type = 'script') =>
  record({ seq: 1000 + seq, url: `${page.replace(/^http/, type === 'websocket' ? 'ws' : 'http')}${path}`, type, initiatorOrigin: page, frameUrl: `${page}/`, crossOrigin: false });

describe('detectDevServers', () => {
  it.each([
    ['vite', own(0, DEV, '/@vite/client')],
    ['webpack', own(0, 'http://localhost:8080', '/ws', 'websocket')],
    ['webpack', own(0, 'http://localhost:8080', '/sockjs-node/info?t=1', 'xmlhttprequest')],
    ['next', own(0, 'http://app.localhost:3000', '/_next/static/chunks/main.js')],
  ])('knows %s by its own request', (kind, r) => {
    expect(detectDevServers([r])).toEqual([{ origin: r.initiatorOrigin, kind, evidence: r.url }]);
  });

  it('wants localhost: the same paths on a public host are no dev server', () => {
    expect(detectDevServers([own(0, 'https://app.example', '/@vite/client'), own(1, 'https://app.example', '/_next/x.js')])).toEqual([]);
  });

  it("wants the page's own origin: a client loaded from elsewhere, or a /ws that is no socket, proves nothing", () => {
    const elsewhere = record({ seq: 0, url: 'http://localhost:9999/@vite/client', type: 'script', initiatorOrigin: DEV });
    expect(detectDevServers([elsewhere, own(1, DEV, '/ws', 'xmlhttprequest')])).toEqual([]);
  });
});

describe('proxyRoutes', () => {
  it("routes the dev page's CORS requests, blocked and allowed, one prefix per API origin", () => {
    const records = scenarioRecords([DEV], API);
    const routes = proxyRoutes(DEV, records);
    expect(routes).toEqual([{ prefix: '/api', target: API, requests: records.filter((r) => !r.isPreflight && r.verdict?.mode === 'cors').map((r) => r.id) }]);
    expect(routes[0]!.requests.length).toBe(CORS_SCENARIOS.reduce((n, s) => n + (s.repeat ?? 1), 0));
  });

  it('numbers the prefixes when there are several APIs, and leaves same-origin and no-cors requests alone', () => {
    const records = judged([
      record({ seq: 0, url: 'https://b.example/x', initiatorOrigin: DEV, error: 'net::ERR_FAILED' }),
      record({ seq: 1, url: 'https://a.example/y', initiatorOrigin: DEV, error: 'net::ERR_FAILED' }),
      record({ seq: 2, url: `${DEV}/local`, initiatorOrigin: DEV }),
      record({ seq: 3, url: 'https://cdn.example/i.png', type: 'image', initiatorOrigin: DEV, requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'no-cors' }] }),
    ]);
    expect(proxyRoutes(DEV, records).map((r) => [r.prefix, r.target, r.requests])).toEqual([
      ['/api-1', 'https://a.example', ['r1']],
      ['/api-2', 'https://b.example', ['r0']],
    ]);
  });
});

describe('devServerFixes', () => {
  it('pairs the dev server with its routes, and leaves out one with nothing to route', () => {
    const records = [...scenarioRecords([DEV], API), own(0, DEV, '/@vite/client'), own(1, 'http://localhost:8080', '/ws', 'websocket')];
    const fixes = devServerFixes(records);
    expect(fixes.map((f) => [f.server.origin, f.server.kind, f.routes.map((r) => r.target)])).toEqual([[DEV, 'vite', [API]]]);
  });
});
