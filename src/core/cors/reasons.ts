// The one definition of the verdict vocabulary (docs: /docs/verdicts.md). Reason names follow
// Chromium's network::mojom::CorsError / CDP Network.CorsError so users can look them up;
// each carries the Firefox console key that reports the same failure.

export const OUTCOMES = ['allowed', 'blocked', 'opaque', 'same-origin', 'navigation', 'pending', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REASON_CODES = [
  'DisallowedByMode',
  'CorsDisabledScheme',
  'InvalidResponse',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'WildcardOriginNotAllowed',
  'InvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightWildcardOriginNotAllowed',
  'PreflightInvalidAllowCredentials',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'NoCorsRedirectModeNotFollow',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'LocalNetworkAccessPermissionDenied',
  'UnknownNoResponseSaved',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface ReasonInfo {
  /** What the browser console says, in plain words. */
  title: string;
  /** Firefox console key (security.properties), null when Firefox has no such check. */
  firefoxKey: string | null;
  /** MDN page for the Firefox key, or the closest MDN guide. */
  mdn: string;
  /** True when the failure is on the preflight (OPTIONS) response. */
  preflight: boolean;
}

const MDN_ERRORS = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/';
const MDN_CORS = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS';
// No MDN page yet for Chromium's local-network-access checks: link the specification.
const MDN_LNA = 'https://wicg.github.io/local-network-access/';

/** MDN's page names drop the version suffix Firefox adds to its keys (CORSMissingAllowOrigin2). */
function mdnFor(key: string | null): string {
  return key === null ? MDN_CORS : MDN_ERRORS + key.replace(/\d+$/, '');
}

function info(title: string, firefoxKey: string | null, preflight = false, mdn = mdnFor(firefoxKey)): ReasonInfo {
  return { title, firefoxKey, mdn, preflight };
}

export const REASONS: Readonly<Record<ReasonCode, ReasonInfo>> = {
  DisallowedByMode: info("The request's mode is 'same-origin' but the URL is on another origin", null),
  CorsDisabledScheme: info('Cross-origin requests are only supported for HTTP(S)', 'CORSRequestNotHttp'),
  InvalidResponse: info('The CORS request did not get a valid HTTP response', 'CORSDidNotSucceed2'),
  MissingAllowOriginHeader: info(
    "No 'Access-Control-Allow-Origin' header is present on the requested resource",
    'CORSMissingAllowOrigin2',
  ),
  MultipleAllowOriginValues: info(
    "The 'Access-Control-Allow-Origin' header contains multiple values, but only one is allowed",
    'CORSMultipleAllowOriginNotAllowed',
  ),
  InvalidAllowOriginValue: info(
    "The 'Access-Control-Allow-Origin' header contains an invalid value",
    'CORSAllowOriginNotMatchingOrigin',
  ),
  AllowOriginMismatch: info(
    "The 'Access-Control-Allow-Origin' header has a value that is not equal to the supplied origin",
    'CORSAllowOriginNotMatchingOrigin',
  ),
  WildcardOriginNotAllowed: info(
    "The 'Access-Control-Allow-Origin' header must not be the wildcard '*' when the request's credentials mode is 'include'",
    'CORSNotSupportingCredentials',
  ),
  InvalidAllowCredentials: info(
    "The 'Access-Control-Allow-Credentials' header must be 'true' when the request's credentials mode is 'include'",
    'CORSMissingAllowCredentials',
  ),
  PreflightInvalidStatus: info(
    'Response to preflight request does not have HTTP ok status',
    'CORSPreflightDidNotSucceed3',
    true,
  ),
  PreflightDisallowedRedirect: info(
    'Redirect is not allowed for a preflight request',
    'CORSExternalRedirectNotAllowed',
    true,
  ),
  PreflightMissingAllowOriginHeader: info(
    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present",
    'CORSMissingAllowOrigin2',
    true,
  ),
  PreflightMultipleAllowOriginValues: info(
    "Response to preflight request doesn't pass access control check: the 'Access-Control-Allow-Origin' header contains multiple values",
    'CORSMultipleAllowOriginNotAllowed',
    true,
  ),
  PreflightInvalidAllowOriginValue: info(
    "Response to preflight request doesn't pass access control check: the 'Access-Control-Allow-Origin' header contains an invalid value",
    'CORSAllowOriginNotMatchingOrigin',
    true,
  ),
  PreflightAllowOriginMismatch: info(
    "Response to preflight request doesn't pass access control check: the 'Access-Control-Allow-Origin' header is not equal to the supplied origin",
    'CORSAllowOriginNotMatchingOrigin',
    true,
  ),
  PreflightWildcardOriginNotAllowed: info(
    "Response to preflight request doesn't pass access control check: the 'Access-Control-Allow-Origin' header must not be '*' when the credentials mode is 'include'",
    'CORSNotSupportingCredentials',
    true,
  ),
  PreflightInvalidAllowCredentials: info(
    "Response to preflight request doesn't pass access control check: 'Access-Control-Allow-Credentials' must be 'true' when the credentials mode is 'include'",
    'CORSMissingAllowCredentials',
    true,
  ),
  InvalidAllowMethodsPreflightResponse: info(
    "Cannot parse the 'Access-Control-Allow-Methods' response header of the preflight",
    'CORSInvalidAllowMethod',
    true,
  ),
  InvalidAllowHeadersPreflightResponse: info(
    "Cannot parse the 'Access-Control-Allow-Headers' response header of the preflight",
    'CORSInvalidAllowHeader',
    true,
  ),
  MethodDisallowedByPreflightResponse: info(
    'Method is not allowed by Access-Control-Allow-Methods in preflight response',
    'CORSMethodNotFound',
    true,
  ),
  HeaderDisallowedByPreflightResponse: info(
    'Request header field is not allowed by Access-Control-Allow-Headers in preflight response',
    'CORSMissingAllowHeaderFromPreflight2',
    true,
  ),
  RedirectContainsCredentials: info('The redirect location contains a username and password', null),
  NoCorsRedirectModeNotFollow: info("A 'no-cors' request must use the redirect mode 'follow'", null),
  InsecureLocalNetwork: info(
    'The request client is not a secure context and the resource is in a more-private address space',
    null,
    false,
    MDN_LNA,
  ),
  InvalidLocalNetworkAccess: info(
    'The request had a target IP address space that does not match the address space of the server',
    null,
    false,
    MDN_LNA,
  ),
  LocalNetworkAccessPermissionDenied: info(
    'Permission was denied for this request to access the local network',
    null,
    false,
    MDN_LNA,
  ),
  // Ours, not a browser's: the browser refused the request, and the log kept neither its
  // response nor the headers it sent (Chrome HARs with provisional headers).
  UnknownNoResponseSaved: info('The browser refused the request; the log saved no response, so which check failed is unknown', null),
};

const PREFLIGHT_VARIANT = {
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
} as const satisfies Record<string, ReasonCode>;

/** The reasons the CORS check (ACAO/ACAC) can give; each has a Preflight* twin. */
export type AccessCheckReason = keyof typeof PREFLIGHT_VARIANT;

export function preflightVariant(reason: AccessCheckReason): ReasonCode {
  return PREFLIGHT_VARIANT[reason];
}

const PREFLIGHT_BASE = new Map<ReasonCode, AccessCheckReason>(
  Object.entries(PREFLIGHT_VARIANT).map(([base, variant]) => [variant, base as AccessCheckReason]),
);

/** The CORS-check reason a Preflight* reason is the twin of, or null. */
export function preflightBase(reason: ReasonCode): AccessCheckReason | null {
  return PREFLIGHT_BASE.get(reason) ?? null;
}

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REASONS, value);
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}
