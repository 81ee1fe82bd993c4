// Why a cookie did not go with a request, or was not stored from a response. The names follow
// the Chrome DevTools protocol (Network.CookieBlockedReason / Network.SetCookieBlockedReason),
// so a user can look them up; where the protocol has no name (credentials mode, partitions,
// what we cannot know) the name is ours. Each has the Firefox console key where Firefox has
// one (netwerk/locales/en-US/necko.properties). docs/verdicts.md explains each.

export const COOKIE_REASONS = [
  // A stored cookie that did not go with a request.
  'SecureOnly',
  'NotOnPath',
  'DomainMismatch',
  'SameSiteStrict',
  'SameSiteLax',
  'SameSiteUnspecifiedTreatedAsLax',
  'ThirdPartyPhaseout',
  'UserPreferences',
  'CredentialsModeOmit',
  'CredentialsModeSameOrigin',
  'OtherPartition',
  // A Set-Cookie line that stored nothing.
  'SameSiteNoneInsecure',
  'PartitionedNotSecure',
  'InvalidDomain',
  'InvalidPrefix',
  'SyntaxError',
  'NoCookieContent',
  'DisallowedCharacter',
  'NameValuePairExceedsMaxSize',
  'OverwriteSecure',
  // Neither the rules nor the jar explain what happened.
  'UnknownError',
] as const;

export type CookieReason = (typeof COOKIE_REASONS)[number];

const REASON_SET: ReadonlySet<string> = new Set(COOKIE_REASONS);
export function isCookieReason(v: unknown): v is CookieReason {
  return typeof v === 'string' && REASON_SET.has(v);
}

export interface CookieReasonInfo {
  /** What happened, in plain words. */
  title: string;
  /** What to change so that the cookie goes (or is stored). */
  fix: string;
  /** Firefox's console key and its English message ("%1$S" is the cookie's name), where Firefox logs one. */
  firefox: { key: string; text: string } | null;
}

const ff = (key: string, text: string) => ({ key, text });
const SAME_SITE_FF = ff('CookieRejectedForNonSameSiteness', 'Cookie “%1$S” has been rejected because it is in a cross-site context and its “SameSite” is “Lax” or “Strict”.');
const THIRD_PARTY_FIX =
  'Third-party cookies are blocked: give the cookie the Partitioned attribute (SameSite=None; Secure; Partitioned) so it lives in this top-level site’s partition, or have the embedded page ask with the Storage Access API (document.requestStorageAccess()).';

export const COOKIE_REASON_INFO: Record<CookieReason, CookieReasonInfo> = {
  SecureOnly: {
    title: 'The cookie is Secure and the request is not over HTTPS',
    fix: 'Request the https: URL (or drop Secure, which exposes the cookie to anyone on the network).',
    firefox: ff('CookieRejectedSecureButNonHttps', 'Cookie “%1$S” has been rejected because a non-HTTPS cookie can’t be set as “secure”.'),
  },
  NotOnPath: {
    title: 'The cookie’s Path does not cover this URL',
    fix: 'Set a Path that covers the URL (Path=/ for the whole host).',
    firefox: null,
  },
  DomainMismatch: {
    title: 'The cookie is host-only (no Domain attribute) and this is another host of its domain',
    fix: 'Set Domain=<the parent domain> on the cookie so that its subdomains get it.',
    firefox: null,
  },
  SameSiteStrict: {
    title: 'SameSite=Strict: the request is cross-site',
    fix: 'Use SameSite=None; Secure for a cookie that must go with cross-site requests.',
    firefox: SAME_SITE_FF,
  },
  SameSiteLax: {
    title: 'SameSite=Lax: the request is cross-site (only top-level GET navigations carry Lax cookies)',
    fix: 'Use SameSite=None; Secure for a cookie that must go with cross-site requests.',
    firefox: SAME_SITE_FF,
  },
  SameSiteUnspecifiedTreatedAsLax: {
    title: 'No SameSite attribute: Chromium treats the cookie as SameSite=Lax, and the request is cross-site',
    fix: 'Set SameSite=None; Secure on the cookie.',
    firefox: null,
  },
  ThirdPartyPhaseout: {
    title: 'Third-party cookies are blocked (the browser’s default), and this cookie is not partitioned',
    fix: THIRD_PARTY_FIX,
    firefox: null,
  },
  UserPreferences: {
    title: 'The user’s settings block third-party cookies',
    fix: THIRD_PARTY_FIX,
    firefox: ff('CookieRejectedThirdParty', 'Cookie “%1$S” has been rejected as third-party.'),
  },
  CredentialsModeOmit: {
    title: "The request's credentials mode is 'omit': no cookie goes",
    fix: "Send the request with credentials: 'include' (fetch) or withCredentials = true (XMLHttpRequest).",
    firefox: null,
  },
  CredentialsModeSameOrigin: {
    title: "The request's credentials mode is 'same-origin' and the URL is another origin",
    fix: "Send the request with credentials: 'include' (fetch) or withCredentials = true (XMLHttpRequest); the server must then answer with Access-Control-Allow-Credentials: true and its exact origin.",
    firefox: null,
  },
  OtherPartition: {
    title: 'The cookie lives in another partition: it was set under another top-level site (Total Cookie Protection, or a Partitioned cookie)',
    fix: 'Set the cookie from this top-level site’s context (it is then stored in this site’s partition), or have the embedded page ask with the Storage Access API (document.requestStorageAccess()).',
    firefox: ff(
      'CookiePartitionedForeign2',
      'Partitioned cookie or storage access was provided to “%1$S” because it is loaded in the third-party context and dynamic state partitioning is enabled.',
    ),
  },
  SameSiteNoneInsecure: {
    title: 'SameSite=None without Secure: the browser refuses the cookie',
    fix: 'Send SameSite=None; Secure, over HTTPS.',
    firefox: ff('CookieRejectedNonRequiresSecure2', 'Cookie “%1$S” rejected because it has the “SameSite=None” attribute but is missing the “secure” attribute.'),
  },
  PartitionedNotSecure: {
    title: 'Partitioned without Secure: the browser refuses the cookie',
    fix: 'Send Partitioned together with Secure, over HTTPS.',
    firefox: ff('CookieRejectedPartitionedRequiresSecure', 'Cookie “%1$S” has been rejected because it has the “Partitioned” attribute but is missing the “secure” attribute.'),
  },
  InvalidDomain: {
    title: 'The Domain attribute does not cover the host that set it',
    fix: 'Use the responding host or one of its parent domains (never a public suffix) in Domain, or leave Domain out.',
    firefox: ff('CookieRejectedInvalidDomain', 'Cookie “%1$S” has been rejected for invalid domain.'),
  },
  InvalidPrefix: {
    title: 'The __Secure- or __Host- prefix’s rules are broken',
    fix: '__Secure- needs Secure over HTTPS; __Host- also needs Path=/ and no Domain.',
    firefox: ff('CookieRejectedInvalidPrefix', 'Cookie “%1$S” has been rejected for invalid prefix.'),
  },
  SyntaxError: {
    title: 'The Set-Cookie line does not parse',
    fix: 'Send name=value followed by ;-separated attributes.',
    firefox: null,
  },
  NoCookieContent: {
    title: 'The Set-Cookie line has neither a name nor a value',
    fix: 'Send name=value.',
    firefox: ff('CookieRejectedEmptyNameAndValue', 'Cookie with an empty name and an empty value has been rejected.'),
  },
  DisallowedCharacter: {
    title: 'The Set-Cookie line holds a control character',
    fix: 'Encode the value (e.g. percent-encoding) so it holds no control characters.',
    firefox: ff('CookieRejectedInvalidCharName', 'Cookie “%1$S” has been rejected for invalid characters in the name.'),
  },
  NameValuePairExceedsMaxSize: {
    title: 'Name and value together are over 4096 bytes',
    fix: 'Keep the cookie under 4096 bytes; store large data on the server.',
    firefox: ff('CookieOversize', 'Cookie “%1$S” is invalid because its size is too big. Max size is 4096 B.'),
  },
  OverwriteSecure: {
    title: 'An insecure response tried to overwrite a Secure cookie',
    fix: 'Set the cookie over HTTPS.',
    firefox: ff('CookieRejectedNonsecureOverSecure', 'Cookie “%1$S” has been rejected because there is an existing “secure” cookie.'),
  },
  UnknownError: {
    title: 'The browser held the cookie and did not send it, for a reason the rules Origin Lens knows do not explain',
    fix: 'Look at the Application / Storage panel of the browser’s DevTools for this cookie.',
    firefox: null,
  },
};
