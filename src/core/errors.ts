/** A file that is not the log format it was read as (HAR, session log), with a message for people. */
export class LogFormatError extends Error {
  override readonly name = 'LogFormatError';
}
