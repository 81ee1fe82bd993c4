// Chromium's own words for a blocked CORS request: its console line, as Blink writes it
// (third_party/blink/renderer/platform/loader/cors/cors_error_string.cc), keyed by the
// network::mojom::CorsError name our reason codes carry.
import type { ReasonCode } from '../cors/reasons';
import { preflightBase, REASONS } from '../cors/reasons';
import type { ConsoleWords } from './words';

const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";

/** Each reason's sentence; `p` is the failing value (the header value, method or header name). */
const SENTENCES: Partial<Record<ReasonCode, (p: string) => string>> = {
  DisallowedByMode: () => 'Cross origin requests are not allowed by request mode.',
  InvalidResponse: () => 'The response is invalid.',
  WildcardOriginNotAllowed: () =>
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
  MissingAllowOriginHeader: () => "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  MultipleAllowOriginValues: (p) => `The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.`,
  InvalidAllowOriginValue: (p) => `The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.`,
  AllowOriginMismatch: (p) => `The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.`,
  InvalidAllowCredentials: (p) =>
    `The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.`,
  CorsDisabledScheme: () => 'Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, chrome-untrusted, data, http, https, isolated-app.',
  PreflightInvalidStatus: () => 'It does not have HTTP ok status.',
  PreflightDisallowedRedirect: () => 'Redirect is not allowed for a preflight request.',
  InvalidAllowMethodsPreflightResponse: () => 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
  InvalidAllowHeadersPreflightResponse: () => 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
  MethodDisallowedByPreflightResponse: (p) => `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`,
  HeaderDisallowedByPreflightResponse: (p) => `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`,
  RedirectContainsCredentials: (p) => `Redirect location '${p}' contains a username and password, which is disallowed for cross-origin requests.`,
};

/** Chromium prefixes the preflight's own failures, and the Preflight* twins of the CORS check. */
function sentence(reason: ReasonCode, parameter: string | null): string {
  const words = SENTENCES[preflightBase(reason) ?? reason];
  if (words === undefined) return REASONS[reason].title;
  return `${reason.startsWith('Preflight') ? PREFLIGHT : ''}${words(parameter ?? '')}`;
}

export const chromiumWords: ConsoleWords = {
  browser: 'chromium',
  key: (reason) => reason,
  reason: sentence,
  consoleLine(reason, parameter, url, origin) {
    if (SENTENCES[preflightBase(reason) ?? reason] === undefined) return null;
    return `Access to fetch at '${url}' from origin '${origin ?? 'null'}' has been blocked by CORS policy: ${sentence(reason, parameter)}`;
  },
};
