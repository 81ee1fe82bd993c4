// Cross-Origin-Opener-Policy between a popup and its opener:
// https://html.spec.whatwg.org/#check-if-coop-values-require-browsing-context-group-switch
// When the policies differ across origins, the popup opens in a new browsing context group:
// window.opener is null in it and the opener sees it as closed, so no message crosses.
import { getHeader, type HeaderList } from '../net/headers';
import { originOf } from '../net/origin';
import { passed, policyToken, refused, type BlockCheck, type DocumentInfo } from './block';

const VALUES = ['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none'];

/** The COOP a response sets: the token, null when absent or unknown (then it counts as unsafe-none). */
export function parseCoop(headers: HeaderList): string | null {
  const token = policyToken(getHeader(headers, 'cross-origin-opener-policy'));
  return token !== null && VALUES.includes(token) ? token : null;
}

const isolating = (coop: string | null) => coop !== null && coop !== 'unsafe-none';

/** The popup's first document (`url`, `headers`) against its opener. */
export function coopCheck(opener: DocumentInfo, url: string, headers: HeaderList): BlockCheck {
  const popupCoop = parseCoop(headers);
  const openerCoop = policyToken(opener.coop);
  const sameOrigin = originOf(url) === originOf(opener.url);
  const popupOrigin = originOf(url);
  const flow = 'a flow that does not need the opener (a redirect back to the page, or a server-side exchange)';
  if (isolating(popupCoop) && !(sameOrigin && popupCoop === openerCoop)) {
    return refused(
      'coop',
      'CoopSeveredOpener',
      'coop-popup-severs',
      { value: popupCoop ?? '', origin: originOf(opener.url), policy: openerCoop ?? 'none' },
      getHeader(headers, 'cross-origin-opener-policy'),
      [],
      `The popup (${popupOrigin}) cut itself off with Cross-Origin-Opener-Policy: ${popupCoop}, so the message the opener waits for never comes. Only ${popupOrigin} can change that (send unsafe-none on this page); if it is not yours, use ${flow}.`,
    );
  }
  if (openerCoop === 'same-origin' && !(sameOrigin && popupCoop === 'same-origin')) {
    return refused(
      'coop',
      'CoopSeveredOpener',
      'coop-opener-severs',
      { origin: popupOrigin, value: popupCoop ?? 'none' },
      opener.coop,
      ['Cross-Origin-Opener-Policy: same-origin-allow-popups'],
      `The opener's own Cross-Origin-Opener-Policy: same-origin cut the popup off. Send "Cross-Origin-Opener-Policy: same-origin-allow-popups" on the opener, or use ${flow}.`,
    );
  }
  return passed('coop', 'coop-kept', { policy: openerCoop ?? 'none', value: popupCoop ?? 'none' });
}
