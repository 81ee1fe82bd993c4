// Cross-Origin-Resource-Policy: https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check
// (with COEP's defaults: https://html.spec.whatwg.org/#coep). Applies to no-cors loads and to
// the navigations of frames inside a COEP page.
import { getHeader, type HeaderList } from '../net/headers';
import { parseOrigin, parseUrl, registrableDomain } from '../net/origin';
import type { ReasonCode } from '../cors/reasons';
import { passed, policyToken, refused, type BlockCheck } from './block';

export type CorpPolicy = 'same-origin' | 'same-site' | 'cross-origin';
const POLICIES: readonly string[] = ['same-origin', 'same-site', 'cross-origin'];

/** The response's CORP, null when absent or not one of the three values (browsers ignore those). */
export function parseCorp(headers: HeaderList): CorpPolicy | null {
  const v = getHeader(headers, 'cross-origin-resource-policy');
  return v !== null && POLICIES.includes(v.trim()) ? (v.trim() as CorpPolicy) : null;
}

export interface CorpInput {
  /** The request's origin (the initiator's). */
  origin: string;
  /** The response's URL. */
  url: string;
  headers: HeaderList;
  /** The requesting document's COEP ('require-corp', 'credentialless') or null. */
  coep: string | null;
  /** The request carried credentials (cookies): under `credentialless` that makes CORP default to same-origin. */
  includesCredentials: boolean;
  /** A frame's navigation (COEP makes a missing CORP count there too). */
  forNavigation: boolean;
}

/** CORP same-site lets `origin` load from `target`: schemelessly same site, and an https response only for an https page. */
export function corpSameSite(origin: string, target: string): boolean {
  const o = parseOrigin(origin);
  const t = parseOrigin(target);
  return o !== null && t !== null && registrableDomain(o.host) === registrableDomain(t.host) && (o.scheme === 'https' || t.scheme !== 'https');
}

/** https://fetch.spec.whatwg.org/#cross-origin-resource-policy-internal-check */
export function corpCheck(i: CorpInput): BlockCheck {
  const target = parseUrl(i.url);
  const origin = parseOrigin(i.origin);
  if (target === null || origin === null || target.origin === i.origin) return passed('corp', 'corp-same-origin');
  const declared = parseCorp(i.headers);
  const coep = policyToken(i.coep);
  const defaulted =
    declared === null && (coep === 'require-corp' || (coep === 'credentialless' && (i.includesCredentials || i.forNavigation)));
  if (declared === null && !defaulted) {
    return passed('corp', i.forNavigation ? 'corp-frame-without-coep' : 'corp-none');
  }
  const policy: CorpPolicy = declared ?? 'same-origin';
  const header = getHeader(i.headers, 'cross-origin-resource-policy');
  const fix = ['Cross-Origin-Resource-Policy: cross-origin'];
  if (policy === 'cross-origin') return passed('corp', 'corp-cross-origin');
  if (policy === 'same-site') {
    if (corpSameSite(i.origin, target.origin)) return passed('corp', 'corp-same-site', { origin: i.origin });
    return refused(
      'corp',
      'CorpNotSameSite',
      'corp-not-same-site',
      { origin: i.origin, url: target.origin },
      header,
      fix,
      `The response allows only its own site (${registrableDomain(target.host)}) to embed it. If other sites may load it, send "Cross-Origin-Resource-Policy: cross-origin".`,
    );
  }
  const reason: ReasonCode = defaulted ? 'CorpNotSameOriginAfterDefaultedToSameOriginByCoep' : 'CorpNotSameOrigin';
  if (defaulted) {
    return refused(
      'corp',
      reason,
      'corp-defaulted-by-coep',
      { origin: i.origin, url: target.origin, policy: coep ?? '' },
      null,
      fix,
      `The page is cross-origin isolated (COEP ${coep}), so every cross-origin ${i.forNavigation ? 'frame' : 'resource'} must opt in: have ${target.origin} send "Cross-Origin-Resource-Policy: cross-origin"${i.forNavigation ? '' : ', or load it with CORS (the crossorigin attribute and Access-Control-Allow-Origin)'}.`,
    );
  }
  return refused(
    'corp',
    reason,
    'corp-not-same-origin',
    { origin: i.origin, url: target.origin },
    header,
    fix,
    `The response allows only ${target.origin} to embed it. If other origins may load it, send "Cross-Origin-Resource-Policy: cross-origin" (or same-site for ${registrableDomain(target.host)} only).`,
  );
}
