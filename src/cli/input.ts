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

/** The value of option `name` at `args[i]` (`--name VALUE` or `--name=VALUE`), or null when `args[i]` is another argument; `next` is the index after it. */
export function optionAt(args: readonly string[], i: number, name: string): { value: string; next: number } | null {
  const a = args[i] as string;
  if (a.startsWith(`${name}=`)) return { value: a.slice(name.length + 1), next: i + 1 };
  if (a !== name) return null;
  const value = args[i + 1];
  if (value === undefined) throw new UsageError(`${name} takes a value`);
  return { value, next: i + 2 };
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
