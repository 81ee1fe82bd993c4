import { describe, expect, it } from 'vitest';
import { toHar } from '../../../../src/core/log/har-export';
import { isSecretName, mask, redactHeaders, redactText, redactUrl } from '../../../../src/core/log/redact';
import { toSessionLog } from '../../../../src/core/log/session-log';
import { judged, messageRecord, PAGE, record, webSocketFrame, webSocketRecord } from '../../../support/records';

// A JWT as servers issue them: {"alg":"HS256","typ":"JWT"}.{"sub":"planted"}.signature
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nT25seTEyMzQ';
const ACCESS = 'ya29-PlantedAccessToken-7731';
const KEY = 'AIzaPlantedApiKey0000000000000000000001';
const COOKIE = 'c0ffee-planted-session-4411';
const PLANTED = [JWT, ACCESS, KEY, COOKIE];

describe('names that say secret', () => {
  it.each(['access_token', 'id_token', 'client_secret', 'api_key', 'apiKey', 'X-Api-Key', 'sig', 'signature', 'X-Amz-Signature', 'password', 'pwd', 'code', 'auth_code', 'session', 'JSESSIONID', 'PHPSESSID', 'accesstoken', 'X-CSRF-Token', 'AWSAccessKeyId'])(
    '%s is secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(['callback', 'id', 'q', 'page', 'keyword', 'author', 'country_code', 'content-type', 'origin', 'state'])('%s is not', (name) => expect(isSecretName(name)).toBe(false));
});

describe('masking', () => {
  it('keeps the length and the token punctuation, and no letter or digit', () => {
    expect(mask('ab-12.C_d=')).toBe('**-**.*_*=');
    expect(mask(JWT)).toHaveLength(JWT.length);
    expect(mask(JWT).split('.')).toHaveLength(3);
    expect(mask(JWT)).toMatch(/^[*.\-_]+$/);
  });

  it('masks secret-named, random-looking and JWT query and fragment values in URLs, nothing else', () => {
    expect(redactUrl(`https://api.example/cb?access_token=${ACCESS}&page=2&callback=cb`)).toBe(`https://api.example/cb?access_token=${mask(ACCESS)}&page=2&callback=cb`);
    expect(redactUrl(`https://api.example/x?u=${KEY}`)).toBe(`https://api.example/x?u=${mask(KEY)}`);
    expect(redactUrl(`https://app.example/#id_token=${JWT}&state=xyz`)).toBe(`https://app.example/#id_token=${mask(JWT)}&state=xyz`);
    expect(redactUrl(`https://app.example/t/${JWT}/view`)).toBe(`https://app.example/t/${mask(JWT)}/view`);
    expect(redactUrl('https://user:hunter2@app.example/a?b=1')).toBe('https://****:*******@app.example/a?b=1');
    const plain = 'https://api.example/items/42?sort=desc&id=550e8400-e29b-41d4-a716-446655440000';
    expect(redactUrl(plain)).toBe(plain);
  });

  it('masks cookie values and credentials in headers, keeps their names, schemes and the CORS headers', () => {
    const headers = redactHeaders([
      { name: 'Cookie', value: `sid=${COOKIE}; theme=dark` },
      { name: 'Set-Cookie', value: `sid=${COOKIE}; Path=/; Secure\nlang=en; SameSite=Lax` },
      { name: 'Authorization', value: `Bearer ${JWT}` },
      { name: 'X-Api-Key', value: KEY },
      { name: 'Location', value: `https://app.example/cb?code=${ACCESS}` },
      { name: 'Access-Control-Allow-Credentials', value: 'true' },
      { name: 'Access-Control-Allow-Headers', value: 'authorization, x-api-key' },
      { name: 'Content-Type', value: 'application/json' },
    ]);
    expect(headers).toEqual([
      { name: 'Cookie', value: `sid=${mask(COOKIE)}; theme=****` },
      { name: 'Set-Cookie', value: `sid=${mask(COOKIE)}; Path=/; Secure\nlang=**; SameSite=Lax` },
      { name: 'Authorization', value: `Bearer ${mask(JWT)}` },
      { name: 'X-Api-Key', value: mask(KEY) },
      { name: 'Location', value: `https://app.example/cb?code=${mask(ACCESS)}` },
      { name: 'Access-Control-Allow-Credentials', value: 'true' },
      { name: 'Access-Control-Allow-Headers', value: 'authorization, x-api-key' },
      { name: 'Content-Type', value: 'application/json' },
    ]);
  });

  it('masks JWTs, Bearer credentials and secret-named keys in payloads and previews, as JSON or as a preview writes them', () => {
    expect(redactText(`{"type":"auth","access_token":"${ACCESS}","n":3}`)).toBe(`{"type":"auth","access_token":"${mask(ACCESS)}","n":3}`);
    expect(redactText(`{kind:"login",password:"hunter2",pin:1234}`)).toBe(`{kind:"login",password:"*******",pin:1234}`);
    expect(redactText(`{token:"${ACCESS.slice(0, 10)}…`)).toBe(`{token:"${mask(ACCESS.slice(0, 10))}*`);
    expect(redactText(`{"data":"${JWT}"}`)).toBe(`{"data":"${mask(JWT)}"}`);
    expect(redactText(`AUTH Bearer ${ACCESS}`)).toBe(`AUTH Bearer ${mask(ACCESS)}`);
    expect(redactText(`grant_type=refresh&refresh_token=${ACCESS}&x=1`)).toBe(`grant_type=refresh&refresh_token=${mask(ACCESS)}&x=1`);
    expect(redactText('{"hello":"world","count":2}')).toBe('{"hello":"world","count":2}');
  });
});

describe('exports with and without secrets', () => {
  const records = judged([
    record({
      url: `https://api.example/me?access_token=${ACCESS}`,
      requestHeaders: [
        { name: 'Origin', value: PAGE },
        { name: 'Cookie', value: `sid=${COOKIE}` },
        { name: 'X-Api-Key', value: KEY },
      ],
      responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: PAGE }],
      redirects: [{ url: `https://api.example/old?access_token=${ACCESS}`, status: 302, requestHeaders: [], responseHeaders: [], location: `https://api.example/me?access_token=${ACCESS}`, time: 0 }],
    }),
    record({ seq: 1, url: `wss://api.example/ws?token=${ACCESS}`, type: 'websocket', status: 101 }),
  ]);
  const socket = webSocketRecord({
    url: `wss://api.example/ws?token=${ACCESS}`,
    frames: [webSocketFrame({ size: 10, preview: `{"type":"auth","jwt":"${JWT}"}` })],
    handshake: { origin: PAGE, status: 101, requestId: records[1]!.id },
  });
  const messages = [messageRecord({ dataPreview: `{kind:"session",value:"${JWT}"}` })];
  const content = { tabId: 1, pageUrl: `${PAGE}/?code=${ACCESS}`, startedAt: 0, records, navigations: [], messages, websockets: [socket], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } };
  const exported = (includeSecrets: boolean) => [
    JSON.stringify(toSessionLog(content, { includeSecrets, browser: 'chromium', extensionVersion: '0', now: 0 })),
    JSON.stringify(toHar(records, [socket], { includeSecrets, extensionVersion: '0', pageUrl: content.pageUrl, startedAt: 0, browser: 'chromium' })),
  ];

  it('carry none of the planted tokens without secrets', () => {
    for (const text of exported(false)) for (const token of PLANTED) expect(text).not.toContain(token);
  });

  it('carry every planted token with secrets', () => {
    for (const text of exported(true)) for (const token of PLANTED) expect(text).toContain(token);
  });

  it('mask the facts that verdict steps and warnings name, and the words of steps from older logs', () => {
    const [r] = judged([record({ url: `${PAGE}/x` })]);
    r!.verdict = {
      ...r!.verdict!,
      steps: [
        { check: 'redirect-location', hop: 'redirect', passed: false, code: 'redirect-credentials', params: { url: `https://u:${ACCESS}@api.example/`, value: `https://api.example/?code=${ACCESS}`, index: 1 } },
        { check: 'response', hop: 'response', passed: true, detail: `Redirected to https://api.example/?access_token=${ACCESS}` },
      ],
      warnings: [{ code: 'browser-disagrees', params: { error: `bad ${JWT}` } }],
    };
    const text = JSON.stringify(toSessionLog({ ...content, records: [r!] }, { includeSecrets: false, browser: 'chromium', extensionVersion: '0', now: 0 }));
    for (const token of [ACCESS, JWT]) expect(text).not.toContain(token);
    expect(text).toContain('"index":1');
  });

  it('keep the verdict and the sizes of what they mask', () => {
    const log = toSessionLog(content, { includeSecrets: false, browser: 'chromium', extensionVersion: '0', now: 0 });
    expect(log.requests[0]!.verdict).toEqual(records[0]!.verdict);
    expect(log.requests[0]!.url).toHaveLength(records[0]!.url.length);
    expect(log.websockets[0]!.frames[0]!.preview).toHaveLength(socket.frames[0]!.preview.length);
  });
});
