// Which of the checks beyond CORS a load goes through, in the order the browser makes them
// (Fetch: CORP in HTTP fetch, then ORB in main fetch; HTML: a frame's COEP, then its CORP; a
// popup's COOP), and what each needs of the observation.
import type { Context } from '../cors/context';
import { parseUrl, resolveUrl, type ParsedUrl } from '../net/origin';
import { getHeader } from '../net/headers';
import { readDocument, type BlockCheck } from './block';
import { coepFrameCheck } from './coep';
import { coopCheck } from './coop';
import { corpCheck, parseCorp, type CorpInput } from './corp';
import { orbCheck } from './orb';

// The errors with which the browsers name these refusals (measured: docs/verdicts.md; ORB's are orb.ts's).
const CORP_ERRORS = new Set(['net::ERR_BLOCKED_BY_RESPONSE', 'NS_ERROR_DOM_CORP_FAILED']);
const COEP_ERRORS = new Set(['NS_ERROR_DOM_COEP_FAILED']);

/** The URL that gave the final response (after any redirects). */
function finalUrl(c: Context): string {
  const last = c.redirects[c.redirects.length - 1];
  return last === undefined ? c.url : (resolveUrl(last.location, last.url || c.url) ?? c.url);
}

/** finalUrl parsed; without redirects that is the request URL the context parsed already (hot path). */
function finalTarget(c: Context): ParsedUrl | null {
  return c.redirects.length === 0 ? c.target : parseUrl(finalUrl(c));
}

const cookieSent = (c: Context) => getHeader(c.requestHeaders, 'cookie') !== null;

/**
 * A cross-origin no-cors load's checks, up to the first refusal. A refusal counts only when
 * the browser reported the load failed: the verdict follows what the page saw.
 */
export function noCorsChecks(c: Context): BlockCheck[] {
  if (c.response === null || c.origin === null) return [];
  const refusedByBrowser = c.error !== null;
  const headers = c.response.headers;
  const coep = readDocument(c.obs.document)?.coep ?? null;
  // One input object, its COEP swapped for the second check: an object spread here cost more than the checks.
  const input: CorpInput = { origin: c.origin, target: finalTarget(c), headers, coep, includesCredentials: cookieSent(c), forNavigation: false };
  let corp = corpCheck(input);
  // The browser named CORP and the response sent none: only COEP's default explains it (the
  // page's own policy was not seen, as in a HAR).
  if (corp.passed && CORP_ERRORS.has(c.error ?? '') && parseCorp(headers) === null) {
    input.coep = 'require-corp';
    corp = corpCheck(input);
  }
  if (!corp.passed) return refusedByBrowser ? [corp] : [];
  const orb = orbCheck(headers, CORP_ERRORS.has(c.error ?? '') ? null : c.error);
  return [corp, orb];
}

/** A document navigation's checks: a frame against its embedding page, a popup against its opener. */
export function navigationChecks(c: Context): BlockCheck[] {
  if (c.response === null) return [];
  const headers = c.response.headers;
  if (c.obs.type === 'sub_frame') {
    // Firefox names the COEP refusal; without the page's policy it is the only witness.
    const embedder = readDocument(c.obs.document)?.coep ?? (COEP_ERRORS.has(c.error ?? '') ? 'require-corp' : null);
    const coep = coepFrameCheck(embedder, headers);
    if (!coep.passed || c.origin === null) return [coep];
    return [coep, corpCheck({ origin: c.origin, target: finalTarget(c), headers, coep: embedder, includesCredentials: cookieSent(c), forNavigation: true })];
  }
  const opener = readDocument(c.obs.opener);
  if (c.obs.type === 'main_frame' && opener !== null) return [coopCheck(opener, finalUrl(c), headers)];
  return [];
}
