// The offline analyzer's model: a log file's requests -> one verdict row each, plus the
// findings. Pure; the CLI only prints it. Facts a file cannot hold (the credentials mode
// without a Cookie header, a preflight Firefox did not save) stay "unknown" in the verdicts.
import type { Finding } from '../cors/findings';
import { judge } from '../session/judge';
import { sessionFindings } from '../session/findings';
import { pairedPreflight } from '../session/record';
import type { LoadedLog } from './log-file';
import type { Outcome } from '../cors/reasons';
import { OUTCOMES } from '../cors/reasons';
import type { Browser } from '../browser';
import type { Verdict } from '../cors/verdict';

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
  kind: LoadedLog['kind'];
  browser: Browser;
  browserGuessed: boolean;
  creator: { name: string; version: string };
  rows: VerdictRow[];
  findings: Finding[];
  /** Requests per outcome. */
  summary: Record<Outcome, number>;
  warnings: string[];
}

/**
 * Verdicts for every request of the log (preflights are shown with their request). A session
 * log's own verdicts stand unless the browser rules asked for differ from its browser's.
 */
export function analyze(log: LoadedLog, browser: Browser = log.browser): Analysis {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const byId = new Map(log.records.map((r) => [r.id, r]));
  const rows: VerdictRow[] = [];
  for (const r of log.records) {
    if (r.isPreflight) continue;
    const verdict = r.verdict !== null && browser === log.browser ? r.verdict : judge(r, pairedPreflight(r, byId), browser);
    summary[verdict.outcome]++;
    rows.push({
      id: r.id,
      method: r.method,
      url: r.url,
      status: r.status,
      type: r.type,
      startedDateTime: Number.isFinite(r.startTime) ? new Date(r.startTime).toISOString() : null,
      verdict,
    });
  }
  return {
    kind: log.kind,
    browser,
    browserGuessed: log.browserGuessed && browser === log.browser,
    creator: log.creator,
    rows,
    findings: sessionFindings(log.records, log.messages, browser),
    summary,
    warnings: log.warnings,
  };
}
