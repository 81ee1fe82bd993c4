// `origin-lens analyze FILE [--json] [--browser chromium|firefox]`: the verdict table, the
// findings and what the preflights cost.
import type { Browser } from '../core/browser';
import { analyze, type Analysis } from '../core/log/analyze';
import { maxAgeAdvice, type PreflightCost } from '../core/session/preflight-cost';
import { loadLog, parseArgs, UsageError } from './input';

export const ANALYZE_USAGE = `origin-lens analyze FILE [--json] [--browser chromium|firefox]

Reads a HAR file (saved by Chrome's or Firefox's DevTools, or by Origin Lens) or an Origin
Lens session log, and prints a CORS verdict for each request (outcome, reason, the failing
hop, the fix), the security findings, and what the preflights cost per server and per page.

  --json                 print the analysis as JSON (machine-readable)
  --browser ENGINE       judge by chromium or firefox rules, in that browser's words (default:
                         the file's browser, else guessed); a session log recorded in the
                         other browser is judged again`;

interface Options {
  file: string;
  json: boolean;
  browser?: Browser;
}

function parse(args: readonly string[]): Options {
  const { file, flags, values } = parseArgs(args, { flags: ['--json'], options: ['--browser'] });
  const browser = values.get('--browser');
  if (browser !== undefined && browser !== 'chromium' && browser !== 'firefox') throw new UsageError('--browser takes chromium or firefox');
  return { file, json: flags.has('--json'), browser };
}

function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

function costLines(title: string, costs: PreflightCost[]): string[] {
  if (costs.length === 0) return [];
  return [
    `  ${title}:`,
    ...costs.flatMap((c) => [
      `    ${c.key}: ${c.preflights} preflight${c.preflights === 1 ? '' : 's'}, ${Math.round(c.totalMs)} ms in all, slowest ${Math.round(c.slowestMs)} ms${c.timed < c.preflights ? ` (${c.timed} timed)` : ''}`,
      `      ${maxAgeAdvice(c)}`,
    ]),
  ];
}

function formatText(a: Analysis): string {
  const lines: string[] = [];
  const source = a.kind === 'har' ? 'HAR' : 'session log';
  const rules = a.rejudgedFrom !== null ? ` (re-judged: recorded in ${a.rejudgedFrom})` : a.browserGuessed ? ` (guessed from "${a.creator.name || 'unknown'}")` : '';
  lines.push(`Origin Lens — ${source}, ${a.rows.length} requests, ${a.browser} rules${rules}`);
  lines.push('');
  lines.push(`${pad('METHOD', 7)} ${pad('STATUS', 6)} ${pad('OUTCOME', 11)} ${pad('REASON', 36)} URL`);
  for (const r of a.rows) {
    const v = r.verdict;
    lines.push(
      `${pad(truncate(r.method, 7), 7)} ${pad(r.status === null ? '-' : String(r.status), 6)} ${pad(v.outcome, 11)} ${pad(v.reason ?? '-', 36)} ${truncate(r.url, 80)}`,
    );
    if (v.outcome === 'blocked' || v.outcome === 'failed') {
      // The reason as the judging browser's console says it, under that browser's name for it.
      if (r.said !== null) lines.push(`        ${a.browser === 'firefox' ? (r.said.firefoxKey ?? r.said.code) : r.said.code}: ${r.said.text} (${r.said.mdn})`);
      if (v.diagnosis) lines.push(`        ${v.diagnosis}`);
      for (const f of v.fix) lines.push(`        fix: ${f}`);
    }
  }
  lines.push('');
  const counts = Object.entries(a.summary).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`);
  lines.push(`Summary: ${counts.join(', ') || 'no requests'}`);
  lines.push('');
  if (a.findings.length === 0) lines.push('Findings: none');
  else {
    lines.push(`Findings (${a.findings.length}):`);
    for (const f of a.findings) {
      lines.push(`  [${f.severity}] ${f.title} — ${f.subject} (confidence: ${f.confidence})`);
      lines.push(`      ${f.explanation}`);
      lines.push(`      evidence: ${f.evidence.join(', ')}`);
    }
  }
  lines.push('');
  const { servers, pages } = a.preflightCost;
  if (servers.length === 0) lines.push('Preflights: none');
  else lines.push('Preflights:', ...costLines('per server', servers), ...costLines('per page', pages));
  if (a.warnings.length > 0) {
    lines.push('');
    lines.push('Notes on the file:');
    for (const w of a.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}

/** Runs the command; returns what to print. */
export function runAnalyze(args: readonly string[]): string {
  const options = parse(args);
  const log = loadLog(options.file, options.browser);
  const analysis = analyze(log, options.browser ?? log.browser);
  return options.json ? JSON.stringify(analysis, null, 2) : formatText(analysis);
}
