// The offline analyzer's model: HAR requests -> one verdict row each, plus the findings. Pure;
// the CLI only prints it. Facts a HAR cannot hold (the credentials mode without a Cookie
// header, a preflight Firefox did not save) stay "unknown" in the verdicts.
import type { Finding } from './findings';
import { computeFindings } from './findings';
import type { HarReadResult } from './har';
import type { Outcome } from './reasons';
import { OUTCOMES } from './reasons';
import type { Browser, Verdict } from './verdict';
import { computeVerdict } from './verdict';

export interface VerdictRow {
  id: string;
  method: string;
  url: string;
  /** Final HTTP status; null when no response was recorded. */
  status: number | null;
  type: string;
  startedDateTime: string | null;
  verdict: Verdict;
}

export interface Analysis {
  browser: Browser;
  browserGuessed: boolean;
  creator: { name: string; version: string };
  rows: VerdictRow[];
  findings: Finding[];
  /** Requests per outcome. */
  summary: Record<Outcome, number>;
  warnings: string[];
}

export function analyzeHar(har: HarReadResult): Analysis {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const rows: VerdictRow[] = [];
  const observed = [];
  for (const e of har.entries) {
    const verdict = computeVerdict(e.obs);
    summary[verdict.outcome]++;
    rows.push({
      id: e.id,
      method: e.obs.method,
      url: e.obs.url,
      status: e.obs.response?.status ?? null,
      type: e.obs.type,
      startedDateTime: e.startedDateTime,
      verdict,
    });
    observed.push({ id: e.id, obs: e.obs, verdict });
  }
  return {
    browser: har.browser,
    browserGuessed: har.browserGuessed,
    creator: har.creator,
    rows,
    findings: computeFindings(observed),
    summary,
    warnings: har.warnings,
  };
}
