// Runs in the isolated world: an element whose load fails before any request (an https: page's
// <script src="http:…">, blocked as mixed content) leaves no webRequest event in either browser,
// only the element's `error` event. Element errors do not bubble, but a capture listener on the
// window sees them all; in the isolated world the page can neither see the listener nor change
// what it reads of the element. Only http: URLs on an https: page are reported: any other
// failed load was a request the network saw, and already has its record.
import type { LoadErrorWire, LoadType } from '../core/page/records';

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

/** Calls `report` for each failed load of an http: URL in this (https:) document. */
export function watchLoadErrors(report: (event: LoadErrorWire) => void): void {
  if (!self.origin.startsWith('https:')) return;
  addEventListener(
    'error',
    (event) => {
      const load = loadOf(event.target);
      if (load !== null && load.url.startsWith('http:')) report({ k: 'load-error', t: Date.now(), url: load.url, type: load.type });
    },
    true,
  );
}
