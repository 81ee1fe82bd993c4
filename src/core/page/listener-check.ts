// Does a `message` listener check who sent the message? Two sources of evidence combined:
// what the listener read at run time (the page hook instruments event.origin and event.source
// per listener) and a static look at its source text for how it compares them. Heuristic by
// nature: the result says 'unknown' when it cannot tell rather than guess.
import type { OriginCheck } from './records';

export interface SourceAnalysis {
  /** How event.origin is compared: strictly (===, allow-list, anchored regex), weakly, or not seen. */
  origin: 'strict' | 'weak' | 'none';
  /** event.source is compared by identity (=== / !==). */
  sourceCompared: boolean;
}

const MAX_SOURCE = 20_000;
const ID = '[A-Za-z_$][\\w$]*';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Is the body of a regex literal anchored at both ends (^...$, not escaped)? */
function anchored(pattern: string): boolean {
  return pattern.startsWith('^') && /(^|[^\\])\$$/.test(pattern);
}

/** Names that hold event.origin (or event.source) in the source: `x = e.origin`, `{ origin: x }`. */
function aliases(src: string, prop: 'origin' | 'source'): string[] {
  const names = new Set<string>();
  const assign = new RegExp(`(${ID})\\s*=\\s*${ID}(?:\\?)?\\.${prop}\\b(?!\\s*[.(=])`, 'g');
  for (const m of src.matchAll(assign)) names.add(m[1]!);
  const destructure = new RegExp(`\\{[^{}]*\\b${prop}\\b\\s*(?::\\s*(${ID}))?[^{}]*\\}\\s*=`, 'g');
  for (const m of src.matchAll(destructure)) names.add(m[1] ?? prop);
  // A parameter destructured in the listener's head: ({ origin, data }) => ...
  const param = new RegExp(`^\\s*(?:async\\s*)?(?:function\\s*${ID}?\\s*)?\\(\\s*\\{[^{}]*\\b${prop}\\b\\s*(?::\\s*(${ID}))?`);
  const p = param.exec(src);
  if (p) names.add(p[1] ?? prop);
  names.delete('this');
  return [...names];
}

/** Regex alternatives that match an expression holding `prop`. */
function expressions(src: string, prop: 'origin' | 'source'): string[] {
  return [`${ID}(?:\\?)?\\.${prop}\\b`, ...aliases(src, prop).map((n) => `(?<![\\w$.])${escapeRe(n)}(?![\\w$])`)];
}

// What stands before `.includes(`: a string or template literal, an array literal, a call, or a name.
const RECEIVER = `'(?:\\\\.|[^'\\\\\\n])*'|"(?:\\\\.|[^"\\\\\\n])*"|\`[^\`]*\`|\\]|\\)|${ID}(?:\\s*\\.\\s*${ID})*`;

/** Is the receiver of `.includes(origin)` a string: a literal, a joined list, or a name the source assigns a string? */
function holdsString(src: string, receiver: string): boolean {
  if (/^['"`]/.test(receiver)) return true;
  if (receiver === ']') return false;
  if (receiver === ')') return /\.\s*(?:join|toString|toLowerCase|trim|concat)\s*\([^()]*\)\s*\.\s*(?:includes|indexOf|lastIndexOf)\s*\(/.test(src);
  const name = escapeRe(receiver.replace(/\s+/g, ''));
  return new RegExp(`(?<![\\w$.])${name}\\s*[:=]\\s*['"\`]`).test(src);
}

export function analyzeListenerSource(source: string): SourceAnalysis {
  const src = source.length > MAX_SOURCE ? source.slice(0, MAX_SOURCE) : source;
  let weak = false;
  let strict = false;
  for (const e of expressions(src, 'origin')) {
    // origin.indexOf('x'), origin.includes(...), startsWith, endsWith, search, match
    const method = new RegExp(`(?:${e})\\s*\\.\\s*(indexOf|includes|startsWith|endsWith|search|match|lastIndexOf)\\s*\\(\\s*(/(?:\\\\.|[^/\\\\\\n])+/)?`, 'g');
    for (const m of src.matchAll(method)) {
      const re = m[2];
      if (re && (m[1] === 'match' || m[1] === 'search') && anchored(re.slice(1, re.lastIndexOf('/')))) strict = true;
      else weak = true;
    }
    // /re/.test(origin)
    const test = new RegExp(`/((?:\\\\.|[^/\\\\\\n])+)/[a-z]*\\s*\\.\\s*test\\s*\\(\\s*(?:${e})\\s*\\)`, 'g');
    for (const m of src.matchAll(test)) {
      if (anchored(m[1]!)) strict = true;
      else weak = true;
    }
    // someRegExp.test(origin) with a regex we cannot see: cannot tell; new RegExp(...) likewise.
    // Strict comparisons and allow-lists.
    if (new RegExp(`(?:${e})\\s*(?:===|!==|==|!=)|(?:===|!==|==|!=)\\s*(?:${e})`).test(src)) strict = true;
    // list.includes(origin): an allow-list when the list is an array or a Set, a substring test
    // (weak) when it is a string.
    const member = new RegExp(`(${RECEIVER})\\s*\\.\\s*(includes|indexOf|lastIndexOf|has|some|find)\\s*\\(\\s*(?:${e})\\s*\\)`, 'g');
    for (const m of src.matchAll(member)) {
      if (m[2] !== 'has' && m[2] !== 'some' && m[2] !== 'find' && holdsString(src, m[1]!)) weak = true;
      else strict = true;
    }
    if (new RegExp(`switch\\s*\\(\\s*(?:${e})\\s*\\)`).test(src)) strict = true;
  }
  let sourceCompared = false;
  for (const e of expressions(src, 'source')) {
    if (new RegExp(`(?:${e})\\s*(?:===|!==|==|!=)|(?:===|!==|==|!=)\\s*(?:${e})`).test(src)) sourceCompared = true;
  }
  return { origin: weak ? 'weak' : strict ? 'strict' : 'none', sourceCompared };
}

/**
 * The check of one listener for one message: what it read while handling it (null source when
 * the listener's text is not available, e.g. a bound or native function).
 */
export function combineCheck(read: { origin: boolean; source: boolean }, analysis: SourceAnalysis | null): OriginCheck {
  if (!read.origin && !read.source) return 'no';
  if (analysis === null) return 'unknown';
  if (read.origin) {
    if (analysis.origin === 'weak') return 'weak';
    if (analysis.origin === 'strict') return 'yes';
  }
  if (read.source && analysis.sourceCompared) return 'yes';
  return 'unknown';
}
