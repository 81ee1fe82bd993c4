import browser from 'webextension-polyfill';
import type { Browser } from '../core/browser';
import type { SameSiteValue } from '../core/cookies/set-cookie';
import type { JarCookie } from '../core/cookies/verdict';

// The cookies API, read for the cookie verdict: the one place that knows how Chromium's and
// Firefox's differ. Measured (docs/verdicts.md, "Cookies"): in both, `partitionKey: {}` returns
// the unpartitioned cookies and those of every partition in one call; a `topLevelSite` returns
// that partition alone. Firefox also needs `firstPartyDomain: null` (all first-party domains,
// or it throws when first-party isolation is on), which Chromium rejects.

interface ApiCookie {
  name: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  sameSite?: string;
  partitionKey?: { topLevelSite?: string } | null;
}

interface CookiesApi {
  getAll(details: Record<string, unknown>): Promise<ApiCookie[]>;
  getAllCookieStores(): Promise<Array<{ id: string; tabIds: number[] }>>;
}

const SAME_SITE: Record<string, SameSiteValue> = { no_restriction: 'none', lax: 'lax', strict: 'strict' };

export function toJarCookie(c: ApiCookie): JarCookie {
  return {
    name: c.name,
    domain: c.domain.startsWith('.') ? c.domain.slice(1) : c.domain,
    hostOnly: c.hostOnly,
    path: c.path,
    secure: c.secure,
    sameSite: SAME_SITE[c.sameSite ?? ''] ?? 'unspecified',
    partitionKey: c.partitionKey?.topLevelSite ?? null,
  };
}

/** What the cookie verdict needs of the cookies API; tests give their own. */
export interface JarReader {
  /** The cookie store of each tab (private windows and containers have their own); null when unreadable. */
  stores(): Promise<Map<number, string> | null>;
  /** Every cookie of `domain` and its subdomains, in every partition; null when the API is missing or refuses. */
  read(domain: string, storeId: string | undefined): Promise<JarCookie[] | null>;
}

export class CookieJar implements JarReader {
  private readonly api = (browser as unknown as { cookies?: CookiesApi }).cookies ?? null;

  constructor(private readonly engine: Browser) {}

  async stores(): Promise<Map<number, string> | null> {
    try {
      const stores = (await this.api?.getAllCookieStores()) ?? null;
      return stores && new Map(stores.flatMap((s) => s.tabIds.map((tabId) => [tabId, s.id] as const)));
    } catch {
      return null;
    }
  }

  async read(domain: string, storeId: string | undefined): Promise<JarCookie[] | null> {
    if (this.api === null) return null;
    const details: Record<string, unknown> = { domain, partitionKey: {}, ...(storeId === undefined ? {} : { storeId }) };
    if (this.engine === 'firefox') details.firstPartyDomain = null;
    try {
      return (await this.api.getAll(details)).map(toJarCookie);
    } catch {
      return null;
    }
  }
}
