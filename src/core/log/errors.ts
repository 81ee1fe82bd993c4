/** A file that is not the log format it was read as (HAR, session log), with a message for people. */
export class LogFormatError extends Error {
  override readonly name = 'LogFormatError';
}

/** JSON.parse for log files: a LogFormatError that says what is wrong instead of a SyntaxError. */
export function parseLogJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LogFormatError(`The file is not JSON (${(e as Error).message}).`);
  }
}
