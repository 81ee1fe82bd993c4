// Cross-Origin-Embedder-Policy for frames: https://html.spec.whatwg.org/#check-a-navigation-response's-adherence-to-its-embedder-policy
// A document under `require-corp` or `credentialless` may only embed frames that send one of
// them too; resources are COEP's through CORP (corp.ts).
import { getHeader, type HeaderList } from '../net/headers';
import { isPotentiallyTrustworthy, originOf } from '../net/origin';
import { passed, policyToken, refused, type BlockCheck, type DocumentInfo } from './block';

const EMBEDDING = ['require-corp', 'credentialless'];

/** The COEP a response sets, as documents keep it: the token, null when absent or unknown. */
export function parseCoep(headers: HeaderList): string | null {
  const token = policyToken(getHeader(headers, 'cross-origin-embedder-policy'));
  return token !== null && [...EMBEDDING, 'unsafe-none'].includes(token) ? token : null;
}

/** True when the policy makes embedded content opt in. */
export function embeds(coep: string | null): boolean {
  return coep !== null && EMBEDDING.includes(coep);
}

/** self.crossOriginIsolated of a document: COOP same-origin, an embedding COEP, a secure context. */
export function crossOriginIsolated(doc: DocumentInfo): boolean {
  return doc.coop === 'same-origin' && embeds(doc.coep) && isPotentiallyTrustworthy(originOf(doc.url));
}

/** A frame's response inside a document with COEP `embedderCoep`. */
export function coepFrameCheck(embedderCoep: string | null, frameHeaders: HeaderList): BlockCheck {
  if (!embeds(embedderCoep)) return passed('coep', 'coep-page-without');
  const own = parseCoep(frameHeaders);
  if (embeds(own)) return passed('coep', 'coep-frame-sends', { value: own ?? '' });
  return refused(
    'coep',
    'CoepFrameResourceNeedsCoepHeader',
    'coep-frame-missing',
    { policy: embedderCoep ?? '', value: own ?? '' },
    getHeader(frameHeaders, 'cross-origin-embedder-policy'),
    [`Cross-Origin-Embedder-Policy: ${embedderCoep}`],
    `A cross-origin isolated page may only embed frames that are isolated too: the framed document must send "Cross-Origin-Embedder-Policy: ${embedderCoep}" (and, from another origin, "Cross-Origin-Resource-Policy: cross-origin").`,
  );
}
