// Workers, from the page's own world, for the background to know whose requests are whose: the
// service worker that controls this frame (at start and on each controllerchange), the workers
// the page starts (`Worker`, `SharedWorker`: the constructors wrapped in a Proxy, as WebSocket's
// is), and each request the service worker handled (resource timing's `workerStart`, read from
// our own PerformanceObserver, which takes nothing from the page's timeline). Reads only.
import { INITIATOR_TYPES, type InitiatorType, type PageEvent } from '../core/page/records';
import { N, call, construct, defineProperty, disguise, findProperty, getOwnPropertyDescriptor, safely, traps } from './native';
import type { Recorder } from './recorder';

const w = N.window;
const WEB = /^https?:\/\//;
const getterOf = (proto: object | undefined, key: string) => (proto ? (findProperty(proto, key)?.desc.get as ((this: unknown) => unknown) | undefined) : undefined);

export function installWorkerHooks(rec: Recorder): void {
  safely(() => wrapWorker(rec, 'Worker', 'dedicated'));
  safely(() => wrapWorker(rec, 'SharedWorker', 'shared'));
  safely(() => watchController(rec));
  safely(() => watchServiceWorkerFetches(rec));
}

/** The absolute URL a worker's script was given as; null for anything we would have to call the page's code to read. */
function scriptUrl(arg: unknown): string | null {
  let url: unknown = arg;
  if (typeof arg === 'object' && arg !== null) {
    const href = getterOf(N.URL.prototype, 'href');
    if (!href) return null;
    try {
      url = call(href, arg);
    } catch {
      return null;
    }
  }
  if (typeof url !== 'string') return null;
  try {
    const parsed = new N.URL(url, w.document.baseURI);
    const protocol = call(N.urlProtocol, parsed);
    // Web URLs only, the one kind the background takes: a blob: or data: worker runs the page's own code.
    return protocol === 'http:' || protocol === 'https:' ? (call(N.urlHref, parsed) as string) : null;
  } catch {
    return null;
  }
}

function wrapWorker(rec: Recorder, name: 'Worker' | 'SharedWorker', kind: 'dedicated' | 'shared'): void {
  const Native = w[name] as unknown as (new (...a: unknown[]) => object) | undefined;
  if (typeof Native !== 'function') return;
  const Wrapped = new N.Proxy(Native, traps({
    construct(target, args, newTarget) {
      const worker = construct(target, args, newTarget) as object;
      safely(() => {
        const url = scriptUrl(args[0]);
        const t = N.now();
        if (url !== null) rec.push((): PageEvent => ({ k: 'worker', kind, t, url }));
      });
      return worker;
    },
  }));
  disguise(Wrapped, Native);
  const d = getOwnPropertyDescriptor(w, name);
  if (!d) return;
  defineProperty(w, name, { ...d, value: Wrapped });
  const c = getOwnPropertyDescriptor(Native.prototype, 'constructor');
  if (c && c.value === Native) defineProperty(Native.prototype, 'constructor', { ...c, value: Wrapped });
}

/** The frame's ServiceWorkerContainer and its `controller` getter; null where there is none (an insecure context). */
function serviceWorkers(): { container: object; controllerGet: (this: unknown) => unknown } | null {
  const container = call(getterOf(w.Navigator?.prototype, 'serviceWorker')!, w.navigator) as object | undefined;
  return container ? { container, controllerGet: getterOf(w.ServiceWorkerContainer.prototype, 'controller')! } : null;
}

function watchController(rec: Recorder): void {
  const sw = serviceWorkers();
  if (!sw) return;
  const { container, controllerGet } = sw;
  const scriptGet = getterOf(w.ServiceWorker.prototype, 'scriptURL')!;
  const report = (): void =>
    safely(() => {
      const controller = call(controllerGet, container);
      if (!controller) return;
      const url = call(scriptGet, controller) as string;
      const t = N.now();
      rec.push((): PageEvent => ({ k: 'worker', kind: 'service', t, url }));
    });
  report();
  call(N.addEventListener, container, 'controllerchange', report);
}

function watchServiceWorkerFetches(rec: Recorder): void {
  const Observer = N.PerformanceObserver;
  const Timing = w.PerformanceResourceTiming;
  if (typeof Observer !== 'function' || typeof Timing !== 'function') return;
  const proto = Timing.prototype;
  const workerStart = getterOf(proto, 'workerStart')!;
  const name = getterOf(proto, 'name')!;
  const startTime = getterOf(proto, 'startTime')!;
  const initiatorType = getterOf(proto, 'initiatorType')!;
  const responseStatus = getterOf(proto, 'responseStatus');
  const timeOrigin = call(getterOf(w.Performance.prototype, 'timeOrigin')!, w.performance) as number;
  const getEntries = findProperty(w.PerformanceObserverEntryList.prototype, 'getEntries')!.desc.value as (this: unknown) => unknown[];
  const sw = serviceWorkers();
  // Firefox leaves workerStart at 0 even for what its service worker answered (measured in
  // Firefox 153): there, every request of a controlled frame goes, and the background tells.
  const handled = (entry: unknown): boolean =>
    __BROWSER__ === 'firefox' ? sw !== null && !!call(sw.controllerGet, sw.container) : (call(workerStart, entry) as number) > 0;
  const observer = new Observer((list) =>
    safely(() => {
      for (const entry of call(getEntries, list)) {
        if (!handled(entry)) continue;
        const url = call(name, entry) as string;
        if (!WEB.test(url)) continue;
        const t = timeOrigin + (call(startTime, entry) as number);
        const type = call(initiatorType, entry) as string;
        const initiator = (INITIATOR_TYPES as readonly string[]).includes(type) ? (type as InitiatorType) : 'other';
        const status = responseStatus ? (call(responseStatus, entry) as number) || null : null;
        rec.push((): PageEvent => ({ k: 'sw-fetch', t, url, initiator, status }));
      }
    }),
  );
  observer.observe({ type: 'resource', buffered: true });
}
