import { describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../../../../src/core/cors/reasons';
import { consoleWords, loadFacts, reasonWords } from '../../../../src/core/words/words';

const URL = 'https://api.lab.test/s/x';
const said = (reason: ReasonCode, parameter: string | null, browser: 'chromium' | 'firefox') => reasonWords({ reason, failedParameter: parameter }, browser);

describe("each browser's console words", () => {
  it('gives Firefox its own sentences, with the failing value, and its key beside the code', () => {
    expect(said('MissingAllowOriginHeader', null, 'firefox')).toEqual({
      code: 'MissingAllowOriginHeader',
      firefoxKey: 'CORSMissingAllowOrigin2',
      text: 'CORS header ‘Access-Control-Allow-Origin’ missing',
      mdn: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin',
    });
    expect(said('AllowOriginMismatch', 'https://a.test, https://b.test', 'firefox')?.text).toBe('CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://a.test, https://b.test’');
    expect(said('PreflightWildcardOriginNotAllowed', '*', 'firefox')?.text).toBe('Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’');
    expect(said('HeaderDisallowedByPreflightResponse', 'x-lab-token', 'firefox')?.text).toBe(
      'header ‘x-lab-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
    );
    expect(said('MultipleAllowOriginValues', 'a, b', 'firefox')?.text).toBe('Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed');
  });

  it("writes the whole console line as each browser logs it, page data kept literal", () => {
    expect(consoleWords('firefox').consoleLine('MissingAllowOriginHeader', null, URL, 'https://app.lab.test', 500)).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.`,
    );
    expect(consoleWords('firefox').consoleLine('AllowOriginMismatch', '$&$1', URL, null, 200)).toContain('does not match ‘$&$1’');
    expect(consoleWords('chromium').consoleLine('PreflightAllowOriginMismatch', 'https://x.test', URL, 'https://app.lab.test', 204)).toBe(
      `Access to fetch at '${URL}' from origin 'https://app.lab.test' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://x.test' that is not equal to the supplied origin.`,
    );
  });

  it('gives Chromium the lines it logged for the blocks beyond CORS, and none where it logs none', () => {
    const chromium = consoleWords('chromium');
    const page = 'https://app.lab.test/page/mixed-content.html';
    const load = (type: string, api: string | null = null) => loadFacts({ type, hook: api === null ? null : ({ api } as never), frameUrl: page });
    expect(chromium.consoleLine('CorpNotSameSite', 'same-site', URL, null, 200)).toBe('Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE.NotSameSite');
    expect(said('CorpNotSameOriginAfterDefaultedToSameOriginByCoep', null, 'chromium')?.text).toBe('net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep');
    const insecure = 'http://other.test/s.js';
    expect(chromium.consoleLine('MixedContentBlocked', insecure, insecure, null, null, load('script'))).toBe(
      `Mixed Content: The page at '${page}' was loaded over HTTPS, but requested an insecure script '${insecure}'. This request has been blocked; the content must be served over HTTPS.`,
    );
    expect(chromium.reason('MixedContentBlocked', insecure, load('xmlhttprequest', 'fetch'))).toMatch(/^requested an insecure resource /);
    expect(chromium.reason('MixedContentBlocked', insecure, load('xmlhttprequest', 'xhr'))).toMatch(/^requested an insecure XMLHttpRequest endpoint /);
    expect(chromium.consoleLine('MixedContentBlocked', insecure, insecure, null, null)).toBeNull();
    expect(chromium.consoleLine('LocalNetworkAccessPermissionDenied', 'loopback', URL, 'https://app.lab.test', null)).toBe(
      `Access to fetch at '${URL}' from origin 'https://app.lab.test' has been blocked by CORS policy: Permission was denied for this request to access the \`loopback\` address space.`,
    );
    for (const silent of ['CoepFrameResourceNeedsCoepHeader', 'OrbBlockedAfterSniffing', 'OrbBlockedNosniffMimeType', 'CoopSeveredOpener'] as const) {
      expect(chromium.consoleLine(silent, null, URL, null, 200), silent).toBeNull();
    }
  });

  it('has words for every reason code in both browsers', () => {
    for (const reason of REASON_CODES) {
      for (const browser of ['chromium', 'firefox'] as const) expect(said(reason, 'v', browser)?.text, `${browser} ${reason}`).toMatch(/\w/);
    }
  });
});
