// The cookie lab's plan: one list that the server, the cookie page and the tests all read.
// The page (app.lab.test, over HTTPS) has both API hosts set `jar` with a credentialed CORS
// response, visits api.other.test at the top level (a "login" that sets `login`), comes back,
// and makes `requests`. The server records the Cookie header each request arrived with: that
// is the ground truth of what the browser sent. `target` names a lab host (see server.mjs).

/** Set by /cookie/set on api.lab.test (same site) and api.other.test (cross site) alike. */
export const jar = [
  { name: 'none', attributes: 'SameSite=None; Secure' },
  { name: 'lax', attributes: 'SameSite=Lax' },
  { name: 'strict', attributes: 'SameSite=Strict' },
  { name: 'unset', attributes: '' },
  { name: 'secure', attributes: 'Secure' },
  { name: 'partitioned', attributes: 'SameSite=None; Secure; Partitioned' },
  // The later requests go to /cookie/...: one Path matches them, the other does not.
  { name: 'path', attributes: 'SameSite=None; Secure; Path=/cookie' },
  { name: 'elsewhere', attributes: 'SameSite=None; Secure; Path=/elsewhere' },
  // Refused at Set-Cookie: SameSite=None needs Secure.
  { name: 'insecure_none', attributes: 'SameSite=None' },
];

/** Set by /cookie/login while api.other.test is the top-level site, as a sign-in would. */
export const login = [
  { name: 'login_none', attributes: 'SameSite=None; Secure' },
  { name: 'login_lax', attributes: 'SameSite=Lax' },
  { name: 'login_unset', attributes: '' },
];

/** Where the page's first step has cookies set. */
export const setters = [
  { id: 'set-same', target: 'api' },
  { id: 'set-cross', target: 'otherApi' },
];

/** What the page does once back from the login: each request's query id is `RUN-ID`. */
export const requests = [
  { id: 'fetch-same', kind: 'fetch', credentials: 'include', target: 'api' },
  { id: 'fetch-cross', kind: 'fetch', credentials: 'include', target: 'otherApi' },
  { id: 'xhr-same', kind: 'xhr', target: 'api' },
  { id: 'xhr-cross', kind: 'xhr', target: 'otherApi' },
  { id: 'img-same', kind: 'img', target: 'api' },
  { id: 'img-cross', kind: 'img', target: 'otherApi' },
  { id: 'same-origin-mode-same', kind: 'fetch', credentials: 'same-origin', target: 'api' },
  { id: 'same-origin-mode-cross', kind: 'fetch', credentials: 'same-origin', target: 'otherApi' },
];

/** The Set-Cookie line of a cookie of `jar` or `login`. */
export const setCookieLine = (c) => `${c.name}=1${c.attributes ? `; ${c.attributes}` : ''}`;
