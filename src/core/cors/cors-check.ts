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
  /** The reason rests on a guess: one Firefox line or two merged ones (see accessCheck). */
  linesGuessed: boolean;
}

/**
 * https://fetch.spec.whatwg.org/#concept-cors-check against `origin` (the request's serialized
 * origin, "null" once tainted), with the reason each failing step gives.
 * Browser differences: Chromium joins several ACAO lines with ", " and calls any value with a
 * space or comma "multiple values", anything else that is not an origin "invalid". Firefox
 * (nsCORSListenerProxy::CheckRequestApproved) refuses more than one ACAO line outright, then
 * compares the whole value: a single line holding a list, or any other value, "does not
 * match". Its webRequest hands repeated lines over joined with ", " (`linesMerged`), so there
 * a value with ", " may have been either: a repeated value, or `*` / `null` beside another,
 * reads as two layers each adding the header; a list of distinct origins as one line.
 */
export function accessCheck(headers: HeaderList, origin: string, include: boolean, browser: Browser, linesMerged: boolean): AccessResult {
  if (browser === 'firefox' && countHeader(headers, 'access-control-allow-origin') > 1) {
    const joined = getHeader(headers, 'access-control-allow-origin') ?? '';
    return result('MultipleAllowOriginValues', joined, joined, false);
  }
  // 1. Let origin be the result of getting ACAO. 2. If origin is null, return failure.
  const acao = getHeader(headers, 'access-control-allow-origin');
  if (acao === null) return result('MissingAllowOriginHeader', null, '', false);
  // 3. Not "include" and origin is `*`: success (with "include", `*` fails step 4).
  if (acao === '*') return result(include ? 'WildcardOriginNotAllowed' : null, include ? '*' : null, acao, true);
  // 4. The request's serialized origin is not origin: failure.
  if (acao !== origin) {
    let reason: AccessCheckReason = 'AllowOriginMismatch';
    let guessed = false;
    if (browser === 'firefox') {
      guessed = linesMerged && acao.includes(', ');
      if (guessed && looksLikeTwoLines(acao)) reason = 'MultipleAllowOriginValues';
    } else if (acao.includes(' ') || acao.includes(',')) reason = 'MultipleAllowOriginValues';
    else if (acao !== 'null' && parseUrl(acao) === null) reason = 'InvalidAllowOriginValue';
    return result(reason, acao, acao, false, guessed);
  }
  // 5. Not "include": success. ACAC is not read on this path (hot), though a credentialed
  // request might fail on it.
  if (!include) return result(null, null, acao, true);
  // 6-8. ACAC must be exactly `true`.
  const acac = getHeader(headers, 'access-control-allow-credentials');
  if (acac !== 'true') return result('InvalidAllowCredentials', acac ?? '', acao, true);
  return result(null, null, acao, true);
}

function result(
  reason: AccessCheckReason | null,
  failedParameter: string | null,
  allowOrigin: string,
  credentialSensitive: boolean,
  linesGuessed = false,
): AccessResult {
  return { reason, failedParameter, allowOrigin, credentialSensitive, linesGuessed };
}

/** A merged value whose parts repeat, or hold `*` / `null` beside an origin: two layers each added one. */
function looksLikeTwoLines(merged: string): boolean {
  const parts = merged.split(', ');
  return parts.some((p) => p === '*' || p === 'null') || new Set(parts).size < parts.length;
}
