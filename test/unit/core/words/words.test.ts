import { describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../../../../src/core/cors/reasons';
import { consoleWords, reasonWords } from '../../../../src/core/words/words';

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

  it('has words for every reason code in both browsers', () => {
    for (const reason of REASON_CODES) {
      for (const browser of ['chromium', 'firefox'] as const) expect(said(reason, 'v', browser)?.text, `${browser} ${reason}`).toMatch(/\w/);
    }
  });
});
