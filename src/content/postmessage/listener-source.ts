// What a window `message` listener's code tells: where the page added it (from the stack of the
// addEventListener call) and how its source text compares event.origin / event.source.
import { analyzeListenerSource, type SourceAnalysis } from '../../core/page/listener-check';
import type { SourceLocation } from '../../core/page/records';
import { N, OWN_SCRIPT, call, findProperty } from '../native';

const CHROME_FRAME = /\(?((?:https?|file|blob|data|about|chrome-extension|moz-extension):[^\s)]*?):(\d+):(\d+)\)?\s*$/;
const FIREFOX_FRAME = /@(.*?):(\d+):(\d+)$/;

/** The first page frame of the current stack: the script that called the hooked function. */
export function callerLocation(): SourceLocation | null {
  try {
    const stack = new N.Error().stack;
    if (typeof stack !== 'string') return null;
    const lines = stack.split('\n');
    for (const line of lines) {
      const m = FIREFOX_FRAME.exec(line) ?? CHROME_FRAME.exec(line);
      if (!m) continue;
      const url = m[1]!;
      // Our own frames: an extension URL (Chrome), "<anonymous code>" (Firefox's MAIN world).
      if (OWN_SCRIPT.test(url) || url.startsWith('<')) continue;
      return { url: url.length > 2048 ? url.slice(0, 2048) : url, line: Number(m[2]), column: Number(m[3]) };
    }
  } catch {
    // a page's Error.prepareStackTrace may throw or lie: no location then
  }
  return null;
}

// Cached per function: a listener's source does not change, and a page adds the same one often.
const analyses = new N.WeakMap<object, SourceAnalysis | null>();

/** How a listener's source text compares origin and source; null for native or unreadable code. */
export function analysisOf(listener: unknown): SourceAnalysis | null {
  if (listener === null || (typeof listener !== 'function' && typeof listener !== 'object')) return null;
  const key = listener as object;
  if (analyses.has(key)) return analyses.get(key)!;
  let result: SourceAnalysis | null = null;
  try {
    let fn: unknown = listener;
    if (typeof fn !== 'function') {
      const d = findProperty(fn as object, 'handleEvent');
      fn = d && 'value' in d.desc ? d.desc.value : null;
    }
    if (typeof fn === 'function') {
      const text = call(N.fnToString, fn) as string;
      if (!/\{\s*\[native code\]\s*\}\s*$/.test(text)) result = analyzeListenerSource(text);
    }
  } catch {
    result = null;
  }
  analyses.set(key, result);
  return result;
}
