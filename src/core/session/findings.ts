import type { Finding } from '../cors/findings';
import { postMessageFindings } from '../page/findings';
import type { MessageRecord } from '../page/records';
import type { RequestRecord } from './record';
import { findingsFor } from './judge';
import { cookieFindings } from './cookie-findings';
import type { Browser } from '../browser';

/** Every finding of a session, over its requests and its messages: for the panel, the exports and the analyzer. */
export function sessionFindings(records: readonly RequestRecord[], messages: readonly MessageRecord[], browser: Browser): Finding[] {
  return [...findingsFor(records, browser), ...cookieFindings(records), ...postMessageFindings(messages)];
}
