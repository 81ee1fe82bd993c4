// What the checks beyond CORS (CORP, COEP, ORB, mixed content, COOP) share: the facts they
// read of the document that made a request, and the shape of what each check found.
import type { ReasonCode } from '../cors/reasons';
import type { StepCode, StepParams } from '../cors/verdict';
import { asObject, isString } from '../guards';

/**
 * The document a request came from (for a frame: the document that embeds it; for a popup:
 * its opener), as the session saw it load: its URL, the isolation policies its response sent
 * and the address it was served from.
 */
export interface DocumentInfo {
  url: string;
  /** Cross-Origin-Embedder-Policy value (parameters dropped), null when absent or invalid. */
  coep: string | null;
  /** Cross-Origin-Opener-Policy value (parameters dropped), null when absent or invalid. */
  coop: string | null;
  /** The IP address the document came from, when the browser said. */
  remoteAddress: string | null;
}

/** A document as a log file holds it (untrusted): its fields checked, null when it is no object. */
export function readDocument(value: unknown): DocumentInfo | null {
  const o = asObject(value);
  if (o === null || !isString(o.url)) return null;
  const text = (v: unknown) => (isString(v) ? v : null);
  return { url: o.url, coep: text(o.coep), coop: text(o.coop), remoteAddress: text(o.remoteAddress) };
}

export type BlockCheckName = 'corp' | 'coep' | 'orb' | 'mixed-content' | 'coop';

/** One check's finding: passed (a step to show), or a refusal with its reason, failing value, fix and root cause. */
export interface BlockCheck {
  check: BlockCheckName;
  passed: boolean;
  /** The step's code and facts (src/core/words/steps.ts words them). */
  code: StepCode;
  params: StepParams;
  reason: ReasonCode | null;
  parameter: string | null;
  fix: string[];
  diagnosis: string | null;
}

export function passed(check: BlockCheckName, code: StepCode, params: StepParams = {}): BlockCheck {
  return { check, passed: true, code, params, reason: null, parameter: null, fix: [], diagnosis: null };
}

export function refused(
  check: BlockCheckName,
  reason: ReasonCode,
  code: StepCode,
  params: StepParams,
  parameter: string | null,
  fix: string[],
  diagnosis: string,
): BlockCheck {
  return { check, passed: false, code, params, reason, parameter, fix, diagnosis };
}

/** A structured header's bare token (`require-corp; report-to="x"` gives `require-corp`), lowercased. */
export function policyToken(value: string | null): string | null {
  if (value === null) return null;
  const token = value.split(';')[0]!.trim().toLowerCase();
  return token === '' ? null : token;
}
