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
  onChanged?: { addListener(f: (change: { removed: boolean; cookie: ApiCookie & { storeId?: string } }) => void): void };
}

/** A cookie added to the jar at `at`: by a response, a page's script (`document.cookie`), another tab. */
export interface AddedCookie {
  name: string;
  at: number;
}

interface Added extends AddedCookie {
  domain: string;
  storeId: string | undefined;
}

// Requests are judged within seconds of their end (cookie-reader.ts): older additions are of no use.
const ADDED_KEPT_MS = 60_000;
const ADDED_KEPT = 2000;

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
  /** The cookies of `domain` and its subdomains added to the jar lately (the last minute), oldest first. */
  added(domain: string, storeId: string | undefined): readonly AddedCookie[];
}

export class CookieJar implements JarReader {
  private readonly api = (browser as unknown as { cookies?: CookiesApi }).cookies ?? null;
  private recent: Added[] = [];

  constructor(private readonly engine: Browser) {
    // A cookie added after a request started cannot have gone with it: the verdict, made from a
    // later read of the jar, must not list it as held back.
    this.api?.onChanged?.addListener(({ removed, cookie }) => {
      if (removed) return;
      const now = Date.now();
      const recent = this.recent;
      let old = 0;
      while (old < recent.length && (recent[old]!.at < now - ADDED_KEPT_MS || recent.length - old >= ADDED_KEPT)) old++;
      if (old > 0) recent.splice(0, old);
      recent.push({ name: cookie.name, domain: toJarCookie(cookie).domain, storeId: cookie.storeId, at: now });
    });
  }

  added(domain: string, storeId: string | undefined): readonly AddedCookie[] {
    return this.recent.filter((a) => (storeId === undefined || a.storeId === storeId) && (a.domain === domain || a.domain.endsWith(`.${domain}`)));
  }

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
