// How a session gives the checks beyond CORS what they need: the document a request came from
// (its COEP, COOP and address), a popup's opener, the server's IP, and the fetch the network
// never saw (mixed content); and how logs read the renamed local-network reasons.
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../src/core/net/events';
import { TabSession } from '../../../../src/core/session/session';
import { sessionFindings } from '../../../../src/core/session/findings';
import { readReasonCode, REASONS } from '../../../../src/core/cors/reasons';
import { consoleWords } from '../../../../src/core/words/words';
import { crossOriginIsolated } from '../../../../src/core/blocks/coep';
import { readDocument } from '../../../../src/core/blocks/block';
import { judgeRecord } from '../../../../src/core/session/judge';
import { stepWords } from '../../../../src/core/words/steps';
import { redactRecord, redactUrl } from '../../../../src/core/log/redact';
import { hs } from '../../../support/observations';

const PAGE = 'https://app.lab.test/page';
let n = 0;

/** The events of one request: announced, answered with `headers`, then completed or failed with `error`. */
function load(tabId: number, frameId: number, type: string, url: string, headers: string[], error: string | null = null, ip = '127.0.0.1'): NetEvent[] {
  const id = String(++n);
  const about = { id, tabId, time: n };
  return [
    { kind: 'request', ...about, frameId, parentFrameId: frameId === 0 ? -1 : 0, url, method: 'GET', type, initiator: type === 'main_frame' ? null : 'https://app.lab.test', documentUrl: null },
    { kind: 'send-headers', ...about, headers: type === 'image' ? hs('Sec-Fetch-Mode: no-cors') : hs('Sec-Fetch-Mode: navigate') },
    { kind: 'headers', ...about, status: 200, statusLine: 'HTTP/1.1 200 OK', headers: hs(...headers) },
    error === null ? { kind: 'complete', ...about, status: 200, fromCache: false, ip } : { kind: 'error', ...about, error, ip: null },
  ];
}

function session(events: NetEvent[], tabId = 1): TabSession {
  const s = new TabSession(tabId, 'chromium');
  for (const e of events) s.apply(e);
  s.takeChanges();
  return s;
}

const records = (s: TabSession) => [...s.records()];
const ISOLATED = ['Content-Type: text/html', 'Cross-Origin-Embedder-Policy: require-corp', 'Cross-Origin-Opener-Policy: same-origin'];

describe('a session and the checks beyond CORS', () => {
  it("judges a resource under its page's COEP, and keeps the page on the record", () => {
    const s = session([...load(1, 0, 'main_frame', PAGE, ISOLATED), ...load(1, 0, 'image', 'https://other.test/i.gif', ['Content-Type: image/gif'], 'net::ERR_BLOCKED_BY_RESPONSE')]);
    const image = records(s).find((r) => r.type === 'image')!;
    expect(image.document).toEqual({ url: PAGE, coep: 'require-corp', coop: 'same-origin', remoteAddress: '127.0.0.1' });
    expect(crossOriginIsolated(image.document!)).toBe(true);
    expect(image.verdict?.reason).toBe('CorpNotSameOriginAfterDefaultedToSameOriginByCoep');
  });

  it("judges a frame under the page that embeds it, not its own document", () => {
    const s = session([...load(1, 0, 'main_frame', PAGE, ISOLATED), ...load(1, 5, 'sub_frame', 'https://other.test/frame', ['Content-Type: text/html'])]);
    const frame = records(s).find((r) => r.type === 'sub_frame')!;
    expect(frame.document?.url).toBe(PAGE);
    expect(frame.verdict?.reason).toBe('CoepFrameResourceNeedsCoepHeader');
  });

  it('keeps the server address webRequest gives, and the page address as the initiator space', () => {
    const s = session([...load(1, 0, 'main_frame', PAGE, ['Content-Type: text/html'], null, '93.184.216.34'), ...load(1, 0, 'image', 'https://other.test/i.gif', ['Content-Type: image/gif'], null, '10.0.0.7')]);
    const image = records(s).find((r) => r.type === 'image')!;
    expect(image.remoteAddress).toBe('10.0.0.7');
    expect(image.document?.remoteAddress).toBe('93.184.216.34');
    expect(image.verdict?.steps.some((step) => step.check === 'local-network' && stepWords(step).includes('initiator public, target local'))).toBe(true);
  });

  it("judges a popup's first document against its opener, whichever arrives first, and makes a finding of it", () => {
    const opener = { url: PAGE, coop: 'same-origin', coep: null, remoteAddress: null };
    const early = new TabSession(2, 'chromium');
    early.setOpener(opener);
    for (const e of load(2, 0, 'main_frame', 'https://other.test/login', ['Content-Type: text/html'])) early.apply(e);
    early.takeChanges();
    const late = session(load(3, 0, 'main_frame', 'https://other.test/login', ['Content-Type: text/html']), 3);
    late.setOpener(opener);
    late.takeChanges();
    for (const s of [early, late]) {
      const [popup] = records(s);
      expect(popup?.verdict?.reason).toBe('CoopSeveredOpener');
      expect(popup?.verdict?.fix).toEqual(['Cross-Origin-Opener-Policy: same-origin-allow-popups']);
      const findings = sessionFindings(records(s), [], 'chromium');
      expect(findings.map((f) => f.code)).toEqual(['coop-severed-opener']);
      expect(findings[0]!.explanation).toMatch(/opener's own Cross-Origin-Opener-Policy: same-origin/);
    }
  });

  // The browser may start the popup's first navigation again (Firefox, when COOP moves it to
  // another process) before the first request completed or just after; then the next page, of
  // another URL or the same one, is the popup's own.
  it.each([
    { firstCompletes: false, next: 'https://other.test/next' },
    { firstCompletes: true, next: 'https://other.test/login' },
  ])("keeps a popup's opener for its first document when the browser starts that navigation again (first request completes: $firstCompletes)", ({ firstCompletes, next }) => {
    const opener = { url: PAGE, coop: 'same-origin', coep: null, remoteAddress: null };
    for (const linkedFirst of [true, false]) {
      const s = new TabSession(4, 'firefox');
      const first = load(4, 0, 'main_frame', 'https://other.test/login', ['Content-Type: text/html']);
      if (linkedFirst) s.setOpener(opener);
      for (const e of firstCompletes ? first : first.slice(0, 1)) s.apply(e);
      if (!linkedFirst) s.setOpener(opener);
      for (const e of load(4, 0, 'main_frame', 'https://other.test/login', ['Content-Type: text/html'])) s.apply(e);
      s.takeChanges();
      const [popup, ...rest] = records(s);
      expect(rest).toEqual([]);
      expect(popup?.opener).toEqual(opener);
      expect(popup?.verdict?.reason).toBe('CoopSeveredOpener');
      for (const e of load(4, 0, 'main_frame', next, ['Content-Type: text/html'])) s.apply(e);
      expect(records(s)[0]?.opener).toBeUndefined();
    }
  });

  it("shows in the opener's tab the popup COOP cut off, as the popup's tab judged it, and leaves the opener's own page alone", () => {
    const opener = session(load(10, 0, 'main_frame', PAGE, ['Content-Type: text/html', 'Cross-Origin-Opener-Policy: same-origin']), 10);
    const popup = session(load(11, 0, 'main_frame', 'https://other.test/login', ['Content-Type: text/html']), 11);
    popup.setOpener(opener.documentIn(0)!);
    popup.takeChanges();
    const [severed] = records(popup);
    opener.addPopup(severed!, 11, 0);
    opener.addPopup(severed!, 11, 0);
    opener.takeChanges();
    const copies = records(opener).filter((r) => r.popupTab !== undefined);
    expect(copies.map((r) => [r.tabId, r.popupTab, r.finalUrl, r.verdict?.reason, r.verdict?.fix])).toEqual([
      [10, 11, 'https://other.test/login', 'CoopSeveredOpener', ['Cross-Origin-Opener-Policy: same-origin-allow-popups']],
    ]);
    expect(opener.documentIn(0)?.url).toBe(PAGE);
    const findings = sessionFindings(records(opener), [], 'chromium');
    expect(findings.map((f) => f.code)).toEqual(['coop-severed-opener']);
    expect(findings[0]!.explanation).toMatch(/opener's own Cross-Origin-Opener-Policy: same-origin.*same-origin-allow-popups/);
  });

  it('records a fetch the network never saw from the page hook, when mixed content blocked it', () => {
    const s = session(load(4, 0, 'main_frame', PAGE, ['Content-Type: text/html']), 4);
    const hook = { url: 'http://api.lab.test/data', method: 'GET', time: 5, api: 'fetch' as const, mode: 'cors', credentials: 'same-origin', withCredentials: null, authorization: false, headerNames: [], frameId: 0, frameUrl: PAGE };
    s.addHookReport(hook);
    s.addHookReport({ ...hook, url: 'https://api.lab.test/data' });
    s.takeChanges();
    const made = records(s).filter((r) => r.type === 'xmlhttprequest');
    expect(made.map((r) => [r.url, r.verdict?.outcome, r.verdict?.reason, r.pageOnly])).toEqual([['http://api.lab.test/data', 'blocked', 'MixedContentBlocked', true]]);
  });

  it("records an element's load the network never saw from its error event, when mixed content blocked it", () => {
    const s = session(load(8, 0, 'main_frame', PAGE, ['Content-Type: text/html']), 8);
    const error = { url: 'http://other.test/s.js', type: 'script' as const, time: 9, frameId: 0, frameUrl: PAGE };
    s.addLoadError(error);
    // An http: image is upgraded: its failure was a request the network saw. So is an https: one.
    s.addLoadError({ ...error, url: 'http://other.test/i.gif', type: 'image' });
    s.addLoadError({ ...error, url: 'https://other.test/t.js' });
    s.takeChanges();
    const made = records(s).filter((r) => r.type !== 'main_frame');
    expect(made.map((r) => [r.url, r.type, r.frameUrl, r.verdict?.outcome, r.verdict?.reason, r.pageOnly])).toEqual([
      ['http://other.test/s.js', 'script', PAGE, 'blocked', 'MixedContentBlocked', true],
    ]);
  });

  it('records no element error of a load the network saw', () => {
    const s = session([...load(9, 0, 'main_frame', PAGE, ['Content-Type: text/html']), ...load(9, 0, 'script', 'http://other.test/s.js', ['Content-Type: text/html'], 'net::ERR_FAILED')], 9);
    s.addLoadError({ url: 'http://other.test/s.js', type: 'script', time: n, frameId: 0, frameUrl: PAGE });
    s.takeChanges();
    expect(records(s).filter((r) => r.type === 'script').map((r) => r.pageOnly)).toEqual([undefined]);
  });
});

describe('documents read from logs', () => {
  it('keeps well-formed fields and drops the rest', () => {
    const page = { url: PAGE, coep: 'require-corp', coop: 5, remoteAddress: null };
    expect([page, { url: 3 }, 'x', null].map(readDocument)).toEqual([{ url: PAGE, coep: 'require-corp', coop: null, remoteAddress: null }, null, null, null]);
  });

  it('judges a request whose kept document is malformed as if it had none', () => {
    const s = session(load(6, 0, 'image', 'https://other.test/i.gif', ['Content-Type: image/gif'], 'NS_ERROR_DOM_CORP_FAILED'), 6);
    const [image] = records(s);
    image!.document = { url: PAGE, coep: 42 } as never;
    expect(judgeRecord(image!, null, 'firefox').reason).toBe('CorpNotSameOriginAfterDefaultedToSameOriginByCoep');
  });
});

describe('documents in an export without secrets', () => {
  it("masks a token in the page's URL as in the request's own", () => {
    const page = `${PAGE}?access_token=abc123`;
    const [record] = records(session(load(7, 0, 'image', 'https://other.test/i.gif', ['Content-Type: image/gif']), 7));
    record!.document = { url: page, coep: null, coop: null, remoteAddress: null };
    record!.opener = { url: page, coep: null, coop: 'same-origin', remoteAddress: null };
    const clean = redactRecord(record!);
    expect([clean.document?.url, clean.opener?.url]).toEqual([redactUrl(page), redactUrl(page)]);
    expect(clean.document?.url).not.toContain('abc123');
    expect(clean.opener?.coop).toBe('same-origin');
  });
});

describe("the blocks in Firefox's words", () => {
  it('gives the console lines Firefox logged for CORP, nosniff and mixed content', () => {
    const ff = consoleWords('firefox');
    expect(ff.consoleLine('CorpNotSameSite', 'same-site', 'https://other.test/i.gif', null, 200)).toBe(
      'The resource at “https://other.test/i.gif” was blocked due to its Cross-Origin-Resource-Policy header (or lack thereof).',
    );
    expect(ff.consoleLine('OrbBlockedNosniffMimeType', 'text/plain', 'https://other.test/s', null, 200)).toBe(
      'The resource from “https://other.test/s” was blocked due to MIME type (“text/plain”) mismatch (X-Content-Type-Options: nosniff).',
    );
    expect(ff.consoleLine('MixedContentBlocked', null, 'http://api.lab.test/data', null, null)).toBe('Blocked loading mixed active content “http://api.lab.test/data”');
    expect(ff.reason('CorpNotSameOrigin', 'same-origin')).toBe(REASONS.CorpNotSameOrigin.title);
  });
});

describe('reason codes read from logs', () => {
  it("takes Chrome's local-network names from before their 2026 rename", () => {
    expect(['InsecurePrivateNetwork', 'InvalidPrivateNetworkAccess', 'PrivateNetworkAccessPermissionDenied', 'InsecureLocalNetwork', 'CorpNotSameSite', 'Nope'].map(readReasonCode)).toEqual([
      'InsecureLocalNetwork', 'InvalidLocalNetworkAccess', 'LocalNetworkAccessPermissionDenied', 'InsecureLocalNetwork', 'CorpNotSameSite', null,
    ]);
  });
});
