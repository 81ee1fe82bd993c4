// The two header checks of the CORS protocol, as Chromium and Firefox implement them: the
// "CORS check" (Access-Control-Allow-Origin / -Credentials) run on every cross-origin
// response, preflight and redirect; and the preflight's method and header checks.
import type { HeaderList } from '../net/headers';
import { countHeader, getHeader, parseNameList, parseTokenList } from '../net/headers';
import { parseUrl } from '../net/origin';
import type { AccessCheckReason, ReasonCode } from './reasons';
import type { Browser } from '../browser';

export interface AccessResult {
  reason: AccessCheckReason | null;
  /** The offending value (ACAO / ACAC as sent), or null. */
  failedParameter: string | null;
  /** The ACAO value seen ('' when absent). */
  allowOrigin: string;
  /** True when the outcome would differ for a credentialed request. */
  credentialSensitive: boolean;
}

/**
 * Fetch's CORS check against `origin` (the request's serialized origin, "null" once tainted).
 * Browser differences: Chromium joins several ACAO lines with ", " and calls any value with a
 * space or comma "multiple values"; Firefox rejects more than one ACAO line outright, and
 * treats a single line holding a list as a plain mismatch. Firefox's webRequest hands
 * duplicate lines over merged with ", " (seen in the lab), so for Firefox that form counts
 * as several lines too.
 */
export function accessCheck(headers: HeaderList, origin: string, include: boolean, browser: Browser): AccessResult {
  if (browser === 'firefox' && (countHeader(headers, 'access-control-allow-origin') > 1 || mergedLines(headers))) {
    const joined = getHeader(headers, 'access-control-allow-origin') ?? '';
    return { reason: 'MultipleAllowOriginValues', failedParameter: joined, allowOrigin: joined, credentialSensitive: false };
  }
  const acao = getHeader(headers, 'access-control-allow-origin');
  if (acao === null) {
    return { reason: 'MissingAllowOriginHeader', failedParameter: null, allowOrigin: '', credentialSensitive: false };
  }
  if (acao === '*') {
    if (include) return { reason: 'WildcardOriginNotAllowed', failedParameter: '*', allowOrigin: acao, credentialSensitive: true };
    return { reason: null, failedParameter: null, allowOrigin: acao, credentialSensitive: true };
  }
  if (acao !== origin) {
    let reason: AccessCheckReason = 'AllowOriginMismatch';
    if (browser === 'chromium' && (acao.includes(' ') || acao.includes(','))) reason = 'MultipleAllowOriginValues';
    else if (acao !== 'null' && parseUrl(acao) === null) reason = 'InvalidAllowOriginValue';
    return { reason, failedParameter: acao, allowOrigin: acao, credentialSensitive: false };
  }
  if (!include) {
    // ACAC is not read on this path (hot): a credentialed request might fail on it.
    return { reason: null, failedParameter: null, allowOrigin: acao, credentialSensitive: true };
  }
  const acac = getHeader(headers, 'access-control-allow-credentials');
  if (acac !== 'true') {
    return { reason: 'InvalidAllowCredentials', failedParameter: acac ?? '', allowOrigin: acao, credentialSensitive: true };
  }
  return { reason: null, failedParameter: null, allowOrigin: acao, credentialSensitive: true };
}

function mergedLines(headers: HeaderList): boolean {
  const v = getHeader(headers, 'access-control-allow-origin');
  return v !== null && v.includes(', ');
}

export interface PreflightRuleResult {
  reason: ReasonCode | null;
  failedParameter: string | null;
  /** Authorization passed only because of `Access-Control-Allow-Headers: *`. */
  authorizationByWildcard: boolean;
  credentialSensitive: boolean;
  /** Parsed allow lists, for fixes. */
  allowMethods: string[];
  allowHeaders: string[];
}

function methodAllowed(method: string, allowed: readonly string[], include: boolean, browser: Browser): boolean {
  // Chromium upper-cases the method and compares case-sensitively; Firefox compares as sent.
  const m = browser === 'chromium' ? method.toUpperCase() : method;
  if (m === 'GET' || m === 'HEAD' || m === 'POST') return true;
  return allowed.includes(m) || (!include && allowed.includes('*'));
}

/**
 * The preflight's method and header checks (after the CORS check and the status check).
 * Order differs: Chromium parses both lists before checking either; Firefox parses and checks
 * the methods, then the headers. `Access-Control-Allow-Headers: *` covering Authorization is
 * allowed by both today, with a deprecation warning.
 */
export function preflightRules(
  headers: HeaderList,
  method: string,
  unsafeHeaders: readonly string[],
  include: boolean,
  browser: Browser,
): PreflightRuleResult {
  const acam = parseTokenList(getHeader(headers, 'access-control-allow-methods'));
  const acahRaw = getHeader(headers, 'access-control-allow-headers');
  const acah = parseTokenList(acahRaw);
  const allowHeaders = acah.tokens.map((t) => t.toLowerCase());
  const result = (reason: ReasonCode | null, failedParameter: string | null, auth = false): PreflightRuleResult => ({
    reason,
    failedParameter,
    authorizationByWildcard: auth,
    credentialSensitive: acam.tokens.includes('*') || allowHeaders.includes('*'),
    allowMethods: acam.tokens,
    allowHeaders,
  });
  if (acam.invalid !== null) return result('InvalidAllowMethodsPreflightResponse', acam.invalid);
  if (browser === 'chromium' && acah.invalid !== null) return result('InvalidAllowHeadersPreflightResponse', acah.invalid);
  if (!methodAllowed(method, acam.tokens, include, browser)) return result('MethodDisallowedByPreflightResponse', method);
  if (acah.invalid !== null) return result('InvalidAllowHeadersPreflightResponse', acah.invalid);
  const wildcard = !include && allowHeaders.includes('*');
  let auth = false;
  for (const name of unsafeHeaders) {
    const n = name.toLowerCase();
    if (allowHeaders.includes(n)) continue;
    if (!wildcard) return result('HeaderDisallowedByPreflightResponse', n);
    if (n === 'authorization') auth = true;
  }
  return result(null, null, auth);
}

/** Unsafe header names as the browser announced them in the preflight (Access-Control-Request-Headers). */
export function requestedHeaders(preflightRequestHeaders: HeaderList): string[] | null {
  const v = getHeader(preflightRequestHeaders, 'access-control-request-headers');
  return v === null ? null : parseNameList(v);
}
