// What a window `message` listener's code tells: where the page added it (from the stack of the
// addEventListener call) and how its source text compares event.origin / event.source.
import { analyzeListenerSource, type SourceAnalysis } from '../../core/page/listener-check';
import type { SourceLocation } from '../../core/page/records';
import { N, OWN_SCRIPT, PrivateWeakMap, call, findProperty, ownValue, slice, test } from '../native';
import { firstFrame } from '../stack';

const NATIVE_CODE = /\{\s*\[native code\]\s*\}\s*$/;

// Our own frames: an extension URL (Chrome), "<anonymous code>" (Firefox's MAIN world).
const isOwnFrame = (url: string): boolean => test(OWN_SCRIPT, url) || url[0] === '<' || url === '';

/** The first page frame of the current stack: the script that called the hooked function. */
export function callerLocation(): SourceLocation | null {
  try {
    const frame = firstFrame(isOwnFrame);
    if (!frame) return null;
    return { url: frame.url.length > 2048 ? slice(frame.url, 0, 2048) : frame.url, line: frame.line, column: frame.column };
  } catch {
    // no location rather than any risk to the page
  }
  return null;
}

// Cached per function: a listener's source does not change, and a page adds the same one often.
const analyses = new PrivateWeakMap<object, SourceAnalysis | null>();

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
      fn = d ? ownValue(d.holder, 'handleEvent') : null;
    }
    if (typeof fn === 'function') {
      const text = call(N.fnToString, fn) as string;
      if (!test(NATIVE_CODE, text)) result = analyzeListenerSource(text);
    }
  } catch {
    result = null;
  }
  analyses.set(key, result);
  return result;
}
