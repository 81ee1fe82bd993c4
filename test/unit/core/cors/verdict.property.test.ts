import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, REASON_CODES } from '../../../../src/core/cors/reasons';
import { computeVerdict, type CorsObservation, type Verdict } from '../../../../src/core/cors/verdict';
import { stepWords, warningWords } from '../../../../src/core/words/steps';
import { reasonWords } from '../../../../src/core/words/words';

const NAMES = ['Origin', 'access-control-allow-origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Expose-Headers', 'Content-Type', 'Cookie', 'Sec-Fetch-Mode', 'Location', 'Vary', 'X-Custom', 'Range', 'Access-Control-Request-Headers', 'Access-Control-Request-Method'];
const VALUES = ['*', 'null', 'true', 'https://app.lab.test', 'https://app.lab.test/', 'a, b', 'GET, PUT', 'cors', 'no-cors', 'navigate', 'bytes=0-', '', ' ', '\u0000\u00ff', 'https://u:p@x.test/', '/relative', 'text/plain;charset=x'];

const header = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })),
  value: fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 40 })),
});
const headers = fc.array(header, { maxLength: 8 });
const url = fc.oneof(
  fc.constantFrom('https://api.lab.test/x', 'https://app.lab.test/y', 'http://10.0.0.1/', 'wss://ws.test/s', 'file:///x', 'data:text/plain,hi', 'blob:https://app.lab.test/1', 'https://[::1]:8080/', 'http://127.1/', 'HTTPS://API.LAB.TEST:443/'),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
);
const maybeError = fc.option(fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_CONNECTION_REFUSED', 'NS_ERROR_CONNECTION_REFUSED', 'net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'weird'), { nil: null });
const observation: fc.Arbitrary<CorsObservation> = fc.record({
  browser: fc.constantFrom('chromium' as const, 'firefox' as const),
  url,
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'OPTIONS'), fc.string({ maxLength: 8 })),
  type: fc.constantFrom('xmlhttprequest', 'main_frame', 'sub_frame', 'script', 'image', 'font', 'websocket', 'ping', 'other', 'constructor', ''),
  initiatorOrigin: fc.option(fc.constantFrom('https://app.lab.test', 'null', 'http://localhost:3000', 'garbage'), { nil: null }),
  requestHeaders: headers,
  hook: fc.option(
    fc.record(
      {
        mode: fc.constantFrom('cors', 'no-cors', 'same-origin', 'navigate', 'bogus'),
        credentials: fc.constantFrom('include', 'omit', 'same-origin', 'x'),
        withCredentials: fc.option(fc.boolean(), { nil: null }),
        authorization: fc.boolean(),
        headerNames: fc.array(fc.constantFrom('x-a', 'content-type', 'authorization'), { maxLength: 3 }),
        redirect: fc.constantFrom('follow' as const, 'error' as const, 'manual' as const),
      },
      { requiredKeys: [] },
    ),
    { nil: null },
  ),
  redirects: fc.array(fc.record({ url, status: fc.integer({ min: 0, max: 999 }), responseHeaders: headers, location: fc.oneof(url, fc.constant('')) }), { maxLength: 3 }),
  response: fc.option(fc.record({ status: fc.integer({ min: -1, max: 1000 }), headers }), { nil: null }),
  error: maybeError,
  completed: fc.boolean(),
  preflight: fc.option(
    fc.record({ url, status: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }), responseHeaders: headers, requestHeaders: headers, error: maybeError, redirected: fc.boolean() }),
    { nil: null },
  ),
  cachedPreflight: fc.option(fc.record({ id: fc.constantFrom('', 'p1'), maxAge: fc.integer({ min: 0, max: 86400 }) }), { nil: null }),
  preflightsVisible: fc.boolean(),
  // Chrome HARs keep only the page's own request headers for a request that got no response.
  requestHeadersProvisional: fc.boolean(),
  headerLinesMerged: fc.boolean(),
  remoteAddress: fc.option(fc.constantFrom('127.0.0.1', '10.1.2.3', '8.8.8.8', '[::1]', 'nonsense'), { nil: null }),
});

function assertWellFormed(v: Verdict): void {
  expect(OUTCOMES).toContain(v.outcome);
  if (v.reason !== null) expect(REASON_CODES).toContain(v.reason);
  if (v.outcome === 'blocked') expect(v.reason).not.toBeNull();
  else expect(v.reason).toBeNull();
  expect(['preflight', 'redirect', 'response', null]).toContain(v.hop);
  if (v.hop === 'redirect' && v.outcome === 'blocked') expect(v.redirectIndex).not.toBeNull();
  expect(['sent', 'not-needed', 'cached', 'unknown']).toContain(v.preflight);
  expect(['include', 'same-origin', 'omit', 'unknown']).toContain(v.credentials);
  expect(['cors', 'no-cors', 'navigate', 'same-origin', 'websocket']).toContain(v.mode);
  expect(v.steps.length).toBeGreaterThan(0);
  // Codes only: the words come from the wording modules, and every code has some.
  for (const s of v.steps) {
    expect(s.detail).toBeUndefined();
    expect(stepWords(s, v)).not.toBe('');
  }
  for (const w of v.warnings) expect(warningWords(w)).not.toBe(w.code);
  for (const browser of ['chromium', 'firefox'] as const) {
    if (v.outcome === 'blocked') expect(reasonWords(v, browser)?.text).toBeTruthy();
  }
  for (const f of v.fix) expect(f).toMatch(/^[A-Za-z-]+: |^HTTP\/1\.1 /);
  expect(v.warnings.map((w) => w.code)).not.toContain('engine-error');
  expect(() => JSON.stringify(v)).not.toThrow();
}

describe('computeVerdict never throws and is always well-formed', () => {
  it('on random observations', () => {
    fc.assert(fc.property(observation, (o) => assertWellFormed(computeVerdict(o))), { numRuns: 400 });
  });

  it('on structurally broken input', () => {
    const broken: unknown[] = [
      null,
      undefined,
      42,
      'x',
      {},
      { url: 5, requestHeaders: 'nope', redirects: {}, response: { status: 'x', headers: null } },
      { url: 'https://a.test', requestHeaders: [null, 1, { name: 3 }, { name: 'Origin', value: 7 }], initiatorOrigin: 'https://b.test', redirects: [null, 'x'], preflight: 'y' },
      { url: 'https://a.test', initiatorOrigin: 'https://b.test', response: { status: 200, headers: [{ name: 'Access-Control-Allow-Origin' }] } },
    ];
    for (const b of broken) assertWellFormed(computeVerdict(b as CorsObservation));
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(observation, (o) => {
        expect(computeVerdict(o)).toEqual(computeVerdict(o));
      }),
      { numRuns: 100 },
    );
  });
});
