// The redirect stage of the CORS protocol: each redirect response of a CORS request, and
// where it may lead.
import type { Context } from './context';
import { list, str } from './context';
import type { CorsResult } from './cors-result';
import { blockedAt, checkAllowOrigin, failedAt } from './cors-result';
import type { HeaderList } from '../net/headers';
import { getHeader } from '../net/headers';
import type { ParsedUrl } from '../net/origin';
import { isCorsScheme, isLocalScheme, parseUrl, resolveUrl } from '../net/origin';
import type { RedirectObservation } from './verdict';

/**
 * Every redirect hop, in order: https://fetch.spec.whatwg.org/#http-fetch step 4.4 (the CORS
 * check, once the request has left its origin: from then on its response tainting is "cors")
 * on each redirect response, then https://fetch.spec.whatwg.org/#http-redirect-fetch.
 * Sets r.origin to the origin the final response is checked against; returns whether any
 * hop was cross-origin.
 */
export function followRedirects(c: Context, r: CorsResult): boolean {
  const origin = c.origin as string;
  // HTTP-redirect fetch step 7: a 21st redirect is a network error.
  if (c.redirects.length > 20) {
    failedAt(r, 'redirect', 'net::ERR_TOO_MANY_REDIRECTS');
    return true;
  }
  let crossed = c.firstCross;
  let hopUrl = c.url;
  let hopParsed = c.target as ParsedUrl;
  for (let i = 0; i < c.redirects.length; i++) {
    const hop = c.redirects[i] as RedirectObservation;
    const u = str(hop.url) || hopUrl;
    const parsed = parseUrl(u) ?? hopParsed;
    const headers = list<never>(hop.responseHeaders) as HeaderList;
    const status = typeof hop.status === 'number' ? hop.status : 0;
    crossed ||= parsed.origin !== origin;
    const current = r.tainted ? 'null' : origin;
    if (crossed) {
      const acc = checkAllowOrigin(c, r, headers, current, 'redirect', status);
      if (acc.reason !== null) {
        blockedAt(r, acc.reason, 'redirect', acc.failedParameter, headers, status, i);
        return true;
      }
    }
    // Steps 3-5: the location URL, resolved against the hop's URL; failure is a network error.
    const raw = str(hop.location) || getHeader(headers, 'location') || '';
    const loc = resolveUrl(raw, u);
    const locParsed = loc === null ? null : parseUrl(loc);
    if (loc === null || locParsed === null) {
      failedAt(r, 'redirect', 'net::ERR_INVALID_REDIRECT');
      return true;
    }
    // Step 9: a CORS request may not be redirected to another origin's URL with credentials.
    if (locParsed.hasCredentials && locParsed.origin !== origin) {
      r.steps.push({ check: 'redirect-location', hop: 'redirect', passed: false, code: 'redirect-credentials', params: { index: i + 1 } });
      blockedAt(r, 'RedirectContainsCredentials', 'redirect', loc, headers, status, i);
      return true;
    }
    // Step 6: the location's scheme must support CORS.
    if ((crossed || locParsed.origin !== origin) && !isCorsScheme(locParsed.scheme, c.browser) && !isLocalScheme(locParsed.scheme)) {
      r.steps.push({ check: 'redirect-location', hop: 'redirect', passed: false, code: 'redirect-scheme', params: { index: i + 1, scheme: locParsed.scheme } });
      blockedAt(r, 'CorsDisabledScheme', 'redirect', locParsed.scheme, headers, status, i);
      return true;
    }
    // https://fetch.spec.whatwg.org/#concept-request-tainted-origin: a hop to another origin
    // from a URL that is not on the request's origin makes the request's origin serialize as
    // "null" from then on.
    const taints = !r.tainted && locParsed.origin !== parsed.origin && origin !== parsed.origin;
    if (taints) r.tainted = true;
    r.steps.push({ check: 'redirect-location', hop: 'redirect', passed: true, code: 'redirect', params: { index: i + 1, status, url: loc, tainted: taints } });
    crossed ||= locParsed.origin !== origin;
    hopUrl = loc;
    hopParsed = locParsed;
  }
  r.origin = r.tainted ? 'null' : origin;
  return crossed;
}

/** True when some redirect hop or target is on another origin than `origin`. */
export function redirectsLeave(redirects: RedirectObservation[], url: string, origin: string): boolean {
  let current = url;
  for (const hop of redirects) {
    const from = str(hop.url) || current;
    const to = resolveUrl(str(hop.location) || getHeader(list<never>(hop.responseHeaders), 'location') || '', from);
    if (originOfOrNull(from) !== origin || to === null || originOfOrNull(to) !== origin) return true;
    current = to;
  }
  return false;
}

function originOfOrNull(url: string): string | null {
  return parseUrl(url)?.origin ?? null;
}
