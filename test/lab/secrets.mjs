// Tokens the secrets page (page/secrets.html) plants in every place a secret travels: a query
// parameter, an API key header, a cookie, an Authorization header, a WebSocket URL and frame,
// a postMessage. An export without "Include secrets" must carry none of them (test/e2e/secrets.test.ts).

const base64url = (text) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

export const planted = {
  jwt: [base64url('{"alg":"HS256","typ":"JWT"}'), base64url('{"sub":"lab-user","scope":"planted"}'), base64url('planted-signature-of-the-lab-001')].join('.'),
  accessToken: 'lab-access-7f3a9c2e41d8b6',
  apiKey: 'labkey-93b1d7e05c2a48f6',
  cookie: 'lab-cookie-5e8d2b7c19a4f0',
};

/** The cookie /secret/login sets: same site as the page, so later credentialed requests carry it. */
export const secretCookieLine = `lab_secret=${planted.cookie}; Domain=lab.test; Path=/; SameSite=Lax`;
