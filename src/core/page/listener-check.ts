// Does a `message` listener check who sent the message? Two sources of evidence combined:
// what the listener read at run time (the page hook instruments event.origin and event.source
// per listener) and a static look at its source text for how it compares them. Heuristic by
// nature: the result says 'unknown' when it cannot tell rather than guess.
import { append, exec, list, lastIndexOf, slice, test } from './natives';
import type { OriginCheck } from './records';

// It runs in the page's world (on the page's listeners, after the page may have replaced
// built-ins): regexes are made with the saved constructor and run with the saved exec, lists are
// our own prototype-less arrays grown by append, strings cut by the saved slice.
const RegExpCtor = RegExp;
const re = (source: string, flags = ''): RegExp => new RegExpCtor(source, flags);

/** Every match of the global regex `pattern` in `src` (what String.prototype.matchAll gives). */
function matches(src: string, pattern: RegExp): RegExpExecArray[] {
  const out: RegExpExecArray[] = list();
  pattern.lastIndex = 0;
  for (let m = exec(pattern, src); m !== null; m = exec(pattern, src)) {
    append(out, m);
    if (m[0] === '') pattern.lastIndex++;
  }
  return out;
}

function addOnce(list: string[], name: string): void {
  for (let i = 0; i < list.length; i++) if (list[i] === name) return;
  append(list, name);
}

export interface SourceAnalysis {
  /** How event.origin is compared: strictly (===, allow-list, anchored regex), weakly, or not seen. */
  origin: 'strict' | 'weak' | 'none';
  /** event.source is compared by identity (=== / !==). */
  sourceCompared: boolean;
}

const MAX_SOURCE = 20_000;
const ID = '[A-Za-z_$][\\w$]*';

const SPECIAL = '.*+?^${}()|[]\\';
function escapeRe(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let special = false;
    for (let j = 0; j < SPECIAL.length; j++) if (SPECIAL[j] === s[i]) special = true;
    out += special ? '\\' + s[i] : s[i];
  }
  return out;
}

/** Is the body of a regex literal anchored at both ends (^...$, not escaped)? */
function anchored(pattern: string): boolean {
  return pattern[0] === '^' && test(/(^|[^\\])\$$/, pattern);
}

/** Names that hold event.origin (or event.source) in the source: `x = e.origin`, `{ origin: x }`. */
function aliases(src: string, prop: 'origin' | 'source'): string[] {
  const names: string[] = list();
  const assign = re(`(${ID})\\s*=\\s*${ID}(?:\\?)?\\.${prop}\\b(?!\\s*[.(=])`, 'g');
  const assigned = matches(src, assign);
  for (let i = 0; i < assigned.length; i++) addOnce(names, assigned[i]![1]!);
  const destructure = re(`\\{[^{}]*\\b${prop}\\b\\s*(?::\\s*(${ID}))?[^{}]*\\}\\s*=`, 'g');
  const destructured = matches(src, destructure);
  for (let i = 0; i < destructured.length; i++) addOnce(names, destructured[i]![1] ?? prop);
  // A parameter destructured in the listener's head: ({ origin, data }) => ...
  const param = re(`^\\s*(?:async\\s*)?(?:function\\s*${ID}?\\s*)?\\(\\s*\\{[^{}]*\\b${prop}\\b\\s*(?::\\s*(${ID}))?`);
  const p = exec(param, src);
  if (p) addOnce(names, p[1] ?? prop);
  const out: string[] = list();
  for (let i = 0; i < names.length; i++) if (names[i] !== 'this') append(out, names[i]!);
  return out;
}

/** Regex alternatives that match an expression holding `prop`. */
function expressions(src: string, prop: 'origin' | 'source'): string[] {
  const out = [`${ID}(?:\\?)?\\.${prop}\\b`];
  const names = aliases(src, prop);
  for (let i = 0; i < names.length; i++) append(out, `(?<![\\w$.])${escapeRe(names[i]!)}(?![\\w$])`);
  return out;
}

// What stands before `.includes(`: a string or template literal, an array literal, a call, or a name.
const RECEIVER = `'(?:\\\\.|[^'\\\\\\n])*'|"(?:\\\\.|[^"\\\\\\n])*"|\`[^\`]*\`|\\]|\\)|${ID}(?:\\s*\\.\\s*${ID})*`;

/** Is the receiver of `.includes(origin)` a string: a literal, a joined list, or a name the source assigns a string? */
function holdsString(src: string, receiver: string): boolean {
  if (receiver[0] === "'" || receiver[0] === '"' || receiver[0] === '`') return true;
  if (receiver === ']') return false;
  if (receiver === ')') return test(/\.\s*(?:join|toString|toLowerCase|trim|concat)\s*\([^()]*\)\s*\.\s*(?:includes|indexOf|lastIndexOf)\s*\(/, src);
  let compact = '';
  for (let i = 0; i < receiver.length; i++) if (!test(/\s/, receiver[i]!)) compact += receiver[i];
  return test(re(`(?<![\\w$.])${escapeRe(compact)}\\s*[:=]\\s*['"\`]`), src);
}

export function analyzeListenerSource(source: string): SourceAnalysis {
  const src = source.length > MAX_SOURCE ? slice(source, 0, MAX_SOURCE) : source;
  let weak = false;
  let strict = false;
  const origins = expressions(src, 'origin');
  for (let i = 0; i < origins.length; i++) {
    const e = origins[i]!;
    // origin.indexOf('x'), origin.includes(...), startsWith, endsWith, search, match
    const method = matches(src, re(`(?:${e})\\s*\\.\\s*(indexOf|includes|startsWith|endsWith|search|match|lastIndexOf)\\s*\\(\\s*(/(?:\\\\.|[^/\\\\\\n])+/)?`, 'g'));
    for (let j = 0; j < method.length; j++) {
      const m = method[j]!;
      const literal = m[2];
      if (literal && (m[1] === 'match' || m[1] === 'search') && anchored(slice(literal, 1, lastIndexOf(literal, '/')))) strict = true;
      else weak = true;
    }
    // /re/.test(origin)
    const tested = matches(src, re(`/((?:\\\\.|[^/\\\\\\n])+)/[a-z]*\\s*\\.\\s*test\\s*\\(\\s*(?:${e})\\s*\\)`, 'g'));
    for (let j = 0; j < tested.length; j++) {
      if (anchored(tested[j]![1]!)) strict = true;
      else weak = true;
    }
    // someRegExp.test(origin) with a regex we cannot see: cannot tell; new RegExp(...) likewise.
    // Strict comparisons and allow-lists.
    if (test(re(`(?:${e})\\s*(?:===|!==|==|!=)|(?:===|!==|==|!=)\\s*(?:${e})`), src)) strict = true;
    // list.includes(origin): an allow-list when the list is an array or a Set, a substring test
    // (weak) when it is a string.
    const member = matches(src, re(`(${RECEIVER})\\s*\\.\\s*(includes|indexOf|lastIndexOf|has|some|find)\\s*\\(\\s*(?:${e})\\s*\\)`, 'g'));
    for (let j = 0; j < member.length; j++) {
      const m = member[j]!;
      if (m[2] !== 'has' && m[2] !== 'some' && m[2] !== 'find' && holdsString(src, m[1]!)) weak = true;
      else strict = true;
    }
    if (test(re(`switch\\s*\\(\\s*(?:${e})\\s*\\)`), src)) strict = true;
  }
  let sourceCompared = false;
  const sources = expressions(src, 'source');
  for (let i = 0; i < sources.length; i++) {
    const e = sources[i]!;
    if (test(re(`(?:${e})\\s*(?:===|!==|==|!=)|(?:===|!==|==|!=)\\s*(?:${e})`), src)) sourceCompared = true;
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
