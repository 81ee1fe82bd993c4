import { parseLogJson } from './errors';
import { isObject } from '../guards';
import { readHar } from './har';
import { recordsFromHar } from './har-records';
import type { Browser } from '../browser';
import { readSessionLog, SESSION_LOG_FORMAT, type SessionContent } from './session-log';

// Any log file Origin Lens reads (its own session log, or a HAR from any browser's DevTools
// or from Origin Lens), as one shape for the panel's offline host and the analyzer.

export interface LoadedLog extends Omit<SessionContent, 'tabId' | 'findings'> {
  kind: 'session-log' | 'har';
  /** The browser whose rules the records' verdicts follow. */
  browser: Browser;
  /** The browser that recorded the file, when it says (a session log's own verdicts are by its rules); null when recorded on the wire. */
  recordedBy: Browser | null;
  /** The browser was guessed (a HAR whose creator did not say), not stated by the file or the user. */
  browserGuessed: boolean;
  /** Who wrote the file. */
  creator: { name: string; version: string };
  /** What the file could not tell (read as "unknown" in the verdicts). */
  warnings: string[];
}

const isSessionLog = (data: unknown) => isObject(data) && data.format === SESSION_LOG_FORMAT;

/**
 * Reads a session log or a HAR; throws LogFormatError (a readable message) for anything else.
 * A HAR is judged by `browser`'s rules (else its creator's); a session log keeps the verdicts
 * it was saved with, by the rules of the browser that recorded it: analyze() re-judges them.
 */
export function readLogFile(text: string, browser?: Browser): LoadedLog {
  // Parsed once: a log of 100,000 requests is some 200 MB of JSON.
  const data = parseLogJson(text);
  if (isSessionLog(data)) {
    const log = readSessionLog(data);
    const recordedBy = log.browser ?? browser ?? 'chromium';
    return {
      kind: 'session-log',
      browser: recordedBy,
      recordedBy,
      browserGuessed: browser === undefined && log.browser === null,
      creator: log.exporter,
      pageUrl: log.page.url,
      startedAt: Date.parse(log.page.startedAt),
      records: log.requests,
      navigations: log.navigations,
      messages: log.messages,
      websockets: log.websockets,
      dropped: log.dropped,
      warnings: log.sanitized ? ['Secrets (credentials, tokens in URLs and payloads) were masked when this log was exported.'] : [],
    };
  }
  const har = readHar(data, browser ? { browser } : {});
  const records = recordsFromHar(har);
  return {
    kind: 'har',
    browser: har.browser,
    recordedBy: har.recordedBy,
    browserGuessed: har.browserGuessed,
    creator: har.creator,
    pageUrl: har.requests[0]?.pageUrl ?? null,
    startedAt: records[0]?.startTime ?? 0,
    records,
    navigations: [],
    messages: [],
    websockets: [],
    dropped: { requests: 0, messages: 0, websockets: 0 },
    warnings: har.warnings,
  };
}
