// What a log leaves out: Chrome's provisional request headers for a request that got no
// response, a load cancelled after its response arrived, preflights a browser did not save.
import { describe, expect, it } from 'vitest';
import { readLogFile } from '../../../../src/core/log/log-file';
import { computeVerdict } from '../../../../src/core/cors/verdict';
import { stepWords } from '../../../../src/core/words/steps';
import { API, APP, hs, obs, resp } from '../../../support/observations';

/** A HAR of one entry, as Chrome saves it. */
function chromeHar(entry: object): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries: [{ startedDateTime: '2026-11-24T10:00:00.000Z', ...entry }] } });
}

/** A HAR of one fetch entry, as Chrome saves it. */
function harOf(requestHeaders: string[], status: number, error: string | null, extra: { name: string; value: string }[] = []): string {
  return chromeHar({
    _resourceType: 'fetch',
    _initiator: { type: 'script', url: `${APP}/app.js` },
    request: { method: 'GET', url: API, headers: [...hs(...requestHeaders), ...extra] },
    response: { status, headers: [], ...(error ? { _error: error } : {}) },
  });
}

describe('provisional request headers', () => {
  const provisional = ['Referer: https://app.lab.test/', 'User-Agent: Mozilla/5.0'];

  it('are recognised in a HAR entry that got no response and carries nothing the network stack adds', () => {
    expect(readLogFile(harOf(provisional, 0, 'net::ERR_FAILED')).records[0]!.requestHeadersProvisional).toBe(true);
  });

  it.each([
    ['a response arrived', provisional, 200],
    ['Host was sent', [...provisional, 'Host: api.lab.test'], 0],
    ['Origin was sent', [...provisional, `Origin: ${APP}`], 0],
  ] as const)('are not assumed when %s', (_why, headers, status) => {
    expect(readLogFile(harOf([...headers], status, status ? null : 'net::ERR_FAILED')).records[0]!.requestHeadersProvisional).toBeUndefined();
  });

  it('are not assumed when HTTP/2 pseudo-headers were sent', () => {
    const har = harOf(provisional, 0, 'net::ERR_FAILED', [{ name: ':authority', value: 'api.lab.test' }]);
    expect(readLogFile(har).records[0]!.requestHeadersProvisional).toBeUndefined();
  });

  it('make a refused fetch blocked for a reason the log cannot show, not a no-cors network failure', () => {
    const v = computeVerdict(obs({ requestHeaders: hs(...provisional), requestHeadersProvisional: true, response: null, error: 'net::ERR_FAILED', completed: false }));
    expect(v).toMatchObject({ outcome: 'blocked', reason: 'UnknownNoResponseSaved', mode: 'cors', fix: [] });
    expect(v.warnings.map((w) => w.code)).toContain('headers-provisional');
    expect(v.diagnosis).toContain('cannot be told');
  });

  it('without the flag, the same headers read as a no-cors load that failed', () => {
    const v = computeVerdict(obs({ requestHeaders: hs(...provisional), response: null, error: 'net::ERR_FAILED', completed: false }));
    expect(v.mode).toBe('no-cors');
    expect(v.outcome).toBe('failed');
  });

  it('leave real network failures alone', () => {
    const v = computeVerdict(obs({ requestHeaders: hs(...provisional), requestHeadersProvisional: true, response: null, error: 'net::ERR_CONNECTION_REFUSED', completed: false }));
    expect(v.outcome).toBe('failed');
  });
});

describe('a load cancelled after its response arrived', () => {
  it('keeps the verdict of its response, with a warning', () => {
    const v = computeVerdict(obs({ error: 'net::ERR_ABORTED' }));
    expect(v.outcome).toBe('allowed');
    expect(v.warnings.map((w) => w.code)).toContain('aborted-after-response');
  });

  it('is still blocked when the response failed the CORS check', () => {
    expect(computeVerdict(obs({ error: 'net::ERR_ABORTED', response: resp(200) })).reason).toBe('MissingAllowOriginHeader');
  });

  it('is a failure when no response arrived', () => {
    expect(computeVerdict(obs({ error: 'net::ERR_ABORTED', response: null, completed: false })).outcome).toBe('failed');
  });
});

describe('a HAR that does not name the resource type (Firefox over http:)', () => {
  const entry = (contentType: string) =>
    JSON.stringify({
      log: {
        creator: { name: 'Firefox', version: '153.0' },
        entries: [
          {
            startedDateTime: '2026-11-24T10:00:00.000Z',
            request: { method: 'GET', url: 'http://other.test/jsonp?callback=cb', headers: hs('Host: other.test', 'Referer: http://app.lab.test/') },
            response: { status: 200, headers: hs(`Content-Type: ${contentType}`) },
          },
        ],
      },
    });

  it.each([
    ['text/javascript', 'script'],
    ['application/javascript; charset=utf-8', 'script'],
    ['text/css', 'stylesheet'],
    ['application/json', 'other'],
  ])('reads %s as %s', (contentType, type) => {
    expect(readLogFile(entry(contentType)).records[0]!.type).toBe(type);
  });
});

describe('a HAR without preflights, and with the server IP', () => {
  /** A cross-origin PUT with no OPTIONS entry in the log. */
  const put = (serverIPAddress: string, error: string | null = null) =>
    readLogFile(
      chromeHar({
        _resourceType: 'fetch',
        serverIPAddress,
        request: { method: 'PUT', url: API, headers: hs(`Origin: ${APP}`, 'Host: api.lab.test') },
        response: error ? { status: 0, headers: [], _error: error } : { status: 200, headers: hs(`Access-Control-Allow-Origin: ${APP}`) },
      }),
    ).records[0]!;

  it('keeps preflightsVisible false through to the record: the missing preflight proves nothing', () => {
    const r = put('93.184.216.34');
    expect(r.preflightsVisible).toBe(false);
    expect(r.verdict?.preflight).toBe('unknown');
    expect(r.verdict?.warnings.map((w) => w.code)).toContain('preflight-not-observed');
  });

  it('keeps the server IP (serverIPAddress) for the local-network checks', () => {
    const r = put('192.168.1.20', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS');
    expect(r.remoteAddress).toBe('192.168.1.20');
    expect(stepWords(r.verdict!.steps.find((s) => s.check === 'local-network')!)).toContain('target local');
  });
});

describe('a HAR whose later request was served by the preflight cache', () => {
  it('names the preflight that filled the cache, and its Max-Age', () => {
    const at = (s: number) => `2026-11-24T10:00:0${s}.000Z`;
    const entry = (started: string, method: string, headers: string[], response: string[]) => ({
      startedDateTime: started,
      _resourceType: method === 'OPTIONS' ? 'preflight' : 'fetch',
      request: { method, url: API, headers: hs('Host: api.lab.test', `Origin: ${APP}`, ...headers) },
      response: { status: method === 'OPTIONS' ? 204 : 200, headers: hs(`Access-Control-Allow-Origin: ${APP}`, ...response) },
    });
    const har = JSON.stringify({
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          entry(at(0), 'OPTIONS', ['Access-Control-Request-Method: PUT'], ['Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 600']),
          entry(at(1), 'PUT', [], []),
          entry(at(5), 'PUT', [], []),
        ],
      },
    });
    const later = readLogFile(har).records.find((r) => r.id === 'e3')!;
    expect(later.verdict?.preflight).toBe('cached');
    expect(later.verdict?.steps.find((s) => s.code === 'preflight-cached')?.params).toMatchObject({ preflightId: 'e2-preflight', maxAge: 600 });
  });
});
