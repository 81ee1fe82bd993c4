// The offline analyzer's model: a log file's requests -> one verdict row each, plus the
// findings. Pure; the CLI only prints it. Facts a file cannot hold (the credentials mode
// without a Cookie header, a preflight Firefox did not save) stay "unknown" in the verdicts.
import type { Finding } from '../cors/findings';
import { judgeLog } from './judge-log';
import { judge } from '../session/judge';
import { pairedPreflight } from '../session/record';
import { sessionFindings } from '../session/findings';
import type { LoadedLog } from './log-file';
import type { Outcome } from '../cors/reasons';
import { OUTCOMES } from '../cors/reasons';
import type { Browser } from '../browser';
import type { Verdict } from '../cors/verdict';
import { reasonWords, type ReasonWords } from '../words/words';

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
  warnings: string[];
}

/**
 * Verdicts for every request of the log (preflights are shown with their request). The log's
 * own verdicts stand when they follow `browser`'s rules; otherwise every request is judged
 * again by those rules (the records' verdicts are replaced).
 */
export function analyze(log: LoadedLog, browser: Browser = log.browser): Analysis {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  if (browser !== log.browser) judgeLog(log.records, browser, log.recordedBy);
  const byId = new Map(log.records.map((r) => [r.id, r]));
  const rows: VerdictRow[] = [];
  for (const r of log.records) {
    if (r.isPreflight) continue;
    const verdict = r.verdict ?? judge(r, pairedPreflight(r, byId), browser, undefined, log.recordedBy);
    summary[verdict.outcome]++;
    rows.push({
      id: r.id,
      method: r.method,
      url: r.url,
      status: r.status,
      type: r.type,
      startedDateTime: Number.isFinite(r.startTime) ? new Date(r.startTime).toISOString() : null,
      verdict,
      said: reasonWords(verdict, browser),
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
    warnings: log.warnings,
  };
}
