// What keeps the verdict engine fast on ordinary traffic (docs/benchmarks.md, "Verdict engine"):
// the request URL is parsed once, and only a blocked request gets a diagnosis (the text).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { computeVerdict } from '../../../../src/core/cors/verdict';
import * as diagnoseModule from '../../../../src/core/cors/diagnose';
import * as origin from '../../../../src/core/net/origin';
import { APP, hs, obs, preflight, resp } from '../../../support/observations';

// Calls from other modules go through these spies; origin.ts's own calls (its cached origin
// parses) do not, and need not: they are not the engine's to avoid.
vi.mock('../../../../src/core/net/origin', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/core/net/origin')>();
  return { ...actual, parseUrl: vi.fn(actual.parseUrl) };
});
vi.mock('../../../../src/core/cors/diagnose', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/core/cors/diagnose')>();
  return { ...actual, diagnose: vi.fn(actual.diagnose) };
});

const parseUrl = vi.mocked(origin.parseUrl);
const diagnose = vi.mocked(diagnoseModule.diagnose);

const ordinary = {
  'an allowed cross-origin GET': obs(),
  'an allowed credentialed PUT after its preflight': obs({
    method: 'PUT',
    requestHeaders: hs(`Origin: ${APP}`, 'Sec-Fetch-Mode: cors', 'Content-Type: application/json', 'Cookie: sid=1'),
    preflight: preflight(204, hs(`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type')),
    response: resp(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true'),
  }),
  'a cross-site image': obs({
    url: 'https://cdn.other.test/logo.png',
    type: 'image',
    requestHeaders: hs('Sec-Fetch-Mode: no-cors'),
    response: resp(200, 'Content-Type: image/png'),
  }),
  'a same-origin script': obs({ url: `${APP}/app.js`, type: 'script', requestHeaders: hs('Sec-Fetch-Mode: no-cors'), response: resp(200) }),
  'a navigation': obs({ url: `${APP}/`, type: 'main_frame', requestHeaders: hs('Sec-Fetch-Mode: navigate'), response: resp(200) }),
};

describe('the verdict engine on ordinary requests', () => {
  beforeEach(() => {
    parseUrl.mockClear();
    diagnose.mockClear();
  });

  for (const [name, o] of Object.entries(ordinary)) {
    it(`parses the URL of ${name} once and builds no diagnosis`, () => {
      const v = computeVerdict(o);
      expect(v.outcome).not.toBe('blocked');
      expect(parseUrl.mock.calls).toEqual([[o.url]]);
      expect(diagnose).not.toHaveBeenCalled();
      expect(v.diagnosis).toBeNull();
    });
  }

  it('diagnoses a blocked request', () => {
    const v = computeVerdict(obs({ response: resp(200), error: 'net::ERR_FAILED', completed: false }));
    expect(v.reason).toBe('MissingAllowOriginHeader');
    expect(diagnose).toHaveBeenCalledOnce();
    expect(v.diagnosis).toMatch(/Access-Control-Allow-Origin/);
  });
});
