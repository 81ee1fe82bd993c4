// The cookie verdict of one request: which cookies went, which cookies the browser held for the
// URL and kept back (and why), and what became of each Set-Cookie line of the response. The
// browser decides cookie by cookie (RFC 6265bis "Retrieval" and "Storage Model", plus each
// engine's third-party rules); docs/verdicts.md "Cookies" gives the rules as measured.
import type { Browser } from '../browser';
import { isPotentiallyTrustworthy, originOf, parseOrigin, parseUrl, registrableDomain, sameSite } from '../net/origin';
import type { CookieReason } from './reasons';
import type { SameSiteValue } from './set-cookie';
import { parseSetCookie } from './set-cookie';

/** A cookie the browser holds, as the cookies API reports it (values are never kept). */
export interface JarCookie {
  name: string;
  /** The host (host-only cookie) or the Domain attribute, without a leading dot. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  sameSite: SameSiteValue;
  /** Top-level site of the partition the cookie lives in ("https://lab.test"); null: unpartitioned. */
  partitionKey: string | null;
}

export type CredentialsUse = 'include' | 'same-origin' | 'omit';

/** What decides a request's cookies besides the jar. Unknown parts are null. */
export interface CookieContext {
  browser: Browser;
  url: string;
  method: string;
  /** The origin that made the request ("null" when opaque). */
  initiator: string | null;
  /** Origin of the tab's top-level document: its site is the site for cookies and the partition. */
  topLevelOrigin: string | null;
  /** A frame between the top and the requesting frame is cross-site with the top. */
  crossSiteAncestor: boolean;
  /** A top-level navigation (Lax cookies go with a cross-site one when its method is safe). */
  topLevelNavigation: boolean;
  credentials: CredentialsUse | null;
  /** The user's third-party cookie setting, where the browser lets it be read. */
  thirdPartyCookies: 'allowed' | 'blocked' | null;
}

export interface SentCookie {
  name: string;
  partitioned: boolean;
}
export interface WithheldCookie {
  name: string;
  reason: CookieReason;
}
export interface SetCookieResult {
  name: string;
  stored: boolean;
  reason: CookieReason | null;
}

/** What could not be seen: the jar (cookies API refused or missing) or the request's Cookie header. */
export type CookieUnknown = 'jar' | 'request-cookies';

export const COOKIE_UNKNOWNS: readonly CookieUnknown[] = ['jar', 'request-cookies'];

/** The cookie verdict of a request: names only, never values. */
export interface CookieVerdict {
  sent: SentCookie[];
  withheld: WithheldCookie[];
  set: SetCookieResult[];
  /** What could not be seen; absent when everything was. */
  unknown?: CookieUnknown[];
}

/** Schemeful site ("https://lab.test") of an origin or URL; null when it has none. */
export function siteOf(originOrUrl: string): string | null {
  const o = parseOrigin(originOf(originOrUrl));
  return o === null ? null : `${o.scheme}://${registrableDomain(o.host)}`;
}

/** The registrable domain whose cookies may go to `url` (its host's, for the cookies API's domain filter); null without a host. */
export function cookieDomainOf(url: string): string | null {
  const u = parseUrl(url);
  return u === null || u.host === '' || u.origin === 'null' ? null : registrableDomain(u.host);
}

/** Names in a Cookie request header, in order ("a=1; b=2"; a pair without "=" has an empty name). */
export function cookieHeaderNames(header: string): string[] {
  const names: string[] = [];
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    names.push(eq < 0 ? '' : pair.slice(0, eq).trim());
  }
  return names;
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));
}

/** RFC 6265 5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

interface Derived {
  host: string;
  origin: string;
  path: string;
  trustworthy: boolean;
  /** The request is same-site with the site for cookies (and its initiator); null when unknown. */
  sameSiteContext: boolean | null;
  /** The request's site differs from the top-level site: third-party to the page. */
  thirdParty: boolean | null;
  partitionKey: string | null;
  laxNavigation: boolean;
}

function derive(ctx: CookieContext): Derived | null {
  const u = parseUrl(ctx.url);
  if (u === null || u.origin === 'null') return null;
  const q = u.rest.search(/[?#]/);
  const path = q < 0 ? u.rest : u.rest.slice(0, q);
  const top = ctx.topLevelOrigin;
  const thirdParty = top === null ? null : ctx.crossSiteAncestor || !sameSite(top, u.origin);
  let sameSiteContext: boolean | null = thirdParty === null ? null : !thirdParty;
  if (sameSiteContext === true && ctx.initiator !== null) sameSiteContext = sameSite(ctx.initiator, u.origin);
  const method = ctx.method.toUpperCase();
  return {
    host: u.host,
    origin: u.origin,
    path: path === '' ? '/' : path,
    trustworthy: isPotentiallyTrustworthy(u.origin),
    sameSiteContext,
    thirdParty,
    partitionKey: top === null ? null : siteOf(top),
    laxNavigation: ctx.topLevelNavigation && (method === 'GET' || method === 'HEAD'),
  };
}

function credentialsReason(ctx: CookieContext, d: Derived): CookieReason | null {
  if (ctx.credentials === 'omit') return 'CredentialsModeOmit';
  if (ctx.credentials === 'same-origin' && ctx.initiator !== d.origin) return 'CredentialsModeSameOrigin';
  return null;
}

/** The SameSite rule for a cross-site context, for sending and for storing alike. */
function sameSiteReason(ctx: CookieContext, d: Derived, sameSiteValue: SameSiteValue): CookieReason | null {
  if (d.sameSiteContext !== false || (d.laxNavigation && sameSiteValue !== 'strict')) return null;
  if (sameSiteValue === 'strict') return 'SameSiteStrict';
  if (sameSiteValue === 'lax') return 'SameSiteLax';
  // Chromium treats a cookie without SameSite as Lax; Firefox as None.
  if (sameSiteValue === 'unspecified' && ctx.browser === 'chromium') return 'SameSiteUnspecifiedTreatedAsLax';
  return null;
}

/** Third-party cookie blocking of an unpartitioned cookie in a third-party context. */
function thirdPartyReason(ctx: CookieContext, d: Derived, partitioned: boolean): CookieReason | null {
  if (d.thirdParty !== true || partitioned) return null;
  if (ctx.thirdPartyCookies === 'blocked') return 'UserPreferences';
  // Chromium as our tests run it blocks them by default; Firefox keeps them in a partition instead.
  if (ctx.browser === 'chromium' && ctx.thirdPartyCookies === null) return 'ThirdPartyPhaseout';
  return null;
}

/** Firefox keeps a third-party context's cookies in the top-level site's partition (Total Cookie Protection). */
function inOtherPartition(ctx: CookieContext, d: Derived, c: JarCookie): boolean {
  if (d.partitionKey === null) return false;
  if (ctx.browser === 'firefox' && d.thirdParty === true) return c.partitionKey !== d.partitionKey;
  return c.partitionKey !== null && c.partitionKey !== d.partitionKey;
}

/** Why a cookie the browser holds did not go with the request; null when it is not the URL's at all. */
function withheldReason(ctx: CookieContext, d: Derived, c: JarCookie): CookieReason | null {
  if (c.hostOnly ? d.host !== c.domain : !domainMatches(d.host, c.domain)) {
    return c.hostOnly && domainMatches(d.host, c.domain) ? 'DomainMismatch' : null;
  }
  if (!pathMatches(d.path, c.path)) return 'NotOnPath';
  if (c.secure && !d.trustworthy) return 'SecureOnly';
  return (
    credentialsReason(ctx, d) ??
    (inOtherPartition(ctx, d, c) ? 'OtherPartition' : null) ??
    sameSiteReason(ctx, d, c.sameSite) ??
    thirdPartyReason(ctx, d, c.partitionKey !== null) ??
    'UnknownError'
  );
}

/** What became of one Set-Cookie line of the response. */
function setResult(ctx: CookieContext, d: Derived, line: string, now: number): SetCookieResult {
  const parsed = parseSetCookie(line, now);
  if (!parsed.ok) return { name: parsed.name, stored: false, reason: parsed.reason };
  const c = parsed.cookie;
  const lower = c.name.toLowerCase();
  const reason: CookieReason | null =
    (c.domain !== null && !domainMatches(d.host, c.domain) ? 'InvalidDomain' : null) ??
    (c.secure && !d.trustworthy ? 'SecureOnly' : null) ??
    (lower.startsWith('__secure-') && !(c.secure && d.trustworthy) ? 'InvalidPrefix' : null) ??
    (lower.startsWith('__host-') && !(c.secure && d.trustworthy && c.domain === null && c.path === '/') ? 'InvalidPrefix' : null) ??
    (c.sameSite === 'none' && !c.secure ? 'SameSiteNoneInsecure' : null) ??
    (c.partitioned && !c.secure ? 'PartitionedNotSecure' : null) ??
    credentialsReason(ctx, d) ??
    sameSiteReason(ctx, d, c.sameSite) ??
    thirdPartyReason(ctx, d, c.partitioned);
  return { name: c.name, stored: reason === null, reason };
}

/** What became of each Set-Cookie line of a response to `ctx.url`. */
export function setCookieResults(ctx: CookieContext, lines: readonly string[], now: number): SetCookieResult[] {
  const d = derive(ctx);
  return d === null ? [] : lines.map((line) => setResult(ctx, d, line, now));
}

/**
 * The cookie verdict of one request. `cookieHeader` is the Cookie request header as sent (null
 * when not visible), `setCookieLines` the response's Set-Cookie lines, `jar` the cookies the
 * browser holds for the URL's domain in every partition (null when the cookies API could not
 * be read).
 */
export function cookieVerdict(
  ctx: CookieContext,
  cookieHeader: string | null,
  setCookieLines: readonly string[],
  jar: readonly JarCookie[] | null,
  now: number,
): CookieVerdict | null {
  const d = derive(ctx);
  if (d === null) return null;
  const unknown: CookieUnknown[] = [];
  if (jar === null) unknown.push('jar');
  if (cookieHeader === null) unknown.push('request-cookies');

  // Each name in the header accounts for one jar cookie of that name (names may repeat across paths).
  const pending = new Map<string, number>();
  const sentNames = cookieHeader === null ? [] : cookieHeaderNames(cookieHeader);
  for (const n of sentNames) pending.set(n, (pending.get(n) ?? 0) + 1);
  const partitionedSent = new Set<string>();
  const withheld: WithheldCookie[] = [];
  for (const c of jar ?? []) {
    const left = pending.get(c.name) ?? 0;
    if (left > 0 && cookieHeader !== null) {
      pending.set(c.name, left - 1);
      if (c.partitionKey !== null) partitionedSent.add(c.name);
      continue;
    }
    const reason = withheldReason(ctx, d, c);
    if (reason !== null && cookieHeader !== null) withheld.push({ name: c.name, reason });
  }
  return {
    sent: sentNames.map((name) => ({ name, partitioned: partitionedSent.has(name) })),
    withheld,
    set: setCookieLines.map((line) => setResult(ctx, d, line, now)),
    ...(unknown.length > 0 ? { unknown } : {}),
  };
}
