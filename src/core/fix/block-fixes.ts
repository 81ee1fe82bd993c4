// What a server must send to let through a load blocked by something other than CORS: CORP on
// the resource (CORP blocks, and COEP's default of same-origin), COEP of its own on a framed
// document, COOP same-origin-allow-popups on an opener, the right Content-Type where ORB
// decided by the headers alone. Other blocks have no header fix (requirements.ts names them).
import { readDocument } from '../blocks/block';
import { embeds } from '../blocks/coep';
import { corpSameSite } from '../blocks/corp';
import { originOf, parseOrigin, parseUrl } from '../net/origin';
import type { RequestRecord } from '../session/record';

/** A response header beyond CORS, to send on every response of a server. */
export interface PolicyHeader {
  name: 'Cross-Origin-Resource-Policy' | 'Cross-Origin-Embedder-Policy' | 'Cross-Origin-Opener-Policy';
  value: string;
}

/** A resource ORB refused for its Content-Type, and the type the element it was loaded as needs. */
export interface ContentTypeFix {
  path: string;
  type: string;
}

/** One blocked load's fix: the server that must send it, and what. */
export interface BlockFix {
  server: string;
  /** Page origins that must be able to embed the server's responses (CORP). */
  embedders: string[];
  policies: PolicyHeader[];
  contentType: ContentTypeFix | null;
}

// The types ORB lets through without looking at the body, for the elements that load them.
const EXPECTED_TYPE: Readonly<Record<string, string>> = { script: 'text/javascript', stylesheet: 'text/css' };

/** The fix of a load blocked beyond CORS, or null when no header fixes it (or it is no such block). */
export function blockFix(r: RequestRecord): BlockFix | null {
  const v = r.verdict;
  if (v === null || v.outcome !== 'blocked' || v.reason === null) return null;
  const server = originOf(r.finalUrl);
  const page = v.requestOrigin ?? r.initiatorOrigin;
  if (parseOrigin(server) === null) return null;
  const fix = (f: Partial<BlockFix>): BlockFix => ({ server, embedders: [], policies: [], contentType: null, ...f });
  switch (v.reason) {
    case 'CorpNotSameOrigin':
    case 'CorpNotSameSite':
    case 'CorpNotSameOriginAfterDefaultedToSameOriginByCoep':
      return page === null || parseOrigin(page) === null ? null : fix({ embedders: [page] });
    case 'CoepFrameResourceNeedsCoepHeader': {
      // The frame sends its embedder's policy (Firefox names the refusal without it: require-corp).
      const policy = readDocument(r.document)?.coep ?? null;
      const value = embeds(policy) ? policy! : 'require-corp';
      // A cross-origin frame in an isolated page is then checked for CORP too.
      const embedders = page !== null && page !== server && parseOrigin(page) !== null ? [page] : [];
      return fix({ embedders, policies: [{ name: 'Cross-Origin-Embedder-Policy', value }] });
    }
    case 'OrbBlockedNeverSniffedMimeType':
    case 'OrbBlockedNosniffMimeType': {
      const type = EXPECTED_TYPE[r.type];
      const url = parseUrl(r.finalUrl);
      return type === undefined || url === null ? null : fix({ contentType: { path: url.rest.split(/[?#]/)[0]!, type } });
    }
    case 'CoopSeveredOpener': {
      // Only the opener's own same-origin is fixed by a header it sends; a popup's COOP is its site's.
      const opener = readDocument(r.opener);
      if (opener === null || !v.fix.includes('Cross-Origin-Opener-Policy: same-origin-allow-popups')) return null;
      const openerOrigin = originOf(opener.url);
      if (parseOrigin(openerOrigin) === null) return null;
      return { server: openerOrigin, embedders: [], policies: [{ name: 'Cross-Origin-Opener-Policy', value: 'same-origin-allow-popups' }], contentType: null };
    }
    default:
      return null;
  }
}

/** The CORP a server must send so that every one of `embedders` may load it: same-site when all are on its site. */
export function corpFor(server: string, embedders: readonly string[]): PolicyHeader {
  return { name: 'Cross-Origin-Resource-Policy', value: embedders.every((o) => corpSameSite(o, server)) ? 'same-site' : 'cross-origin' };
}
