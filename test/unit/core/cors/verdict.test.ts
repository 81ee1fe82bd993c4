import { describe, expect, it } from 'vitest';
import { computeVerdict, type CorsObservation } from '../../../../src/core/cors/verdict';
import { REASON_CODES, type ReasonCode } from '../../../../src/core/cors/reasons';
import { API, APP, hs, obs, preflight, resp } from '../../../support/observations';
import type { Browser } from '../../../../src/core/browser';
import { stepWords, warningWords } from '../../../../src/core/words/steps';

const PUT_PREFLIGHT = (headers: string[], status = 204, over: Partial<CorsObservation> = {}) =>
  obs({
    method: 'PUT',
    requestHeaders: hs(`Origin: ${APP}`, 'Content-Type: application/json'),
    preflight: preflight(status, hs(...headers)),
    ...over,
  });
const CRED = hs(`Origin: ${APP}`, 'Cookie: sid=1');

interface Case {
  name: string;
  obs: CorsObservation;
  outcome: string;
  reason: ReasonCode | null;
  hop?: string | null;
  param?: string | null;
  fix?: string[];
  diagnosis?: RegExp;
}

const cases: Case[] = [
  // ---- the CORS check on the response ----
  { name: 'simple GET allowed (echoed origin)', obs: obs(), outcome: 'allowed', reason: null },
  { name: 'simple GET allowed with *', obs: obs({ response: resp(200, 'Access-Control-Allow-Origin: *') }), outcome: 'allowed', reason: null },
  {
    name: 'missing ACAO (Chromium errors)',
    obs: obs({ response: resp(200), error: 'net::ERR_FAILED', completed: false }),
    outcome: 'blocked', reason: 'MissingAllowOriginHeader', hop: 'response',
    fix: [`Access-Control-Allow-Origin: ${APP}`],
  },
  {
    name: 'missing ACAO, Firefox reports completed 200',
    obs: obs({ browser: 'firefox', response: resp(200), completed: true }),
    outcome: 'blocked', reason: 'MissingAllowOriginHeader', hop: 'response',
  },
  {
    name: 'Chromium: a comma in ACAO is multiple values',
    obs: obs({ response: resp(200, `Access-Control-Allow-Origin: ${APP}, https://x.test`) }),
    outcome: 'blocked', reason: 'MultipleAllowOriginValues', param: `${APP}, https://x.test`, diagnosis: /one Access-Control-Allow-Origin value/,
  },
  {
    name: 'Chromium: two ACAO lines are joined and rejected',
    obs: obs({ response: resp(200, `Access-Control-Allow-Origin: ${APP}`, `Access-Control-Allow-Origin: ${APP}`) }),
    outcome: 'blocked', reason: 'MultipleAllowOriginValues', diagnosis: /Two layers add the header/,
  },
  {
    name: 'Firefox: two ACAO lines are rejected',
    obs: obs({ browser: 'firefox', response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Origin: *') }),
    outcome: 'blocked', reason: 'MultipleAllowOriginValues', diagnosis: /Two layers/,
  },
  {
    name: 'Firefox: two ACAO lines are "multiple"',
    obs: obs({ browser: 'firefox', response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Origin: *') }),
    outcome: 'blocked', reason: 'MultipleAllowOriginValues', diagnosis: /Two layers/,
  },
  {
    name: 'Firefox: one ACAO line holding a list "does not match" (it compares the whole value)',
    obs: obs({ browser: 'firefox', response: resp(200, `Access-Control-Allow-Origin: ${APP}, https://x.test`) }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', param: `${APP}, https://x.test`,
  },
  {
    name: 'Firefox: webRequest merged lines, a value beside "*": read as two lines',
    obs: obs({ browser: 'firefox', headerLinesMerged: true, response: resp(200, `Access-Control-Allow-Origin: ${APP}, *`) }),
    outcome: 'blocked', reason: 'MultipleAllowOriginValues', diagnosis: /Two layers/,
  },
  {
    name: 'Firefox: webRequest merged lines, distinct origins: read as one line',
    obs: obs({ browser: 'firefox', headerLinesMerged: true, response: resp(200, `Access-Control-Allow-Origin: ${APP}, https://x.test`) }),
    outcome: 'blocked', reason: 'AllowOriginMismatch',
  },
  {
    name: 'Firefox: a space-separated list in one line is not "multiple", nor "invalid": it does not match',
    obs: obs({ browser: 'firefox', response: resp(200, `Access-Control-Allow-Origin: ${APP} https://x.test`) }),
    outcome: 'blocked', reason: 'AllowOriginMismatch',
  },
  {
    name: 'provisional headers and no response: blocked, for a reason the log cannot show',
    obs: obs({ requestHeaders: hs('Accept: */*'), requestHeadersProvisional: true, response: null, error: 'net::ERR_FAILED', completed: false }),
    outcome: 'blocked', reason: 'UnknownNoResponseSaved', param: 'net::ERR_FAILED',
  },
  {
    name: 'invalid ACAO value',
    obs: obs({ response: resp(200, 'Access-Control-Allow-Origin: app.lab.test') }),
    outcome: 'blocked', reason: 'InvalidAllowOriginValue', param: 'app.lab.test',
  },
  {
    name: 'near miss: trailing slash',
    obs: obs({ response: resp(200, `Access-Control-Allow-Origin: ${APP}/`) }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /trailing slash/,
  },
  {
    name: 'near miss: http vs https',
    obs: obs({ response: resp(200, 'Access-Control-Allow-Origin: http://app.lab.test') }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /scheme differs/,
  },
  {
    name: 'near miss: port',
    obs: obs({ response: resp(200, 'Access-Control-Allow-Origin: https://app.lab.test:8443') }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /port differs/,
  },
  {
    name: 'near miss: localhost vs 127.0.0.1',
    obs: obs({ initiatorOrigin: 'http://localhost:3000', requestHeaders: hs('Origin: http://localhost:3000'), response: resp(200, 'Access-Control-Allow-Origin: http://127.0.0.1:3000') }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /both are this machine/,
  },
  {
    name: 'near miss: www vs apex',
    obs: obs({ initiatorOrigin: 'https://example.com', requestHeaders: hs('Origin: https://example.com'), response: resp(200, 'Access-Control-Allow-Origin: https://www.example.com') }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /'www\.' vs the bare domain/,
  },
  {
    name: 'ACAO null for a real origin',
    obs: obs({ response: resp(200, 'Access-Control-Allow-Origin: null') }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', diagnosis: /allows the origin 'null'/,
  },
  {
    name: 'wildcard with credentials (Cookie sent)',
    obs: obs({ requestHeaders: CRED, response: resp(200, 'Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true') }),
    outcome: 'blocked', reason: 'WildcardOriginNotAllowed',
    fix: [`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true'],
  },
  {
    name: 'credentials without ACAC',
    obs: obs({ requestHeaders: CRED }),
    outcome: 'blocked', reason: 'InvalidAllowCredentials', param: '',
    fix: [`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true'],
  },
  {
    name: "ACAC must be exactly 'true'",
    obs: obs({ requestHeaders: CRED, response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: True') }),
    outcome: 'blocked', reason: 'InvalidAllowCredentials', param: 'True',
  },
  {
    name: 'credentials allowed',
    obs: obs({ requestHeaders: CRED, response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true') }),
    outcome: 'allowed', reason: null,
  },
  {
    name: 'hook says withCredentials: ACAO * fails',
    obs: obs({ hook: { withCredentials: true }, response: resp(200, 'Access-Control-Allow-Origin: *') }),
    outcome: 'blocked', reason: 'WildcardOriginNotAllowed', diagnosis: /withCredentials/,
  },
  {
    name: 'server error dressed as CORS',
    obs: obs({ response: resp(500), error: 'net::ERR_FAILED' }),
    outcome: 'blocked', reason: 'MissingAllowOriginHeader', diagnosis: /answered 500; its error path sends no CORS headers/,
  },
  // ---- the preflight ----
  { name: 'preflight passes', obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: Content-Type']), outcome: 'allowed', reason: null },
  {
    name: 'preflight without ACAO',
    obs: PUT_PREFLIGHT([]), outcome: 'blocked', reason: 'PreflightMissingAllowOriginHeader', hop: 'preflight',
    fix: [`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type'],
  },
  { name: 'preflight multiple ACAO', obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}, ${APP}`]), outcome: 'blocked', reason: 'PreflightMultipleAllowOriginValues', hop: 'preflight' },
  { name: 'preflight invalid ACAO', obs: PUT_PREFLIGHT(['Access-Control-Allow-Origin: nonsense']), outcome: 'blocked', reason: 'PreflightInvalidAllowOriginValue', hop: 'preflight' },
  { name: 'preflight ACAO mismatch', obs: PUT_PREFLIGHT(['Access-Control-Allow-Origin: https://other.test']), outcome: 'blocked', reason: 'PreflightAllowOriginMismatch', hop: 'preflight' },
  {
    name: 'preflight * with credentials',
    obs: PUT_PREFLIGHT(['Access-Control-Allow-Origin: *'], 204, { requestHeaders: hs(`Origin: ${APP}`, 'Content-Type: application/json', 'Cookie: a=b') }),
    outcome: 'blocked', reason: 'PreflightWildcardOriginNotAllowed', hop: 'preflight',
  },
  {
    name: 'preflight without ACAC for a credentialed request',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`], 204, { hook: { credentials: 'include' } }),
    outcome: 'blocked', reason: 'PreflightInvalidAllowCredentials', hop: 'preflight',
  },
  {
    name: 'preflight 401: rejected by auth',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`], 401),
    outcome: 'blocked', reason: 'PreflightInvalidStatus', param: '401', diagnosis: /before it authenticates/,
  },
  { name: 'preflight 405: no OPTIONS route', obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`], 405), outcome: 'blocked', reason: 'PreflightInvalidStatus', diagnosis: /No OPTIONS route/ },
  {
    name: 'preflight 404 without ACAO: Chromium names the origin check, diagnosis names the route',
    obs: PUT_PREFLIGHT([], 404), outcome: 'blocked', reason: 'PreflightMissingAllowOriginHeader', diagnosis: /No OPTIONS route/,
  },
  {
    name: 'preflight redirected',
    obs: PUT_PREFLIGHT(['Location: https://api.lab.test/data/'], 301),
    outcome: 'blocked', reason: 'PreflightDisallowedRedirect', hop: 'preflight', diagnosis: /never follow a redirect/,
  },
  {
    name: 'ACAM does not parse',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT; GET']),
    outcome: 'blocked', reason: 'InvalidAllowMethodsPreflightResponse', param: 'PUT; GET',
  },
  {
    name: 'ACAH does not parse',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content type']),
    outcome: 'blocked', reason: 'InvalidAllowHeadersPreflightResponse', param: 'content type',
  },
  {
    name: 'method not allowed',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: GET, POST', 'Access-Control-Allow-Headers: content-type']),
    outcome: 'blocked', reason: 'MethodDisallowedByPreflightResponse', param: 'PUT', fix: ['Access-Control-Allow-Methods: GET, POST, PUT'],
  },
  {
    name: 'ACAM * allows the method without credentials',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: *', 'Access-Control-Allow-Headers: *']),
    outcome: 'allowed', reason: null,
  },
  {
    name: 'ACAM * does not count with credentials',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: *'], 204, { hook: { credentials: 'include' } }),
    outcome: 'blocked', reason: 'MethodDisallowedByPreflightResponse',
  },
  {
    name: 'header not allowed',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: x-other']),
    outcome: 'blocked', reason: 'HeaderDisallowedByPreflightResponse', param: 'content-type', fix: ['Access-Control-Allow-Headers: x-other, content-type'],
  },
  {
    name: 'ACAH * does not count with credentials',
    obs: PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: *'], 204, { hook: { credentials: 'include' } }),
    outcome: 'blocked', reason: 'HeaderDisallowedByPreflightResponse', param: 'content-type',
  },
  {
    name: 'preflight failed below HTTP (no status, not a network error)',
    obs: PUT_PREFLIGHT([], 204, { preflight: preflight(null, [], { error: 'net::ERR_INVALID_RESPONSE' }), response: null, error: 'net::ERR_FAILED', completed: false }),
    outcome: 'blocked', reason: 'InvalidResponse', hop: 'preflight',
  },
  // ---- redirects ----
  {
    name: 'redirect hop without CORS headers (to a login page)',
    obs: obs({ redirects: [{ url: API, status: 302, responseHeaders: hs('Location: https://sso.lab.test/login'), location: 'https://sso.lab.test/login' }] }),
    outcome: 'blocked', reason: 'MissingAllowOriginHeader', hop: 'redirect', diagnosis: /Redirected away.*login page/,
  },
  {
    name: 'origin becomes null after a cross-origin hop',
    obs: obs({
      redirects: [{ url: API, status: 302, responseHeaders: hs(`Access-Control-Allow-Origin: ${APP}`), location: 'https://other.test/x' }],
      response: resp(200, `Access-Control-Allow-Origin: ${APP}`),
    }),
    outcome: 'blocked', reason: 'AllowOriginMismatch', hop: 'response', diagnosis: /Origin: null/, fix: ['Access-Control-Allow-Origin: null'],
  },
  {
    name: 'tainted origin allowed with ACAO null',
    obs: obs({
      redirects: [{ url: API, status: 307, responseHeaders: hs('Access-Control-Allow-Origin: *'), location: 'https://other.test/x' }],
      response: resp(200, 'Access-Control-Allow-Origin: null'),
    }),
    outcome: 'allowed', reason: null,
  },
  {
    name: 'same-origin redirect on the API keeps the origin',
    obs: obs({ redirects: [{ url: API, status: 302, responseHeaders: hs(`Access-Control-Allow-Origin: ${APP}`), location: '/data2' }] }),
    outcome: 'allowed', reason: null,
  },
  {
    name: 'credentials in the redirect Location',
    obs: obs({ redirects: [{ url: API, status: 302, responseHeaders: hs(`Access-Control-Allow-Origin: ${APP}`), location: 'https://user:pw@other.test/x' }] }),
    outcome: 'blocked', reason: 'RedirectContainsCredentials', hop: 'redirect', fix: ['Location: https://other.test/x'],
  },
  {
    name: 'redirect to a non-HTTP scheme',
    obs: obs({ redirects: [{ url: API, status: 302, responseHeaders: hs(`Access-Control-Allow-Origin: ${APP}`), location: 'ftp://files.test/x' }] }),
    outcome: 'blocked', reason: 'CorsDisabledScheme', hop: 'redirect',
  },
  // ---- mode and scheme ----
  {
    name: "mode 'same-origin' to another origin",
    obs: obs({ hook: { mode: 'same-origin' } }),
    outcome: 'blocked', reason: 'DisallowedByMode', hop: null,
  },
  { name: 'file: target', obs: obs({ url: 'file:///etc/hosts' }), outcome: 'blocked', reason: 'CorsDisabledScheme' },
  {
    name: "no-cors with redirect 'manual'",
    obs: obs({ hook: { mode: 'no-cors', redirect: 'manual' } }),
    outcome: 'blocked', reason: 'NoCorsRedirectModeNotFollow',
  },
  {
    name: "mode 'no-cors' used to silence an error",
    obs: obs({ hook: { mode: 'no-cors' }, requestHeaders: hs('Sec-Fetch-Mode: no-cors'), response: resp(200) }),
    outcome: 'opaque', reason: null, diagnosis: /opaque/,
  },
  { name: 'image load is opaque', obs: obs({ type: 'image', requestHeaders: hs('Accept: image/*'), response: resp(200) }), outcome: 'opaque', reason: null },
  { name: 'navigation', obs: obs({ type: 'main_frame', requestHeaders: hs('Sec-Fetch-Mode: navigate'), response: resp(200) }), outcome: 'navigation', reason: null },
  { name: 'same-origin fetch', obs: obs({ url: `${APP}/api`, response: resp(200) }), outcome: 'same-origin', reason: null },
  { name: 'pending', obs: obs({ response: null, completed: false }), outcome: 'pending', reason: null },
  { name: 'connection refused', obs: obs({ response: null, error: 'net::ERR_CONNECTION_REFUSED', completed: false }), outcome: 'failed', reason: null, diagnosis: /refused/ },
  { name: 'Firefox connection refused', obs: obs({ browser: 'firefox', response: null, error: 'NS_ERROR_CONNECTION_REFUSED' }), outcome: 'failed', reason: null, diagnosis: /CORSDidNotSucceed2/ },
  { name: 'aborted', obs: obs({ response: null, error: 'NS_BINDING_ABORTED' }), outcome: 'failed', reason: null },
  { name: 'refused with no response recorded', obs: obs({ response: null, error: 'net::ERR_FAILED', completed: false }), outcome: 'blocked', reason: 'InvalidResponse', hop: 'response' },
  { name: 'websocket handshake', obs: obs({ url: 'wss://api.lab.test/ws', type: 'websocket', response: resp(101) }), outcome: 'allowed', reason: null },
  // ---- local network access (Chromium) ----
  {
    name: 'insecure public page to a private address',
    obs: obs({ url: 'http://192.168.1.1/api', initiatorOrigin: 'http://public.example', initiatorAddressSpace: 'public', requestHeaders: hs('Origin: http://public.example'), response: null, error: 'net::ERR_FAILED', completed: false }),
    outcome: 'blocked', reason: 'InsecureLocalNetwork',
  },
  {
    name: 'secure page denied local network permission',
    obs: obs({ url: 'http://10.0.0.2/api', requestHeaders: hs(`Origin: ${APP}`), initiatorAddressSpace: 'public', response: null, error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', completed: false }),
    outcome: 'blocked', reason: 'LocalNetworkAccessPermissionDenied',
  },
  {
    name: 'targetAddressSpace mismatch',
    obs: obs({ hook: { targetAddressSpace: 'local' }, remoteAddress: '93.184.216.34', response: null, error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', completed: false }),
    outcome: 'blocked', reason: 'InvalidLocalNetworkAccess',
  },
  {
    name: 'local network request that went through',
    obs: obs({ url: 'http://10.0.0.2/api', initiatorAddressSpace: 'public', response: resp(200, `Access-Control-Allow-Origin: ${APP}`) }),
    outcome: 'allowed', reason: null,
  },
  {
    name: 'initiator address space unknown: no local-network verdict without the browser error',
    obs: obs({ url: 'http://192.168.1.1/api', initiatorOrigin: 'http://public.example', requestHeaders: hs('Origin: http://public.example'), response: null, error: 'net::ERR_FAILED', completed: false }),
    outcome: 'blocked', reason: 'InvalidResponse',
  },
  {
    name: 'Firefox has no local-network checks',
    obs: obs({ browser: 'firefox', url: 'http://192.168.1.1/api', initiatorOrigin: 'http://public.example', requestHeaders: hs('Origin: http://public.example'), response: resp(200, 'Access-Control-Allow-Origin: *') }),
    outcome: 'allowed', reason: null,
  },
];

describe('computeVerdict: the Fetch rules case by case', () => {
  it.each(cases)('$name', (c) => {
    const v = computeVerdict(c.obs);
    expect({ outcome: v.outcome, reason: v.reason }).toEqual({ outcome: c.outcome, reason: c.reason });
    if (c.hop !== undefined) expect(v.hop).toBe(c.hop);
    if (c.param !== undefined) expect(v.failedParameter).toBe(c.param);
    if (c.fix !== undefined) expect(v.fix).toEqual(c.fix);
    if (c.diagnosis !== undefined) expect(v.diagnosis).toMatch(c.diagnosis);
    expect(v.steps.length).toBeGreaterThan(0);
  });

  it('produces every reason code somewhere in the table', () => {
    const seen = new Set(cases.map((c) => c.reason).filter((r) => r !== null));
    expect(REASON_CODES.filter((r) => !seen.has(r))).toEqual([]);
  });
});

describe('computeVerdict: warnings and inference', () => {
  it('allows Authorization under ACAH * with a deprecation warning', () => {
    const v = computeVerdict(
      obs({
        method: 'GET',
        hook: { authorization: true },
        preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Headers: *'), {
          requestHeaders: hs('Access-Control-Request-Method: GET', 'Access-Control-Request-Headers: authorization'),
        }),
      }),
    );
    expect(v.outcome).toBe('allowed');
    expect(v.warnings.map((w) => w.code)).toContain('authorization-wildcard');
  });

  it('reads the unsafe headers from the preflight Access-Control-Request-Headers (Authorization hidden from Chromium)', () => {
    const v = computeVerdict(
      obs({
        preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Headers: x-a'), {
          requestHeaders: hs('Access-Control-Request-Method: GET', 'Access-Control-Request-Headers: authorization,x-a'),
        }),
      }),
    );
    expect(v).toMatchObject({ outcome: 'blocked', reason: 'HeaderDisallowedByPreflightResponse', failedParameter: 'authorization' });
  });

  it('warns about ACAO * with ACAC true on a request without credentials', () => {
    const v = computeVerdict(obs({ response: resp(200, 'Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true') }));
    expect(v.outcome).toBe('allowed');
    expect(v.warnings.map((w) => w.code)).toContain('wildcard-with-credentials-header');
  });

  it('says cached when a preflight was needed, none was seen, and the request went out', () => {
    const v = computeVerdict(obs({ method: 'DELETE' }));
    expect(v.preflight).toBe('cached');
    expect(v.outcome).toBe('allowed');
  });

  it('says not-needed for a simple request and sent when one was seen', () => {
    expect(computeVerdict(obs()).preflight).toBe('not-needed');
    expect(computeVerdict(PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type'])).preflight).toBe('sent');
  });

  it('says unknown when the source shows no preflights', () => {
    const v = computeVerdict(obs({ method: 'DELETE', preflightsVisible: false }));
    expect(v.preflight).toBe('unknown');
  });

  it('uses the cache hint from the collector', () => {
    expect(computeVerdict(obs({ method: 'DELETE', response: null, completed: false, cachedPreflight: { id: 'p1', maxAge: 600 } })).preflight).toBe('cached');
  });

  it('names the preflight that filled the cache, and its Max-Age', () => {
    const v = computeVerdict(obs({ method: 'DELETE', cachedPreflight: { id: 'p7', maxAge: 600 } }));
    expect(v.steps.find((s) => s.code === 'preflight-cached')?.params).toMatchObject({ preflightId: 'p7', maxAge: 600, method: 'DELETE' });
    expect(stepWords(v.steps.find((s) => s.check === 'preflight')!)).toBe(
      'A preflight was needed (method DELETE) and none was sent: served from the preflight cache (preflight p7, cached for 600 s by its Access-Control-Max-Age).',
    );
  });

  it('marks the verdict when the ACAO reason rests on a guess about lines Firefox merged', () => {
    const merged = (value: string) => computeVerdict(obs({ browser: 'firefox', headerLinesMerged: true, response: resp(200, `Access-Control-Allow-Origin: ${value}`) }));
    for (const v of [merged(`${APP}, *`), merged(`${APP}, https://x.test`)]) expect(v.warnings.map((w) => w.code)).toContain('allow-origin-lines-merged');
    expect(warningWords(merged(`${APP}, *`).warnings[0]!)).toContain('Read as two lines');
    // Separate lines, or a source that keeps them apart: no guess.
    expect(computeVerdict(obs({ browser: 'firefox', response: resp(200, `Access-Control-Allow-Origin: ${APP}, *`) })).warnings.map((w) => w.code)).not.toContain('allow-origin-lines-merged');
  });

  it('guesses the mode from the request on a HAR recorded on the wire, and says it guessed', () => {
    const wire = (method: string, ...headers: string[]) =>
      computeVerdict(obs({ type: 'other', method, requestHeaders: hs(...headers), response: resp(200, `Access-Control-Allow-Origin: ${APP}`) }));
    // fetch(url, {method: 'POST', body: 'text'}): cors, and the server allows it.
    const post = wire('POST', `Origin: ${APP}`, 'Accept: */*', 'Content-Type: text/plain;charset=UTF-8');
    expect([post.mode, post.modeGuessed, post.outcome]).toEqual(['cors', true, 'allowed']);
    expect(stepWords(post.steps[0]!, post)).toContain('a guess from the request headers');
    // A form post asks for HTML: a navigation.
    const form = wire('POST', `Origin: ${APP}`, 'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'Content-Type: application/x-www-form-urlencoded');
    expect([form.mode, form.modeGuessed, form.outcome]).toEqual(['navigate', true, 'navigation']);
    // An element load sends no Origin.
    expect(wire('GET', 'Accept: image/avif,*/*').mode).toBe('no-cors');
    // Sec-Fetch-Mode or the resource type are not guesses.
    expect(computeVerdict(obs()).modeGuessed).toBe(false);
  });

  it('keeps credentials unknown without a hook or Cookie, and explains a refused request by credentials', () => {
    const v = computeVerdict(obs({ response: resp(200, 'Access-Control-Allow-Origin: *'), error: 'net::ERR_FAILED', completed: false }));
    expect(v.credentials).toBe('unknown');
    expect(v).toMatchObject({ outcome: 'blocked', reason: 'WildcardOriginNotAllowed' });
    expect(v.warnings.map((w) => w.code)).toContain('credentials-unknown');
  });

  it('exposes safelisted and ACEH headers, * only without credentials, never Set-Cookie', () => {
    const headers = [`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Expose-Headers: X-Total, set-cookie', 'Content-Type: text/plain', 'X-Total: 3', 'X-Secret: 1', 'Set-Cookie: a=b'];
    const v = computeVerdict(obs({ response: resp(200, ...headers) }));
    expect(v.exposedHeaders).toEqual(['content-type', 'x-total']);
    expect(v.hiddenHeaders).toEqual(['access-control-allow-origin', 'access-control-expose-headers', 'x-secret', 'set-cookie']);
    const star = computeVerdict(obs({ response: resp(200, 'Access-Control-Allow-Origin: *', 'Access-Control-Expose-Headers: *', 'X-Secret: 1', 'Set-Cookie: a=b') }));
    expect(star.exposedHeaders).toContain('x-secret');
    expect(star.hiddenHeaders).toEqual(['set-cookie']);
    const cred = computeVerdict(
      obs({ requestHeaders: hs(`Origin: ${APP}`, 'Cookie: a=1'), response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Expose-Headers: *', 'X-Secret: 1') }),
    );
    expect(cred.hiddenHeaders).toContain('x-secret');
  });

  it('Firefox compares methods case-sensitively, Chromium upper-cases the request method', () => {
    const make = (browser: Browser) =>
      obs({
        browser,
        method: 'patch',
        preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PATCH'), {
          requestHeaders: hs('Access-Control-Request-Method: patch'),
        }),
      });
    expect(computeVerdict(make('chromium')).outcome).toBe('allowed');
    expect(computeVerdict(make('firefox'))).toMatchObject({ outcome: 'blocked', reason: 'MethodDisallowedByPreflightResponse', failedParameter: 'patch' });
  });

  it('Firefox checks the method before parsing ACAH; Chromium parses both lists first', () => {
    const make = (browser: Browser) =>
      obs({
        browser,
        method: 'PUT',
        preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Headers: a b')),
      });
    expect(computeVerdict(make('chromium')).reason).toBe('InvalidAllowHeadersPreflightResponse');
    expect(computeVerdict(make('firefox')).reason).toBe('MethodDisallowedByPreflightResponse');
  });

  it('records the redirect index of a failing hop', () => {
    const v = computeVerdict(
      obs({
        redirects: [
          { url: API, status: 302, responseHeaders: hs(`Access-Control-Allow-Origin: ${APP}`), location: 'https://api.lab.test/b' },
          { url: 'https://api.lab.test/b', status: 302, responseHeaders: hs(), location: 'https://api.lab.test/c' },
        ],
      }),
    );
    expect(v).toMatchObject({ outcome: 'blocked', hop: 'redirect', redirectIndex: 1 });
  });

  it('walks the steps in order for a preflighted request', () => {
    const v = computeVerdict(PUT_PREFLIGHT([`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type']));
    expect(v.steps.map((s) => `${s.check}@${s.hop}`)).toEqual([
      'mode@null',
      'allow-origin@preflight',
      'preflight-status@preflight',
      'allow-methods@preflight',
      'allow-headers@preflight',
      'allow-origin@response',
    ]);
  });

  it('infers the mode from the resource type when Sec-Fetch-Mode is absent', () => {
    expect(computeVerdict(obs({ type: 'font', requestHeaders: hs(`Origin: ${APP}`) })).mode).toBe('cors');
    expect(computeVerdict(obs({ type: 'script', requestHeaders: hs() })).mode).toBe('no-cors');
    expect(computeVerdict(obs({ type: 'script', requestHeaders: hs(`Origin: ${APP}`) })).mode).toBe('cors');
    expect(computeVerdict(obs({ type: 'sub_frame', requestHeaders: hs() })).mode).toBe('navigate');
  });
});

void API;
