// The offline CLI: `origin-lens analyze FILE ...` and `origin-lens fix FILE --stack STACK ...`.
// Exit codes: 0 done; 2 the file is missing, unreadable or not a log we can read;
// 64 usage error (EX_USAGE).
import { ANALYZE_USAGE, runAnalyze } from './analyze';
import { FIX_USAGE, runFix } from './fix';
import { EXIT_INPUT, EXIT_USAGE, InputError, UsageError } from './input';

const USAGE = `Usage: origin-lens analyze FILE [--json] [--browser chromium|firefox]
       origin-lens fix FILE --stack STACK [--origin URL] [--json]

${ANALYZE_USAGE}

${FIX_USAGE}

  -h, --help             show this help

Exit codes: 0 done, 2 file missing or unreadable or not a log we can read, 64 bad usage.`;

const COMMANDS = new Map<string, (args: readonly string[]) => string>([
  ['analyze', runAnalyze],
  ['fix', runFix],
]);

export function main(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...args] = argv;
  try {
    const run = command === undefined ? undefined : COMMANDS.get(command);
    if (run === undefined) throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    process.stdout.write(`${run(args)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`origin-lens: ${e.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      process.stderr.write(`origin-lens: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
