import { describe, expect, it } from 'vitest';
import { sessionFindings } from '../../../../src/core/session/findings';
import type { RequestRecord } from '../../../../src/core/session/record';
import { judged, messageRecord, record } from '../../../support/records';

describe('sessionFindings', () => {
  it('holds the findings over the requests and over the messages', () => {
    const records = judged([record({ url: 'https://api0.example/feed?callback=cb', type: 'script', requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'no-cors' }] })]);
    const messages = [messageRecord({ targetOrigin: '*' })];
    expect(sessionFindings(records, messages, 'chromium').map((f) => f.code).sort()).toEqual(['jsonp-endpoint', 'postmessage-wildcard-target']);
  });
});

describe('cookie findings', () => {
  const include = { mode: 'include', cookiesSent: false, authorization: false, withCredentials: null } as const;
  const withCookies = (seq: number, cookies: RequestRecord['cookies'], over: Partial<RequestRecord> = {}) =>
    record({ seq, url: `https://api.other.test/me/${seq}`, credentials: include, cookies, ...over });
  const codes = (records: RequestRecord[]) => sessionFindings(records, [], 'chromium');

  it('names a credentialed request that carried none of the cookies the browser holds for it, with the reasons and fixes', () => {
    const bare = withCookies(1, { sent: [], withheld: [{ name: 'sid', reason: 'ThirdPartyPhaseout' }, { name: 'pref', reason: 'SameSiteLax' }], set: [] });
    const [f] = codes([bare]);
    expect(f).toMatchObject({ code: 'credentialed-request-without-cookies', subject: 'https://api.other.test', evidence: [bare.id] });
    expect(f!.explanation).toContain('sid (ThirdPartyPhaseout), pref (SameSiteLax)');
    expect(f!.explanation).toContain('Partitioned');
  });

  it('leaves out requests that carried a cookie, were not credentialed, or only missed cookies of another path', () => {
    const records = [
      withCookies(1, { sent: [{ name: 'chips', partitioned: true }], withheld: [{ name: 'sid', reason: 'ThirdPartyPhaseout' }], set: [] }),
      withCookies(2, { sent: [], withheld: [{ name: 'sid', reason: 'CredentialsModeSameOrigin' }], set: [] }, { credentials: { ...include, mode: 'same-origin' } }),
      withCookies(3, { sent: [], withheld: [{ name: 'other', reason: 'NotOnPath' }], set: [] }),
    ];
    expect(codes(records)).toEqual([]);
  });

  it('names each server whose Set-Cookie the browser refused', () => {
    const r = withCookies(1, { sent: [], withheld: [], set: [{ name: 'ok', stored: true, reason: null }, { name: 'bad', stored: false, reason: 'SameSiteNoneInsecure' }] });
    const [f] = codes([r]);
    expect(f).toMatchObject({ code: 'set-cookie-rejected', title: 'Set-Cookie rejected', evidence: [r.id] });
    expect(f!.explanation).toContain('bad (SameSiteNoneInsecure)');
    expect(f!.explanation).not.toContain('ok (');
  });
});
