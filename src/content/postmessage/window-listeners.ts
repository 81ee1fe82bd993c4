// The page's `message` listeners on the window, and which of them read event.origin /
// event.source while handling each message, observed without wrapping them.
//
// For each page listener a tiny marker listener is registered right after it, with the same
// capture flag (and once/signal). Dispatch order at the target is registration order within the
// capture group, then the bubble group, so marker k runs right after listener k: the reads of
// event.origin/event.source (instrumented getters, see listeners.ts) since the previous marker
// belong to listener k. The page's listeners are registered exactly as the page asked (same
// function, same options), so removeEventListener, `this` and ordering are unchanged.
//
// Most pages have one message listener: it runs right after our capture listener and nothing of
// the page's runs beside it, so every read made while the message is dispatched is its own, and
// it needs no marker (a listener call costs the page about a microsecond per message). It gets
// one, registered right after it in its group, before a second listener is added.
import { combineCheck } from '../../core/page/listener-check';
import { LIMITS, type ListenerInfo, type SourceLocation } from '../../core/page/records';
import { N, append, call, create, list, listenerOptions } from '../native';
import { analysisOf, callerLocation } from './listener-source';

interface Entry {
  listener: unknown;
  capture: boolean;
  once: boolean;
  signal: AbortSignal | null;
  marker: (e: Event) => void;
  /** Whether the marker is registered (all but a sole listener's are). */
  marked: boolean;
  location: SourceLocation | null;
}

interface Ran {
  entry: Entry | null;
  origin: boolean;
  source: boolean;
}

/** One message's dispatch: the listeners that ran so far and what was read since the last one. */
export interface DispatchState {
  event: Event;
  t: number;
  expected: number;
  /** The page's only listener when it has no marker: it runs for this message, after ours. */
  sole: Entry | null;
  /** The listeners whose marker ran (or that removed themselves), made with the first. */
  ran: Ran[] | null;
  /**
   * Read since the last of them; once ended by `finalize`, what the sole listener read, or a
   * listener whose marker never ran (it stopped propagation).
   */
  readOrigin: boolean;
  readSource: boolean;
  ended: boolean;
}

const w = N.window;

/** The options of a page's addEventListener or removeEventListener call, read once. */
export interface ListenerOptions {
  capture: boolean;
  once: boolean;
  signal: AbortSignal | null;
  /** What the native gets in their place: the page's own value, or a copy when it is an object. */
  forNative: unknown;
}

/**
 * Reads a call's options as the native does, each member once and in the native's order (capture;
 * for addEventListener, `add`, then once, passive, signal). The native gets a copy without a
 * prototype in their place, so no getter of the page's runs twice. `signal` is the page's value
 * as it was: the native checks it (and throws as without the hooks); use it only after that.
 */
export function readListenerOptions(options: unknown, add: boolean): ListenerOptions {
  if ((typeof options !== 'object' && typeof options !== 'function') || options === null) {
    return { capture: !!options, once: false, signal: null, forNative: options };
  }
  const o = options as { capture?: unknown; once?: unknown; passive?: unknown; signal?: unknown };
  const capture = !!o.capture;
  if (!add) return { capture, once: false, signal: null, forNative: capture };
  const once = !!o.once;
  const passive = o.passive;
  const signal = o.signal;
  const copy = create(null) as Omit<AddEventListenerOptions, 'signal'> & { signal?: unknown };
  copy.capture = capture;
  copy.once = once;
  if (passive !== undefined) copy.passive = !!passive;
  if (signal !== undefined) copy.signal = signal;
  return { capture, once, signal: signal === undefined ? null : (signal as AbortSignal), forNative: copy };
}

export class WindowListeners {
  private entries: Entry[] = list();
  // The dispatch under way, if any: message events are dispatched one at a time (a new one
  // finalizes the last), so no map from events to states is needed.
  private last: DispatchState | null = null;
  private handlerEntry: Entry | null = null;

  /**
   * A message reaches the window at `t` (our capture listener, first of all): its dispatch starts.
   * A message the recorder dropped has none: markers and reads during it then find no state of
   * theirs and are ignored.
   */
  begin(event: Event, t: number): DispatchState {
    if (this.last) this.finalize(this.last);
    const n = this.entries.length;
    const sole = n === 1 && !this.entries[0]!.marked ? this.entries[0]! : null;
    const st: DispatchState = { event, t, expected: n, sole, ran: null, readOrigin: false, readSource: false, ended: n === 0 };
    this.last = st;
    return st;
  }

  /** A listener read event.origin or event.source while `event` was being dispatched. */
  noteRead(event: unknown, key: 'origin' | 'source'): void {
    const st = this.last;
    if (!st || st.ended || st.event !== event) return;
    // Without a marker, only the dispatch's end tells a later read (of a kept event) apart.
    if (st.sole && call(N.eventPhase, event) === 0) return;
    if (key === 'origin') st.readOrigin = true;
    else st.readSource = true;
  }

  /**
   * Closes a dispatch: later reads are not its own. What was read after the last marker stays in
   * the state for `listenersOf` (nothing is built here: this runs as the next message arrives).
   */
  finalize(st: DispatchState): void {
    st.ended = true;
  }

  /** The listeners that ran for a finalized dispatch, with their origin checks. */
  listenersOf(st: DispatchState): ListenerInfo[] {
    const out: ListenerInfo[] = list();
    const ran = st.ran;
    if (ran) for (let i = 0; i < ran.length && i < LIMITS.maxListeners; i++) append(out, infoOf(ran[i]!));
    if ((st.sole || st.readOrigin || st.readSource) && out.length < LIMITS.maxListeners) {
      append(out, infoOf({ entry: st.sole, origin: st.readOrigin, source: st.readSource }));
    }
    return out;
  }

  /**
   * The page is about to add a listener or set onmessage (before the native call): a sole
   * listener without a marker gets one now, right after it in its group, ahead of the new one.
   */
  beforeAdd(listener: unknown, capture: boolean): void {
    const entries = this.entries;
    if (entries.length !== 1) return;
    const sole = entries[0]!;
    if (!sole.marked && (sole.listener !== listener || sole.capture !== capture)) this.mark(sole);
  }

  /** The page added `listener` (after the native call did, with `options.forNative`). */
  add(listener: unknown, options: ListenerOptions): void {
    const { capture, once, signal } = options;
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.listener === listener && entries[i]!.capture === capture) return; // a duplicate is a no-op
    if (signal && call(N.signalAborted, signal)) return;
    const entry = this.newEntry(listener, capture, once, signal);
    append(entries, entry);
    if (signal) call(N.addEventListener, signal, 'abort', () => this.removeEntry(entry), listenerOptions(false, true, null));
    // A `once` listener is marked even alone: its marker tells that it ran, and is gone.
    if (entries.length > 1 || once) this.mark(entry);
  }

  /** The page removed `listener` (after the native call did). */
  remove(listener: unknown, capture: boolean): void {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.listener !== listener || entry.capture !== capture) continue;
      if (entry.marked) call(N.removeEventListener, w, 'message', entry.marker, capture);
      this.removeEntry(entry);
      const st = this.last;
      if (st && !st.ended) {
        // It is credited now, or not at all.
        if (st.sole === entry) st.sole = null;
        // Most often a listener removing itself while it handles the message.
        if (st.readOrigin || st.readSource) credit(st, entry);
        else if (--st.expected <= (st.ran?.length ?? 0)) st.ended = true;
      }
      return;
    }
  }

  /** window.onmessage changed from `before` to `after`: the handler keeps the place it was first set in. */
  handlerChanged(before: unknown, after: unknown): void {
    if (before == null && typeof after === 'function') {
      this.handlerEntry = this.newEntry(after, false, false, null);
      append(this.entries, this.handlerEntry);
      if (this.entries.length > 1) this.mark(this.handlerEntry);
    } else if (before != null && after == null && this.handlerEntry) {
      if (this.handlerEntry.marked) call(N.removeEventListener, w, 'message', this.handlerEntry.marker, false);
      this.removeEntry(this.handlerEntry);
      this.handlerEntry = null;
    } else if (this.handlerEntry && typeof after === 'function') {
      this.handlerEntry.listener = after;
      this.handlerEntry.location = callerLocation();
    }
  }

  private newEntry(listener: unknown, capture: boolean, once: boolean, signal: AbortSignal | null): Entry {
    const entry: Entry = {
      listener, capture, once, signal, marked: false, location: callerLocation(),
      // It runs for every message: a try block rather than safely(), which costs a closure each time.
      marker: (e: Event) => {
        try {
          this.onMarker(entry, e);
        } catch {
          // our bookkeeping never reaches the page
        }
      },
    };
    return entry;
  }

  private mark(entry: Entry): void {
    entry.marked = true;
    call(N.addEventListener, w, 'message', entry.marker, listenerOptions(entry.capture, entry.once, entry.signal));
  }

  private removeEntry(entry: Entry): void {
    // By hand: Array.prototype.indexOf and splice are the page's to replace.
    const entries = this.entries;
    let i = 0;
    while (i < entries.length && entries[i] !== entry) i++;
    if (i === entries.length) return;
    for (; i + 1 < entries.length; i++) entries[i] = entries[i + 1]!;
    entries.length = i;
  }

  private onMarker(entry: Entry, e: Event): void {
    const st = this.last;
    if (entry.once) this.removeEntry(entry);
    if (!st || st.ended || st.event !== e) return;
    credit(st, entry);
  }
}

/** What was read since the last listener belongs to `entry`, which ran. */
function credit(st: DispatchState, entry: Entry): void {
  const ran = st.ran ?? (st.ran = list());
  append(ran, { entry, origin: st.readOrigin, source: st.readSource });
  st.readOrigin = st.readSource = false;
  if (ran.length >= st.expected) st.ended = true;
}

function infoOf(r: Ran): ListenerInfo {
  return {
    location: r.entry?.location ?? null,
    readOrigin: r.origin,
    readSource: r.source,
    check: combineCheck({ origin: r.origin, source: r.source }, r.entry ? analysisOf(r.entry.listener) : null),
  };
}
