// Chromium's own words for a blocked request: its console line, as Blink writes it (CORS:
// third_party/blink/renderer/platform/loader/cors/cors_error_string.cc), keyed by the
// network::mojom::CorsError name our reason codes carry; the blocks beyond CORS as Chromium 156
// logged them in the lab (test/e2e/blocks.test.ts compares).
import type { ReasonCode } from '../cors/reasons';
import { preflightBase, REASONS } from '../cors/reasons';
import type { ConsoleWords, LoadFacts } from './words';

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
  // The failing value is the target's address space (loopback, local).
  LocalNetworkAccessPermissionDenied: (p) => `Permission was denied for this request to access the \`${p}\` address space.`,
};

/** A CORP refusal: the network error Chromium logs ("Failed to load resource: …"), which names no URL. */
const CORP_ERRORS: Partial<Record<ReasonCode, string>> = {
  CorpNotSameOrigin: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
  CorpNotSameSite: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameSite',
  CorpNotSameOriginAfterDefaultedToSameOriginByCoep: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep',
};

// What a mixed-content line calls the load (Blink's names for request contexts), by webRequest type.
const MIXED_KINDS: Readonly<Record<string, string>> = { script: 'script', stylesheet: 'stylesheet', sub_frame: 'frame', image: 'image' };

function mixedContent(url: string, load: LoadFacts | undefined): string {
  const kind = load?.api === 'xhr' ? 'XMLHttpRequest endpoint' : (MIXED_KINDS[load?.type ?? ''] ?? 'resource');
  return `requested an insecure ${kind} '${url}'. This request has been blocked; the content must be served over HTTPS.`;
}

/** Chromium prefixes the preflight's own failures, and the Preflight* twins of the CORS check. */
function sentence(reason: ReasonCode, parameter: string | null, load?: LoadFacts): string {
  const corp = CORP_ERRORS[reason];
  if (corp !== undefined) return corp;
  if (reason === 'MixedContentBlocked' && parameter !== null) return mixedContent(parameter, load);
  const words = SENTENCES[preflightBase(reason) ?? reason];
  if (words === undefined) return REASONS[reason].title;
  return `${reason.startsWith('Preflight') ? PREFLIGHT : ''}${words(parameter ?? '')}`;
}

export const chromiumWords: ConsoleWords = {
  browser: 'chromium',
  key: (reason) => reason,
  reason: sentence,
  consoleLine(reason, parameter, url, origin, _status, load) {
    const corp = CORP_ERRORS[reason];
    if (corp !== undefined) return `Failed to load resource: ${corp}`;
    if (reason === 'MixedContentBlocked') {
      const page = load?.pageUrl ?? null;
      return page === null ? null : `Mixed Content: The page at '${page}' was loaded over HTTPS, but ${mixedContent(parameter ?? url, load)}`;
    }
    // COEP's refused frame and ORB: Chromium 156 logs nothing in the console (DevTools' Issues and Network panels show them).
    if (SENTENCES[preflightBase(reason) ?? reason] === undefined) return null;
    return `Access to fetch at '${url}' from origin '${origin ?? 'null'}' has been blocked by CORS policy: ${sentence(reason, parameter)}`;
  },
};
