// Fetch's CORS check (Access-Control-Allow-Origin / -Credentials), as Chromium and Firefox
// implement it: run on the preflight, on each redirect and on the final response of a
// cross-origin CORS request.
import type { HeaderList } from '../net/headers';
import { countHeader, getHeader } from '../net/headers';
import { parseUrl } from '../net/origin';
import type { AccessCheckReason } from './reasons';
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
 * https://fetch.spec.whatwg.org/#concept-cors-check against `origin` (the request's serialized
 * origin, "null" once tainted), with the reason each failing step gives.
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
  // 1. Let origin be the result of getting ACAO. 2. If origin is null, return failure.
  const acao = getHeader(headers, 'access-control-allow-origin');
  if (acao === null) {
    return { reason: 'MissingAllowOriginHeader', failedParameter: null, allowOrigin: '', credentialSensitive: false };
  }
  // 3. Not "include" and origin is `*`: success (with "include", `*` fails step 4).
  if (acao === '*') {
    if (include) return { reason: 'WildcardOriginNotAllowed', failedParameter: '*', allowOrigin: acao, credentialSensitive: true };
    return { reason: null, failedParameter: null, allowOrigin: acao, credentialSensitive: true };
  }
  // 4. The request's serialized origin is not origin: failure.
  if (acao !== origin) {
    let reason: AccessCheckReason = 'AllowOriginMismatch';
    if (browser === 'chromium' && (acao.includes(' ') || acao.includes(','))) reason = 'MultipleAllowOriginValues';
    else if (acao !== 'null' && parseUrl(acao) === null) reason = 'InvalidAllowOriginValue';
    return { reason, failedParameter: acao, allowOrigin: acao, credentialSensitive: false };
  }
  // 5. Not "include": success. ACAC is not read on this path (hot), though a credentialed
  // request might fail on it.
  if (!include) {
    return { reason: null, failedParameter: null, allowOrigin: acao, credentialSensitive: true };
  }
  // 6-8. ACAC must be exactly `true`.
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
