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

/** Firefox's console key for the reason, where Firefox logs one. */
export const FIREFOX_COOKIE_KEYS: Partial<Record<CookieReason, string>> = {
  SameSiteStrict: 'CookieRejectedForNonSameSiteness',
  SameSiteLax: 'CookieRejectedForNonSameSiteness',
  SameSiteNoneInsecure: 'CookieRejectedNonRequiresSecure2',
  PartitionedNotSecure: 'CookieRejectedPartitionedRequiresSecure',
  SecureOnly: 'CookieRejectedSecureButNonHttps',
  InvalidDomain: 'CookieRejectedInvalidDomain',
  InvalidPrefix: 'CookieRejectedInvalidPrefix',
  DisallowedCharacter: 'CookieRejectedInvalidCharName',
  NoCookieContent: 'CookieRejectedEmptyNameAndValue',
  NameValuePairExceedsMaxSize: 'CookieOversize',
  OverwriteSecure: 'CookieRejectedNonsecureOverSecure',
  UserPreferences: 'CookieRejectedThirdParty',
  OtherPartition: 'CookiePartitionedForeign2',
};
