// The lab's cross-origin CORS scenarios as request records, the way the collector keeps them
// for pages calling a server on `api` (preflights included), judged by the real verdict
// engine: the session a fix is computed from.
import { isSafelistedMethod, unsafeHeaderNames } from '../../src/core/cors/safelist';
import type { Header } from '../../src/core/net/headers';
import type { RequestRecord } from '../../src/core/session/record';
import { scenarios, type ResponseSpec, type Scenario } from '../lab/scenarios.mjs';
import { judged, record } from '../support/records';

/** Scenarios of one server answering a cors-mode fetch (redirects involve a second server). */
export const CORS_SCENARIOS: Scenario[] = scenarios.filter(
  (s) => s.technique === 'cors' && s.target !== 'app' && !s.id.startsWith('redirect-'),
);

function filled(spec: ResponseSpec | undefined, page: string): Header[] {
  return Object.entries(spec?.headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v.replace(/\{(origin|app)\}/g, page) })),
  );
}

/** Records of every CORS scenario from each of `pages` to `api` (each `repeat` times), with verdicts. */
export function scenarioRecords(pages: string[], api: string): RequestRecord[] {
  const out: RequestRecord[] = [];
  const next = () => out.length;
  for (const [page, s] of pages.flatMap((p) => CORS_SCENARIOS.map((s) => [p, s] as const))) {
    const headers = Object.entries(s.request.headers ?? {}).map(([name, value]) => ({ name, value }));
    const custom = unsafeHeaderNames(headers, 'chromium');
    for (let i = 0; i < (s.repeat ?? 1); i++) {
      const url = `${api}/s/${s.id}`;
      const include = s.request.credentials === 'include';
      const common = { initiatorOrigin: page, frameUrl: `${page}/`, crossOrigin: true, url };
      let preflight: RequestRecord | null = null;
      // A repeat within the preflight's max-age goes without one (the lab's preflight-max-age).
      if ((!isSafelistedMethod(s.request.method) || custom.length > 0) && i === 0) {
        const spec = s.preflight ?? { status: 404 };
        preflight = record({
          ...common,
          seq: next(),
          method: 'OPTIONS',
          isPreflight: true,
          requestHeaders: [
            { name: 'Origin', value: page },
            { name: 'Access-Control-Request-Method', value: s.request.method },
            ...(custom.length > 0 ? [{ name: 'Access-Control-Request-Headers', value: custom.join(',') }] : []),
          ],
          status: spec.status,
          statusLine: `HTTP/1.1 ${spec.status}`,
          responseHeaders: filled(spec, page),
        });
        out.push(preflight);
      }
      const blockedByPreflight = s.expect.reason?.startsWith('Preflight') || s.expect.reason?.endsWith('PreflightResponse');
      const response = s.response ?? { status: 200 };
      const actual = record({
        ...common,
        seq: next(),
        method: s.request.method,
        preflight: preflight?.id ?? null,
        requestHeaders: [
          { name: 'Origin', value: page },
          { name: 'Sec-Fetch-Mode', value: 'cors' },
          ...headers,
          ...(include ? [{ name: 'Cookie', value: 'lab_session=demo' }] : []),
        ],
        credentials: { mode: include ? 'include' : 'same-origin', cookiesSent: include, authorization: false, withCredentials: null },
        ...(blockedByPreflight
          ? { status: null, statusLine: null, error: 'net::ERR_FAILED' }
          : {
              status: response.status,
              statusLine: `HTTP/1.1 ${response.status}`,
              responseHeaders: filled(response, page),
              error: s.expect.outcome === 'blocked' ? 'net::ERR_FAILED' : null,
            }),
      });
      if (preflight) preflight.preflightFor = actual.id;
      out.push(actual);
    }
  }
  return judged(out);
}
