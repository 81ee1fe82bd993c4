// A verdict in words: the judging browser's console words for its reason (chromium.ts,
// firefox.ts), Origin Lens's own for its steps and warnings (steps.ts). The engine keeps
// codes and parameters only; the panel, the CLI and the exports render them here.
import type { Browser } from '../browser';
import type { ReasonCode } from '../cors/reasons';
import { REASONS } from '../cors/reasons';
import type { Verdict } from '../cors/verdict';
import type { RequestRecord } from '../session/record';
import { chromiumWords } from './chromium';
import { firefoxWords } from './firefox';

/** What some console lines name beyond the verdict: the request's type and API, and the page that made it. */
export interface LoadFacts {
  /** webRequest resource type. */
  type: string;
  /** The page's API, when the page hooks saw the call (fetch, xhr). */
  api: string | null;
  pageUrl: string | null;
}

export function loadFacts(r: Pick<RequestRecord, 'type' | 'hook' | 'frameUrl'>): LoadFacts {
  return { type: r.type, api: r.hook?.api ?? null, pageUrl: r.frameUrl };
}

/** One browser's console vocabulary. */
export interface ConsoleWords {
  browser: Browser;
  /** The name the browser gives the failure: Firefox's console key, Chromium's CorsError name. */
  key(reason: ReasonCode): string;
  /** The console's reason, with the failing value: what the panel's table and the CLI show. */
  reason(reason: ReasonCode, parameter: string | null, load?: LoadFacts): string;
  /** The whole console line (null when the browser logs none for this reason). */
  consoleLine(reason: ReasonCode, parameter: string | null, url: string, origin: string | null, status: number | null, load?: LoadFacts): string | null;
}

/** A blocked verdict's reason as the judging browser words it. */
export interface ReasonWords {
  code: ReasonCode;
  /** Firefox's console key beside the code (null where Firefox has none). */
  firefoxKey: string | null;
  /** The console's reason, with the failing value. */
  text: string;
  /** MDN's page for the Firefox key (MDN names its CORS error pages after them), else its CORS guide. */
  mdn: string;
}

export function consoleWords(browser: Browser): ConsoleWords {
  return browser === 'firefox' ? firefoxWords : chromiumWords;
}

export function reasonWords(v: Pick<Verdict, 'reason' | 'failedParameter'>, browser: Browser, load?: LoadFacts): ReasonWords | null {
  if (v.reason === null) return null;
  const info = REASONS[v.reason];
  return { code: v.reason, firefoxKey: info.firefoxKey, text: consoleWords(browser).reason(v.reason, v.failedParameter, load), mdn: info.mdn };
}
