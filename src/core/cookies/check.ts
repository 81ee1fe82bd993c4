// Checking a cookie verdict read from an untrusted file (a session log, a HAR's _originLens):
// an unknown reason code is refused, as for the CORS verdict, so the panel never shows one.
import { isListOf, isObject } from '../guards';
import { isCookieReason } from './reasons';
import { COOKIE_UNKNOWNS } from './verdict';

const isName = (v: unknown): boolean => typeof v === 'string';

/** What is wrong with `v` as a cookie verdict: the field ("" for `v` itself, "withheld[2].reason") and what it must be; null when nothing is. */
export function cookieVerdictProblem(v: unknown): { field: string; what: string } | null {
  const problem = (field: string, what: string) => ({ field, what });
  if (!isObject(v)) return problem('', 'must be an object');
  if (!isListOf(v.sent, (c) => isObject(c) && isName(c.name) && typeof c.partitioned === 'boolean')) return problem('sent', 'must be a list of {name, partitioned}');
  if (!isListOf(v.withheld, (c) => isObject(c) && isName(c.name))) return problem('withheld', 'must be a list of {name, reason}');
  if (!isListOf(v.set, (c) => isObject(c) && isName(c.name) && typeof c.stored === 'boolean')) return problem('set', 'must be a list of {name, stored, reason}');
  const withheld = v.withheld as Array<Record<string, unknown>>;
  for (let i = 0; i < withheld.length; i++) {
    if (!isCookieReason(withheld[i]!.reason)) return problem(`withheld[${i}].reason`, 'must be a cookie reason code of docs/verdicts.md');
  }
  const set = v.set as Array<Record<string, unknown>>;
  for (let i = 0; i < set.length; i++) {
    const reason = set[i]!.reason;
    if (reason !== null && !isCookieReason(reason)) return problem(`set[${i}].reason`, 'must be a cookie reason code of docs/verdicts.md or null');
  }
  if (v.unknown !== undefined && !isListOf(v.unknown, (u) => COOKIE_UNKNOWNS.includes(u as never))) return problem('unknown', `must be a list of ${COOKIE_UNKNOWNS.join(', ')}`);
  return null;
}
