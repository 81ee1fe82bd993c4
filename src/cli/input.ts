// What every command shares: exit codes, usage errors, option values, reading the log file.
import { readFileSync } from 'node:fs';
import type { Browser } from '../core/browser';
import { LogFormatError } from '../core/log/errors';
import { readLogFile, type LoadedLog } from '../core/log/log-file';

export const EXIT_INPUT = 2;
export const EXIT_USAGE = 64;

/** Bad usage: exit 64 with the message and the usage text. */
export class UsageError extends Error {}

/** A file that cannot be read as a log: exit 2 with the message. */
export class InputError extends Error {}

export interface Args {
  file: string;
  /** The flags given (e.g. --json). */
  flags: Set<string>;
  /** The options given with their values (`--name VALUE` or `--name=VALUE`). */
  values: Map<string, string>;
}

/** FILE, flags and option values of a command; throws UsageError for anything it does not know. */
export function parseArgs(args: readonly string[], known: { flags: string[]; options: string[] }): Args {
  const out: Omit<Args, 'file'> & { file?: string } = { flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (known.options.includes(name)) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} takes a value`);
      out.values.set(name, value);
    } else if (known.flags.includes(a)) out.flags.add(a);
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else if (out.file === undefined) out.file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (out.file === undefined) throw new UsageError('no FILE given');
  return { ...out, file: out.file };
}

/** Reads FILE as a session log or HAR; throws InputError with a readable message. */
export function loadLog(file: string, browser?: Browser): LoadedLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`);
  }
  try {
    return readLogFile(text, browser);
  } catch (e) {
    if (e instanceof LogFormatError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}
