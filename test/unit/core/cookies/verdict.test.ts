// The cookie verdict over the HTTPS lab's cookie page, as each engine decides (measured facts in
// docs/verdicts.md "Cookies"): cookies set by credentialed CORS responses on app.lab.test's
// page, plus a "login" visit to the API's own site.
import { describe, expect, it } from 'vitest';
import type { Browser } from '../../../../src/core/browser';
import { cookieHeaderNames, cookieVerdict, siteOf, type CookieContext, type JarCookie } from '../../../../src/core/cookies/verdict';

const NOW = Date.UTC(2026, 10, 28);
const APP = 'https://app.lab.test';
const SAME_SITE_API = 'https://api.lab.test/cookies/echo';
const CROSS_SITE_API = 'https://api.other.test/cookies/echo';

const ctx = (over: Partial<CookieContext> = {}): CookieContext => ({
  browser: 'chromium',
  url: CROSS_SITE_API,
  method: 'GET',
  initiator: APP,
  topLevelOrigin: APP,
  crossSiteAncestor: false,
  topLevelNavigation: false,
  credentials: 'include',
  thirdPartyCookies: null,
  ...over,
});

const jar = (domain: string, partitionKey: string | null, ...cookies: Array<Partial<JarCookie> & { name: string }>): JarCookie[] =>
  cookies.map((c) => ({ domain, hostOnly: true, path: '/', secure: true, sameSite: 'none', partitionKey, ...c }));

describe('siteOf and cookieHeaderNames', () => {
  it('gives the schemeful registrable domain', () => {
    expect(siteOf('https://api.lab.test:8443/x')).toBe('https://lab.test');
    expect(siteOf('http://127.0.0.1:8710')).toBe('http://127.0.0.1');
    expect(siteOf('data:,x')).toBeNull();
  });
  it('reads the names of a Cookie header, repeated names kept', () => {
    expect(cookieHeaderNames('a=1; b=2;  a=3; lonely')).toEqual(['a', 'b', 'a', '']);
  });
});

describe('cookieVerdict: sending', () => {
  it('Chromium cross-site: only the partitioned cookie goes; each other one says why', () => {
    const held = [
      ...jar('api.other.test', 'https://lab.test', { name: 'chips' }),
      ...jar('api.other.test', null, { name: 'login-none' }, { name: 'login-lax', sameSite: 'lax' }, { name: 'login-strict', sameSite: 'strict' }, { name: 'login-default', sameSite: 'unspecified' }),
    ];
    const v = cookieVerdict(ctx(), 'chips=1', [], held, NOW);
    expect(v?.sent).toEqual([{ name: 'chips', partitioned: true }]);
    expect(v?.withheld).toEqual([
      { name: 'login-none', reason: 'ThirdPartyPhaseout' },
      { name: 'login-lax', reason: 'SameSiteLax' },
      { name: 'login-strict', reason: 'SameSiteStrict' },
      { name: 'login-default', reason: 'SameSiteUnspecifiedTreatedAsLax' },
    ]);
  });

  it('Chromium with third-party cookies blocked by the user names the setting', () => {
    const v = cookieVerdict(ctx({ thirdPartyCookies: 'blocked' }), '', [], jar('api.other.test', null, { name: 'n' }), NOW);
    expect(v?.withheld).toEqual([{ name: 'n', reason: 'UserPreferences' }]);
  });

  it('Firefox cross-site: cookies of this partition go, the login visit lives in another', () => {
    const held = [
      ...jar('api.other.test', 'https://lab.test', { name: 'none' }, { name: 'default', sameSite: 'unspecified' }, { name: 'chips' }),
      ...jar('api.other.test', null, { name: 'login-none' }, { name: 'login-lax', sameSite: 'lax' }),
    ];
    const v = cookieVerdict(ctx({ browser: 'firefox' }), 'none=1; default=2; chips=3', [], held, NOW);
    expect(v?.sent.map((c) => c.name)).toEqual(['none', 'default', 'chips']);
    expect(v?.withheld).toEqual([
      { name: 'login-none', reason: 'OtherPartition' },
      { name: 'login-lax', reason: 'OtherPartition' },
    ]);
  });

  it('same-site: every stored cookie goes, except one whose Path does not match', () => {
    const held = jar('api.lab.test', null, { name: 'lax', sameSite: 'lax' }, { name: 'strict', sameSite: 'strict' }, { name: 'pathed', path: '/elsewhere' });
    for (const browser of ['chromium', 'firefox'] as Browser[]) {
      const v = cookieVerdict(ctx({ browser, url: SAME_SITE_API }), 'lax=1; strict=2', [], held, NOW);
      expect(v?.sent.map((c) => c.name)).toEqual(['lax', 'strict']);
      expect(v?.withheld).toEqual([{ name: 'pathed', reason: 'NotOnPath' }]);
    }
  });

  it('credentials mode: omit and same-origin to another origin keep every cookie home', () => {
    const held = jar('api.lab.test', null, { name: 'a' });
    expect(cookieVerdict(ctx({ url: SAME_SITE_API, credentials: 'same-origin' }), '', [], held, NOW)?.withheld).toEqual([{ name: 'a', reason: 'CredentialsModeSameOrigin' }]);
    expect(cookieVerdict(ctx({ url: SAME_SITE_API, credentials: 'omit' }), '', [], held, NOW)?.withheld).toEqual([{ name: 'a', reason: 'CredentialsModeOmit' }]);
  });

  it('a Secure cookie does not go over plain http; a host-only cookie not to a subdomain', () => {
    const held = [...jar('api.lab.test', null, { name: 's' }), ...jar('lab.test', null, { name: 'host-only' })];
    const v = cookieVerdict(ctx({ url: 'http://api.lab.test/x', initiator: 'http://app.lab.test', topLevelOrigin: 'http://app.lab.test' }), '', [], held, NOW);
    expect(v?.withheld).toEqual([
      { name: 's', reason: 'SecureOnly' },
      { name: 'host-only', reason: 'DomainMismatch' },
    ]);
  });

  it('a Lax cookie goes with a cross-site top-level GET navigation; a Strict one does not', () => {
    const held = jar('api.other.test', null, { name: 'lax', sameSite: 'lax' }, { name: 'strict', sameSite: 'strict' });
    const v = cookieVerdict(ctx({ topLevelNavigation: true, topLevelOrigin: 'https://api.other.test' }), 'lax=1', [], held, NOW);
    expect(v?.sent.map((c) => c.name)).toEqual(['lax']);
    expect(v?.withheld).toEqual([{ name: 'strict', reason: 'SameSiteStrict' }]);
  });

  it('a cookie the rules cannot explain is withheld with UnknownError, not silently dropped', () => {
    const v = cookieVerdict(ctx({ url: SAME_SITE_API }), '', [], jar('api.lab.test', null, { name: 'mystery' }), NOW);
    expect(v?.withheld).toEqual([{ name: 'mystery', reason: 'UnknownError' }]);
  });

  it('says what it could not see, and claims nothing withheld without the Cookie header', () => {
    const v = cookieVerdict(ctx(), null, [], null, NOW);
    expect(v).toEqual({ sent: [], withheld: [], set: [], unknown: ['jar', 'request-cookies'] });
    expect(cookieVerdict(ctx(), '', [], [], NOW)).toEqual({ sent: [], withheld: [], set: [] });
    expect(cookieVerdict(ctx(), null, [], jar('api.other.test', null, { name: 'a' }), NOW)?.withheld).toEqual([]);
  });

  it('answers null for a URL without an origin', () => {
    expect(cookieVerdict(ctx({ url: 'data:,x' }), null, [], [], NOW)).toBeNull();
  });
});

describe('cookieVerdict: Set-Cookie', () => {
  const LINES = [
    'none=1; SameSite=None; Secure',
    'lax=1; SameSite=Lax; Secure',
    'strict=1; SameSite=Strict; Secure',
    'default=1; Secure',
    'chips=1; SameSite=None; Secure; Partitioned',
    'insecure-none=1; SameSite=None',
    'malformed=1\u0007',
  ];
  const results = (browser: Browser, url: string) =>
    Object.fromEntries((cookieVerdict(ctx({ browser, url }), '', LINES, [], NOW)?.set ?? []).map((s) => [s.name, s.reason]));

  it('Chromium cross-site: only the partitioned cookie is stored', () => {
    expect(results('chromium', CROSS_SITE_API)).toEqual({
      none: 'ThirdPartyPhaseout',
      lax: 'SameSiteLax',
      strict: 'SameSiteStrict',
      default: 'SameSiteUnspecifiedTreatedAsLax',
      chips: null,
      'insecure-none': 'SameSiteNoneInsecure',
      malformed: 'DisallowedCharacter',
    });
  });

  it('Firefox cross-site: None and default are stored (in the partition), Lax and Strict are not', () => {
    expect(results('firefox', CROSS_SITE_API)).toEqual({
      none: null,
      lax: 'SameSiteLax',
      strict: 'SameSiteStrict',
      default: null,
      chips: null,
      'insecure-none': 'SameSiteNoneInsecure',
      malformed: 'DisallowedCharacter',
    });
  });

  it('same-site: everything but the insecure None and the malformed line is stored', () => {
    for (const browser of ['chromium', 'firefox'] as Browser[]) {
      const r = results(browser, SAME_SITE_API);
      expect(Object.entries(r).filter(([, reason]) => reason !== null)).toEqual([
        ['insecure-none', 'SameSiteNoneInsecure'],
        ['malformed', 'DisallowedCharacter'],
      ]);
    }
  });

  it('refuses bad domains, prefixes and Secure over plain http', () => {
    const set = (url: string, line: string) => cookieVerdict(ctx({ url, initiator: APP, topLevelOrigin: APP }), '', [line], [], NOW)?.set[0];
    expect(set(SAME_SITE_API, 'a=1; Domain=other.test')).toEqual({ name: 'a', stored: false, reason: 'InvalidDomain' });
    expect(set(SAME_SITE_API, '__Host-a=1; Secure; Path=/; Domain=lab.test')).toEqual({ name: '__Host-a', stored: false, reason: 'InvalidPrefix' });
    expect(set(SAME_SITE_API, '__Host-a=1; Secure; Path=/')).toEqual({ name: '__Host-a', stored: true, reason: null });
    expect(set('http://api.lab.test/x', '__Secure-a=1')).toEqual({ name: '__Secure-a', stored: false, reason: 'InvalidPrefix' });
    expect(set(SAME_SITE_API, 'p=1; Partitioned')).toEqual({ name: 'p', stored: false, reason: 'PartitionedNotSecure' });
  });
});
