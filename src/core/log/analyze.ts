// The offline analyzer's model: a log file's requests -> one verdict row each, plus the
// findings. Pure; the CLI only prints it. Facts a file cannot hold (the credentials mode
// without a Cookie header, a preflight Firefox did not save) stay "unknown" in the verdicts.
import type { Finding } from '../cors/findings';
import { judgeLog } from './judge-log';
import { judge } from '../session/judge';
import { sessionFindings } from '../session/findings';
import { preflightCosts, type PreflightCosts } from '../session/preflight-cost';
import { pairedPreflight, type RequestRecord } from '../session/record';
import type { LoadedLog } from './log-file';
import type { Outcome } from '../cors/reasons';
import { OUTCOMES } from '../cors/reasons';
import type { Browser } from '../browser';
import type { Verdict } from '../cors/verdict';
import { loadFacts, reasonWords, type ReasonWords } from '../words/words';

export interface VerdictRow {
  id: string;
  method: string;
  url: string;
  /** Final HTTP status; null when no response was recorded. */
  status: number | null;
  type: string;
  startedDateTime: string | null;
  verdict: Verdict;
  /** The reason as the judging browser's console words it (null when not blocked). */
  said: ReasonWords | null;
}

export interface Analysis {
  kind: LoadedLog['kind'];
  browser: Browser;
  browserGuessed: boolean;
  /** The browser that recorded the file, when its verdicts were re-judged by another's rules; else null. */
  rejudgedFrom: Browser | null;
  creator: { name: string; version: string };
  rows: VerdictRow[];
  findings: Finding[];
  /** Requests per outcome. */
  summary: Record<Outcome, number>;
  /** What the preflights cost, per page and per server origin. */
  preflightCost: PreflightCosts;
  warnings: string[];
}

/**
 * The log's records, each request with its verdict under `browser`'s rules. The log's own
 * verdicts stand when they follow those rules; otherwise every request is judged again, in
 * order (the records' verdicts are replaced, so the findings follow them too).
 */
export function judgedRecords(log: LoadedLog, browser: Browser = log.browser): RequestRecord[] {
  if (browser !== log.browser) {
    judgeLog(log.records, browser, log.recordedBy);
    return log.records;
  }
  const byId = new Map(log.records.map((r) => [r.id, r]));
  for (const r of log.records) if (!r.isPreflight && r.verdict === null) judge(r, pairedPreflight(r, byId), browser, undefined, log.recordedBy);
  return log.records;
}

/** Verdicts for every request of the log (preflights are shown with their request). */
export function analyze(log: LoadedLog, browser: Browser = log.browser): Analysis {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const rows: VerdictRow[] = [];
  for (const r of judgedRecords(log, browser)) {
    if (r.isPreflight) continue;
    const verdict = r.verdict!;
    summary[verdict.outcome]++;
    rows.push({
      id: r.id,
      method: r.method,
      url: r.url,
      status: r.status,
      type: r.type,
      startedDateTime: Number.isFinite(r.startTime) ? new Date(r.startTime).toISOString() : null,
      verdict,
      said: reasonWords(verdict, browser, loadFacts(r)),
    });
  }
  return {
    kind: log.kind,
    browser,
    browserGuessed: log.browserGuessed && browser === log.browser,
    rejudgedFrom: browser === log.browser ? null : log.browser,
    creator: log.creator,
    rows,
    findings: sessionFindings(log.records, log.messages, browser),
    summary,
    preflightCost: preflightCosts(log.records),
    warnings: log.warnings,
  };
}
