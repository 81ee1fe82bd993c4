// Runs in the isolated world: an element whose load fails before any request (an https: page's
// <script src="http:…">, blocked as mixed content) leaves no webRequest event in either browser,
// only the element's `error` event. Element errors do not bubble, but a capture listener on the
// window sees them all; in the isolated world the page can neither see the listener nor change
// what it reads of the element. Only http: URLs on an https: page are reported: any other
// failed load was a request the network saw, and already has its record. A page may fail many at
// once (each in its own task): they go in batches, at most one per LOAD_ERROR_WINDOW_MS, so that
// they keep within the bridge's batches a second; what waits goes at once when the document is
// hidden or on pagehide (the bridge's own capture listeners, which the page cannot see).
import { LIMITS, type DroppedWire, type LoadErrorWire, type LoadType, type PageEvent } from '../core/page/records';
import { LOAD_ERROR_WINDOW_MS, MAX_BATCH_CHARS, MAX_BATCH_EVENTS, PAGE_EVENT_RATE } from './rate-limit';

// No more wait than the burst the bridge passes: beyond it failed loads are counted.
const MAX_WAITING = PAGE_EVENT_RATE.burst;

/** The URL and webRequest type of the load an element made, null for an element we do not follow. */
function loadOf(target: EventTarget | null): { url: string; type: LoadType } | null {
  const el = target as Partial<HTMLLinkElement & HTMLScriptElement & HTMLMediaElement & HTMLObjectElement> | null;
  switch (el?.localName) {
    case 'script':
      return { url: el.src ?? '', type: 'script' };
    case 'link':
      return { url: el.href ?? '', type: el.relList?.contains('stylesheet') ? 'stylesheet' : 'other' };
    case 'img':
      return { url: el.currentSrc || (el.src ?? ''), type: 'image' };
    case 'video':
    case 'audio':
    case 'source':
      return { url: el.currentSrc || (el.src ?? ''), type: 'media' };
    case 'object':
      return { url: el.data ?? '', type: 'object' };
    case 'embed':
      return { url: el.src ?? '', type: 'object' };
    default:
      return null;
  }
}

/**
 * Calls `report` with the failed loads of http: URLs in this (https:) document, in order, a batch
 * at a time; one that could not wait is counted in a `dropped` event of the next batch.
 */
export function watchLoadErrors(report: (batch: PageEvent[]) => void): void {
  if (!self.origin.startsWith('https:')) return;
  const waiting: LoadErrorWire[] = [];
  let lost = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // `final` (pagehide): what does not fit is counted, as no timer may run again.
  const send = (final = false): void => {
    clearTimeout(timer);
    timer = undefined;
    let n = 0;
    for (let chars = 0; n < waiting.length && n < MAX_BATCH_EVENTS && chars < MAX_BATCH_CHARS; n++) chars += JSON.stringify(waiting[n]).length;
    const batch: PageEvent[] = waiting.splice(0, n);
    if (final) lost += waiting.splice(0).length;
    if (lost > 0) batch.push({ k: 'dropped', n: lost } satisfies DroppedWire);
    lost = 0;
    if (waiting.length > 0) timer = setTimeout(() => send(), LOAD_ERROR_WINDOW_MS);
    if (batch.length > 0) report(batch);
  };
  // Hidden or gone, the page may never run the timer: what waits goes now (on the browser's
  // events only: a pagehide the page dispatches is no unload).
  const sendNow = (event: Event, final: boolean): void => {
    if (timer !== undefined && event.isTrusted && (final || document.visibilityState === 'hidden')) send(final);
  };

  addEventListener(
    'error',
    (event) => {
      const load = loadOf(event.target);
      if (load === null || !load.url.startsWith('http:')) return;
      // A URL longer than the bridge reads is counted here, as it would be there.
      if (waiting.length < MAX_WAITING && load.url.length <= LIMITS.maxUrl) waiting.push({ k: 'load-error', t: Date.now(), url: load.url, type: load.type });
      else lost++;
      timer ??= setTimeout(() => send(), LOAD_ERROR_WINDOW_MS);
    },
    true,
  );
  addEventListener('visibilitychange', (event) => sendNow(event, false), true);
  addEventListener('pagehide', (event) => sendNow(event, true), true);
}
