// The offline analyzer: `origin-lens analyze FILE [--json] [--browser chromium|firefox]`.
// Exit codes: 0 done; 2 the file is missing, unreadable or not a log we can read;
// 64 usage error (EX_USAGE).
import { readFileSync } from 'node:fs';
import { analyze, type Analysis } from '../core/log/analyze';
import { LogFormatError } from '../core/log/errors';
import { readLogFile } from '../core/log/log-file';
import type { Browser } from '../core/browser';

const USAGE = `Usage: origin-lens analyze FILE [--json] [--browser chromium|firefox]

Reads a HAR file (saved by Chrome's or Firefox's DevTools, or by Origin Lens) or an Origin
Lens session log, and prints a CORS verdict for each request (outcome, reason, the failing
hop, the fix) and the security findings.

  --json                 print the analysis as JSON (machine-readable)
  --browser ENGINE       judge by chromium or firefox rules, in that browser's words (default:
                         the file's browser, else guessed); a session log recorded in the
                         other browser is judged again
  -h, --help             show this help

Exit codes: 0 done, 2 file missing or unreadable or not a log we can read, 64 bad usage.`;

const EXIT_INPUT = 2;
const EXIT_USAGE = 64;

class UsageError extends Error {}

interface Options {
  file: string;
  json: boolean;
  browser?: Browser;
}

function parseArgs(argv: string[]): Options | 'help' {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'analyze') throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  let file: string | undefined;
  let json = false;
  let browser: Browser | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--json') json = true;
    else if (a === '--browser' || a.startsWith('--browser=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (value !== 'chromium' && value !== 'firefox') throw new UsageError('--browser takes chromium or firefox');
      browser = value;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (file === undefined) throw new UsageError('no FILE given');
  return { file, json, browser };
}

function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
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
  if (a.warnings.length > 0) {
    lines.push('');
    lines.push('Notes on the file:');
    for (const w of a.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}

export function main(argv: string[]): number {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`origin-lens: ${e.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    process.stderr.write(`origin-lens: cannot read ${options.file}: ${why}\n`);
    return EXIT_INPUT;
  }
  let analysis: Analysis;
  try {
    const log = readLogFile(text, options.browser);
    analysis = analyze(log, options.browser ?? log.browser);
  } catch (e) {
    if (!(e instanceof LogFormatError)) throw e;
    process.stderr.write(`origin-lens: ${options.file}: ${e.message}\n`);
    return EXIT_INPUT;
  }
  process.stdout.write(options.json ? `${JSON.stringify(analysis, null, 2)}\n` : `${formatText(analysis)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
