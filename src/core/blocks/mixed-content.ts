// Mixed content: https://w3c.github.io/webappsec-mixed-content/level2.html. A secure page's
// request to an insecure URL: images, audio and video are upgraded to https:, everything else
// (fetch, XHR, scripts, styles, frames, WebSockets) is blocked before it reaches the network.
import { addressSpaceOfHost, isPotentiallyTrustworthy, parseOrigin, parseUrl, type ParsedUrl } from '../net/origin';
import type { Browser } from '../browser';
import { passed, refused, type BlockCheck } from './block';

/** webRequest / HAR resource types of upgradeable content. */
const UPGRADEABLE = new Set(['image', 'imageset', 'media', 'audio', 'video']);

export interface MixedContentInput {
  browser: Browser;
  /** The requesting page's origin. */
  origin: string | null;
  url: string;
  type: string;
  /** Where the first redirect pointed (Firefox shows an upgrade as an internal redirect), if any. */
  firstRedirect: string | null;
}

/**
 * null when the request is not mixed content (an insecure page, or a secure target). `target`
 * is `i.url` parsed: the verdict engine passes the one it has (this runs on every request).
 */
export function mixedContentCheck(i: MixedContentInput, target: ParsedUrl | null = parseUrl(i.url)): BlockCheck | null {
  const page = i.origin === null ? null : parseOrigin(i.origin);
  if (page === null || target === null || (page.scheme !== 'https' && page.scheme !== 'wss')) return null;
  if ((target.scheme !== 'http' && target.scheme !== 'ws') || isPotentiallyTrustworthy(target.origin)) return null;
  // Chromium leaves a private IP literal or .local name to its local-network-access permission.
  const space = addressSpaceOfHost(target.host);
  if (i.browser === 'chromium' && space !== null && space !== 'public') return null;
  if (UPGRADEABLE.has(i.type)) {
    const seen = i.firstRedirect !== null && i.firstRedirect.startsWith('https:') ? { url: i.firstRedirect } : {};
    return passed('mixed-content', 'mixed-content-upgraded', { scheme: target.scheme, value: i.type, ...seen });
  }
  const secure = i.url.replace(/^http:/i, 'https:').replace(/^ws:/i, 'wss:');
  return refused(
    'mixed-content',
    'MixedContentBlocked',
    'mixed-content-blocked',
    { origin: i.origin ?? '', scheme: target.scheme },
    i.url,
    [],
    `An https: page may not load ${i.type === 'script' ? 'scripts' : 'this kind of content'} over ${target.scheme}:. Request ${secure} instead (the server must serve it over TLS); the request never left the browser.`,
  );
}
