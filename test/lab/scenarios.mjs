// The lab's scenarios: one list that the server, the lab page and the tests all read.
// `target` is the host the request goes to: `app` (same origin as the page), `api`
// (same site, other origin) or `other` (another site). In header values `{origin}` stands for
// the request's Origin header and `{app}` for the lab page's origin.
// `expect` is what the browser does with the request (`firefoxReason` where Firefox's rule
// gives another reason); a test that disagrees found a bug.

const reflect = { 'Access-Control-Allow-Origin': '{origin}' };
const custom = { 'X-Lab-Token': 'abc' };

export const scenarios = [
  {
    id: 'same-origin',
    title: 'Same-origin fetch',
    technique: 'same-origin',
    target: 'app',
    request: { method: 'GET' },
    response: { status: 200 },
    expect: { outcome: 'same-origin' },
  },
  {
    id: 'simple-allowed',
    title: 'Simple GET, server allows the origin',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'allowed' },
  },
  {
    id: 'simple-wildcard-cross-site',
    title: 'Simple GET to another site, Access-Control-Allow-Origin: *',
    technique: 'cors',
    target: 'other',
    request: { method: 'GET' },
    response: { status: 200, headers: { 'Access-Control-Allow-Origin': '*' } },
    expect: { outcome: 'allowed' },
  },
  {
    id: 'missing-allow-origin',
    title: 'Simple GET, no Access-Control-Allow-Origin',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 200 },
    expect: { outcome: 'blocked', reason: 'MissingAllowOriginHeader' },
  },
  {
    id: 'origin-trailing-slash',
    title: 'Allowed origin written with a trailing slash',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 200, headers: { 'Access-Control-Allow-Origin': '{app}/' } },
    expect: { outcome: 'blocked', reason: 'AllowOriginMismatch' },
  },
  {
    id: 'multiple-allow-origin',
    title: 'Two layers each add Access-Control-Allow-Origin',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 200, headers: { 'Access-Control-Allow-Origin': ['{origin}', '*'] } },
    expect: { outcome: 'blocked', reason: 'MultipleAllowOriginValues' },
  },
  {
    // Chromium calls any list "multiple values"; Firefox compares the whole line: "does not match".
    id: 'allow-origin-list',
    title: 'One Access-Control-Allow-Origin line listing two origins',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 200, headers: { 'Access-Control-Allow-Origin': '{origin}, https://elsewhere.test' } },
    expect: { outcome: 'blocked', reason: 'MultipleAllowOriginValues', firefoxReason: 'AllowOriginMismatch' },
  },
  {
    id: 'server-error',
    title: 'Server error whose error path sends no CORS headers',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 500 },
    expect: { outcome: 'blocked', reason: 'MissingAllowOriginHeader' },
  },
  {
    id: 'preflight-allowed',
    title: 'PUT with a custom header, preflight allows both',
    technique: 'cors',
    target: 'api',
    request: { method: 'PUT', headers: custom, body: '{"a":1}' },
    preflight: {
      status: 204,
      headers: { ...reflect, 'Access-Control-Allow-Methods': 'GET, PUT', 'Access-Control-Allow-Headers': 'X-Lab-Token' },
    },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'allowed' },
  },
  {
    id: 'preflight-no-options-route',
    title: 'Preflighted request, server has no OPTIONS route (404)',
    technique: 'cors',
    target: 'api',
    request: { method: 'PUT', headers: custom, body: 'x' },
    response: { status: 200, headers: reflect },
    // Both browsers check Access-Control-Allow-Origin before the status (their consoles say so).
    expect: { outcome: 'blocked', reason: 'PreflightMissingAllowOriginHeader' },
  },
  {
    id: 'preflight-header-not-allowed',
    title: 'Preflight does not list the custom request header',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET', headers: custom },
    preflight: { status: 204, headers: { ...reflect, 'Access-Control-Allow-Headers': 'Content-Type' } },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'blocked', reason: 'HeaderDisallowedByPreflightResponse' },
  },
  {
    id: 'preflight-method-not-allowed',
    title: 'DELETE not listed in Access-Control-Allow-Methods',
    technique: 'cors',
    target: 'api',
    request: { method: 'DELETE' },
    preflight: { status: 204, headers: { ...reflect, 'Access-Control-Allow-Methods': 'GET, POST, PUT' } },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'blocked', reason: 'MethodDisallowedByPreflightResponse' },
  },
  {
    id: 'preflight-max-age',
    title: 'Preflight cached for 600 s (Access-Control-Max-Age), request sent twice',
    technique: 'cors',
    target: 'api',
    repeat: 2,
    request: { method: 'PATCH', body: 'x' },
    preflight: { status: 204, headers: { ...reflect, 'Access-Control-Allow-Methods': 'PATCH', 'Access-Control-Max-Age': '600' } },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'allowed' },
  },
  {
    id: 'credentialed-allowed',
    title: 'Credentialed fetch, exact origin and Allow-Credentials: true',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET', credentials: 'include' },
    response: { status: 200, headers: { ...reflect, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } },
    expect: { outcome: 'allowed', cookies: true },
  },
  {
    id: 'credentialed-wildcard',
    title: 'Credentialed fetch answered with Access-Control-Allow-Origin: *',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET', credentials: 'include' },
    response: { status: 200, headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' } },
    expect: { outcome: 'blocked', reason: 'WildcardOriginNotAllowed', cookies: true },
  },
  {
    id: 'credentialed-no-allow-credentials',
    title: 'Credentialed fetch without Access-Control-Allow-Credentials',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET', credentials: 'include' },
    response: { status: 200, headers: reflect },
    expect: { outcome: 'blocked', reason: 'InvalidAllowCredentials', cookies: true },
  },
  {
    id: 'expose-headers',
    title: 'Response header exposed with Access-Control-Expose-Headers',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: {
      status: 200,
      headers: { ...reflect, 'Access-Control-Expose-Headers': 'X-Request-Id', 'X-Request-Id': 'req-42', 'X-Hidden': 'secret' },
    },
    read: ['X-Request-Id', 'X-Hidden'],
    expect: { outcome: 'allowed' },
  },
  {
    id: 'redirect-cross-origin',
    title: 'Redirect to another origin: the Origin becomes null, * still passes',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 302, headers: { ...reflect, Location: '{other}/s/redirect-target-wildcard' } },
    expect: { outcome: 'allowed' },
  },
  {
    id: 'redirect-origin-null',
    title: 'Redirect to another origin whose server allows only the page origin',
    technique: 'cors',
    target: 'api',
    request: { method: 'GET' },
    response: { status: 302, headers: { ...reflect, Location: '{other}/s/redirect-target-app-only' } },
    expect: { outcome: 'blocked', reason: 'AllowOriginMismatch' },
  },
  {
    id: 'no-cors',
    title: "fetch with mode: 'no-cors': opaque response",
    technique: 'no-cors',
    target: 'api',
    request: { method: 'GET', mode: 'no-cors' },
    response: { status: 200 },
    expect: { outcome: 'opaque' },
  },
  {
    id: 'dev-proxy',
    title: 'Dev-server proxy: same-origin /proxy forwards to the API origin',
    technique: 'proxy',
    target: 'app',
    path: '/proxy/s/missing-allow-origin',
    request: { method: 'GET' },
    expect: { outcome: 'same-origin' },
  },
];

// Redirect targets and other helpers that the page does not call directly.
export const endpoints = {
  'redirect-target-wildcard': { status: 200, headers: { 'Access-Control-Allow-Origin': '*' } },
  'redirect-target-app-only': { status: 200, headers: { 'Access-Control-Allow-Origin': '{app}' } },
};



/** The reason `browser` blocks the scenario's request for, or undefined when it does not. */
export function expectedReason(scenario, browser) {
  return (browser === 'firefox' ? scenario.expect.firefoxReason : undefined) ?? scenario.expect.reason;
}
