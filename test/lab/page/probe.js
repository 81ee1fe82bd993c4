// The facts a page script can observe about the built-ins the page hooks wrap. Deterministic:
// two runs in the same browser without the extension give the same facts (the differential e2e
// checks that too), so any difference with the extension is the extension's.
'use strict';
const facts = {};
const fact = (key, get) => {
  try {
    facts[key] = get();
  } catch (e) {
    facts[key] = 'threw ' + describeError(e);
  }
};
const toString = Function.prototype.toString;
const describeError = (e) => {
  if (typeof e !== 'object' || e === null) return String(e);
  const own = Object.getOwnPropertyDescriptor(e, 'stack');
  return JSON.stringify({
    ctor: e.constructor && e.constructor.name,
    name: e.name,
    message: e.message,
    code: e.code,
    stack: String(e.stack),
    ownStack: own ? Object.keys(own).join() : 'none',
    ownKeys: Reflect.ownKeys(e).map(String).join(),
  });
};
const errorOf = (f) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return describeError(e);
  }
};
const descriptorShape = (d) => (d ? Object.entries(d).map(([k, v]) => `${k}:${typeof v === 'function' ? 'fn' : String(v)}`).join() : 'none');

// The functions the hooks replace, and a few they must leave alone.
const getter = (o, k) => Object.getOwnPropertyDescriptor(o, k)?.get;
const setter = (o, k) => Object.getOwnPropertyDescriptor(o, k)?.set;
const hooked = {
  'window.postMessage': window.postMessage,
  'MessagePort.postMessage': MessagePort.prototype.postMessage,
  'BroadcastChannel.postMessage': BroadcastChannel.prototype.postMessage,
  'Worker.postMessage': Worker.prototype.postMessage,
  'EventTarget.addEventListener': EventTarget.prototype.addEventListener,
  'EventTarget.removeEventListener': EventTarget.prototype.removeEventListener,
  'EventTarget.dispatchEvent': EventTarget.prototype.dispatchEvent,
  'window.open': window.open,
  'window.fetch': window.fetch,
  'XMLHttpRequest.open': XMLHttpRequest.prototype.open,
  'XMLHttpRequest.send': XMLHttpRequest.prototype.send,
  'XMLHttpRequest.setRequestHeader': XMLHttpRequest.prototype.setRequestHeader,
  WebSocket: window.WebSocket,
  'WebSocket.send': WebSocket.prototype.send,
  'WebSocket.close': WebSocket.prototype.close,
  'Function.toString': Function.prototype.toString,
  'MessageEvent.origin': getter(MessageEvent.prototype, 'origin'),
  'MessageEvent.source': getter(MessageEvent.prototype, 'source'),
  'MessageEvent.data': getter(MessageEvent.prototype, 'data'),
  'window.parent': getter(window, 'parent'),
  'window.opener get': getter(window, 'opener'),
  'window.opener set': setter(window, 'opener'),
  'window.onmessage get': getter(window, 'onmessage'),
  'window.onmessage set': setter(window, 'onmessage'),
  'MessagePort.onmessage set': setter(MessagePort.prototype, 'onmessage'),
  'BroadcastChannel.onmessage set': setter(BroadcastChannel.prototype, 'onmessage'),
  'Worker.onmessage get': getter(Worker.prototype, 'onmessage'),
  'Worker.onmessage set': setter(Worker.prototype, 'onmessage'),
  'HTMLIFrameElement.contentWindow': getter(HTMLIFrameElement.prototype, 'contentWindow'),
};
const holders = [
  ['window', window, ['postMessage', 'open', 'fetch', 'WebSocket', 'parent', 'opener', 'onmessage', 'top', 'self']],
  ['EventTarget.prototype', EventTarget.prototype, null],
  ['MessagePort.prototype', MessagePort.prototype, null],
  ['BroadcastChannel.prototype', BroadcastChannel.prototype, null],
  ['Worker.prototype', Worker.prototype, null],
  ['WebSocket.prototype', WebSocket.prototype, null],
  ['MessageEvent.prototype', MessageEvent.prototype, null],
  ['XMLHttpRequest.prototype', XMLHttpRequest.prototype, null],
  ['HTMLIFrameElement.prototype', HTMLIFrameElement.prototype, null],
  ['Function.prototype', Function.prototype, null],
  ['WebSocket', WebSocket, null],
];

function functionFacts(prefix, f, otherToString) {
  fact(`${prefix} typeof`, () => typeof f);
  if (typeof f !== 'function') return;
  fact(`${prefix} name`, () => f.name);
  fact(`${prefix} length`, () => f.length);
  fact(`${prefix} own keys`, () => Reflect.ownKeys(f).map(String).join());
  fact(`${prefix} name descriptor`, () => descriptorShape(Object.getOwnPropertyDescriptor(f, 'name')));
  fact(`${prefix} length descriptor`, () => descriptorShape(Object.getOwnPropertyDescriptor(f, 'length')));
  fact(`${prefix} has prototype`, () => 'prototype' in f);
  fact(`${prefix} proto is Function.prototype`, () => Object.getPrototypeOf(f) === Function.prototype);
  fact(`${prefix} toString`, () => toString.call(f));
  fact(`${prefix} String()`, () => String(f));
  fact(`${prefix} toString of toString`, () => toString.call(f.toString));
  fact(`${prefix} extensible`, () => Object.isExtensible(f));
  if (otherToString) fact(`${prefix} toString from another realm`, () => otherToString.call(f));
  fact(`${prefix} new`, () => errorOf(() => new f()));
  fact(`${prefix} called on a plain object`, () => errorOf(() => f.call({})));
  fact(`${prefix} called on null`, () => errorOf(() => f.call(null)));
}

function holderFacts() {
  for (const [label, o, only] of holders) {
    const keys = Reflect.ownKeys(o).map(String);
    if (!only) fact(`${label} own keys`, () => keys.join());
    for (const key of only ?? keys) fact(`${label}.${key} descriptor`, () => descriptorShape(Object.getOwnPropertyDescriptor(o, key)));
  }
  fact('window own keys added since start', () => Object.getOwnPropertyNames(window).filter((k) => !startKeys.has(k)).join());
  fact('window enumerable keys', () => Object.keys(window).filter((k) => !/^\d+$/.test(k)).length);
}
const startKeys = new Set(Object.getOwnPropertyNames(window));

// Errors every hooked API can throw, with their stacks.
function errorFacts() {
  const port = new MessageChannel().port1;
  const bc = new BroadcastChannel('probe');
  const worker = echoWorker();
  const cases = {
    'postMessage bad targetOrigin': () => window.postMessage('x', 'not an origin'),
    'postMessage DataCloneError': () => window.postMessage(() => {}, '*'),
    'postMessage no arguments': () => window.postMessage(),
    'postMessage options bad targetOrigin': () => window.postMessage('x', { targetOrigin: 'bad' }),
    'postMessage transfer not transferable': () => window.postMessage('x', '*', [{}]),
    'postMessage illegal invocation': () => window.postMessage.call({}, 'x', '*'),
    'MessagePort postMessage DataCloneError': () => port.postMessage(Symbol('s')),
    'MessagePort postMessage illegal invocation': () => MessagePort.prototype.postMessage.call({}, 'x'),
    'BroadcastChannel postMessage DataCloneError': () => bc.postMessage(() => {}),
    'Worker postMessage DataCloneError': () => worker.postMessage(Symbol('s')),
    'Worker postMessage transfer not transferable': () => worker.postMessage('x', [{}]),
    'Worker postMessage transfer options not transferable': () => worker.postMessage('x', { transfer: [1] }),
    'Worker postMessage no arguments': () => worker.postMessage(),
    'Worker postMessage illegal invocation': () => Worker.prototype.postMessage.call({}, 'x'),
    'Worker onmessage setter illegal invocation': () => setter(Worker.prototype, 'onmessage').call(port, null),
    'addEventListener illegal invocation': () => EventTarget.prototype.addEventListener.call({}, 'message', () => {}),
    'addEventListener no arguments': () => window.addEventListener(),
    'removeEventListener illegal invocation': () => EventTarget.prototype.removeEventListener.call(1, 'message', () => {}),
    'WebSocket bad scheme': () => new WebSocket('ftp://example.test/'),
    'WebSocket bad URL': () => new WebSocket('ws://[bad'),
    'WebSocket fragment': () => new WebSocket('ws://example.test/#frag'),
    'WebSocket bad protocol': () => new WebSocket(`${location.origin.replace('http', 'ws')}/ws`, 'a b'),
    'WebSocket duplicate protocols': () => new WebSocket(`${location.origin.replace('http', 'ws')}/ws`, ['a', 'a']),
    'WebSocket without new': () => WebSocket('ws://example.test/'),
    'WebSocket no arguments': () => new WebSocket(),
    'WebSocket send illegal invocation': () => WebSocket.prototype.send.call({}, 'x'),
    'XHR send before open': () => new XMLHttpRequest().send(),
    'XHR setRequestHeader before open': () => new XMLHttpRequest().setRequestHeader('a', 'b'),
    'XHR open bad method': () => new XMLHttpRequest().open('bad method', '/'),
    'XHR open bad URL': () => new XMLHttpRequest().open('GET', 'http://[bad'),
    'XHR open illegal invocation': () => XMLHttpRequest.prototype.open.call({}, 'GET', '/'),
    'fetch illegal invocation': () => fetch.call({}, '/'),
    'window.open illegal invocation': () => window.open.call({}, ''),
    'toString on a plain object': () => Function.prototype.toString.call({}),
    'origin getter illegal invocation': () => getter(MessageEvent.prototype, 'origin').call({}),
    'source getter illegal invocation': () => getter(MessageEvent.prototype, 'source').call({}),
    'contentWindow getter illegal invocation': () => getter(HTMLIFrameElement.prototype, 'contentWindow').call({}),
    'onmessage setter illegal invocation': () => setter(MessagePort.prototype, 'onmessage').call({}, null),
  };
  for (const [label, f] of Object.entries(cases)) fact(`error: ${label}`, () => errorOf(f));
  const ws = new WebSocket(`${location.origin.replace('//app.lab.test', '//other.test').replace('http', 'ws')}/ws`);
  fact('error: WebSocket send while connecting', () => errorOf(() => ws.send('early')));
  ws.close();
  bc.close();
  worker.terminate();
  return new Promise((resolve) => {
    fetch('http://[bad').catch((e) => {
      fact('error: fetch bad URL (rejection)', () => describeError(e));
      resolve();
    });
  });
}

// Frames: about:blank, srcdoc and document.open, their built-ins and event.source.
async function frameFacts() {
  const make = (setup) => {
    const iframe = document.createElement('iframe');
    setup(iframe);
    document.body.append(iframe);
    return iframe;
  };
  const loaded = (iframe) => new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  const blank = make(() => {});
  const srcdoc = make((f) => (f.srcdoc = '<p>srcdoc</p>'));
  await loaded(srcdoc);
  const opened = make(() => {});
  opened.contentDocument.open();
  opened.contentDocument.write('<p>written</p>');
  opened.contentDocument.close();
  for (const [label, iframe] of [['about:blank', blank], ['srcdoc', srcdoc], ['document.open', opened]]) {
    const w = iframe.contentWindow;
    fact(`frame ${label} location`, () => w.location.href);
    functionFacts(`frame ${label} postMessage`, w.postMessage, w.Function.prototype.toString);
    functionFacts(`frame ${label} addEventListener`, w.EventTarget.prototype.addEventListener, toString);
    fact(`frame ${label} parent toString of its postMessage`, () => toString.call(w.postMessage));
    fact(`frame ${label} its toString of our postMessage`, () => w.Function.prototype.toString.call(window.postMessage));
    fact(`frame ${label} contentWindow identity`, () => iframe.contentWindow === w && w.parent === window && w.top === window);
    // The frame's postMessage called on this window: event.source is the incumbent's window.
    const source = await new Promise((resolve) => {
      const on = (e) => {
        if (e.data !== `from ${label}`) return;
        window.removeEventListener('message', on);
        resolve(e.source === window ? 'this window' : e.source === w ? 'the frame' : String(e.source));
      };
      window.addEventListener('message', on);
      w.postMessage.call(window, `from ${label}`, '*');
    });
    fact(`frame ${label} event.source of its postMessage called on the parent`, () => source);
    // The frame posting to itself, and to its parent.
    const self = await new Promise((resolve) => {
      w.addEventListener('message', (e) => resolve([e.origin, e.source === w, e.data].join()), { once: true });
      w.postMessage('to itself', '*');
    });
    fact(`frame ${label} message to itself`, () => self);
    const up = await new Promise((resolve) => {
      const on = (e) => {
        if (e.data !== `up from ${label}`) return;
        window.removeEventListener('message', on);
        resolve([e.origin, e.source === w, e.isTrusted].join());
      };
      window.addEventListener('message', on);
      w.parent.postMessage(`up from ${label}`, '*');
    });
    fact(`frame ${label} message to the parent`, () => up);
  }
}

// Structured clone: what the clone reads of the page's data, counted now and after the hooks'
// batch (they build it when the page is idle: an idle callback asked for after their first one
// runs after it).
async function cloneFacts() {
  const log = [];
  const data = { get a() { log.push('get a'); return 1; } };
  Object.defineProperty(data, 'toJSON', { value() { log.push('toJSON'); return {}; } });
  Object.defineProperty(data, Symbol.toStringTag, { get() { log.push('toStringTag'); return 'Probe'; } });
  const traps = {};
  for (const trap of ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has']) {
    traps[trap] = (...args) => {
      log.push('proxy ' + trap);
      return Reflect[trap](...args);
    };
  }
  // A proxy cannot be cloned: what it is asked before the clone gives up.
  fact('clone: a proxy', () => errorOf(() => window.postMessage(new Proxy({ x: 1 }, traps), '*')));
  fact('clone: a proxy inside', () => errorOf(() => window.postMessage({ inner: new Proxy([1], traps) }, '*')));
  const received = new Promise((resolve) => {
    const on = (e) => {
      if (!e.data || e.data.probe !== 'clone') return;
      window.removeEventListener('message', on);
      resolve(JSON.stringify(e.data));
    };
    window.addEventListener('message', on);
  });
  data.probe = 'clone';
  window.postMessage(data, '*');
  fact('clone: reads during postMessage', () => log.join());
  facts['clone: what arrived'] = await received;
  const port = new MessageChannel();
  port.port1.postMessage(data);
  fact('clone: reads during port postMessage', () => log.join());
  for (let i = 0; i < 200; i++) window.postMessage(i, '*');
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => requestIdleCallback(resolve));
  await new Promise((resolve) => requestIdleCallback(resolve));
  fact('clone: reads after the batch', () => log.join());
  port.port1.close();
}

// Listeners: order, duplicates, once, signal, handleEvent, onmessage, removal,
// stopImmediatePropagation, exceptions.
async function listenerFacts() {
  const calls = [];
  const errors = [];
  const onError = (e) => {
    errors.push([e.message, e.filename.replace(location.origin, ''), e.lineno, e.colno].join());
    e.preventDefault();
  };
  window.addEventListener('error', onError);
  // Resolves in a task after the message's dispatch, heard by a listener registered before all
  // the others (`stop` hides the listeners after the stopper).
  let arrived = null;
  const tracker = (e) => {
    if (arrived && e.data === arrived.data) setTimeout(arrived.resolve, 0);
  };
  window.addEventListener('message', tracker);
  const next = (data) => new Promise((resolve) => {
    arrived = { data, resolve };
    window.postMessage(data, '*');
  });
  const controller = new AbortController();
  const a = (e) => calls.push('a ' + e.data);
  const b = { handleEvent(e) { calls.push('b ' + e.data + ' ' + (this === b)); } };
  const thrower = (e) => { calls.push('thrower ' + e.data); throw new Error('listener threw ' + e.data); };
  const stopper = (e) => { calls.push('stopper ' + e.data); if (e.data === 'stop') e.stopImmediatePropagation(); };
  const selfRemoving = (e) => { calls.push('selfRemoving ' + e.data); window.removeEventListener('message', selfRemoving); };
  window.addEventListener('message', a);
  window.addEventListener('message', a);
  window.addEventListener('message', a, true);
  window.addEventListener('message', b, { once: true });
  window.addEventListener('message', (e) => calls.push('signal ' + e.data), { signal: controller.signal });
  window.onmessage = (e) => calls.push('onmessage ' + e.data);
  window.addEventListener('message', thrower);
  window.addEventListener('message', stopper);
  window.addEventListener('message', selfRemoving);
  window.addEventListener('message', (e) => calls.push('last ' + e.data + ' ' + e.eventPhase + ' ' + (e.currentTarget === window)));
  await next('one');
  controller.abort();
  window.removeEventListener('message', a, true);
  await next('two');
  window.onmessage = null;
  await next('stop');
  window.removeEventListener('message', a);
  window.removeEventListener('message', thrower);
  window.removeEventListener('message', stopper);
  window.removeEventListener('error', onError);
  window.removeEventListener('message', tracker);
  fact('listeners: calls', () => calls.join(' | '));
  fact('listeners: errors', () => errors.join(' | '));
  onmessageFacts('listeners', window);
}

// `target.onmessage`: after it was set to null, a handler's identity, a string; null again.
function onmessageFacts(label, target) {
  fact(`${label}: onmessage after null`, () => target.onmessage);
  const handler = () => {};
  target.onmessage = handler;
  fact(`${label}: onmessage identity`, () => target.onmessage === handler);
  target.onmessage = 'not a function';
  fact(`${label}: onmessage set to a string`, () => target.onmessage);
  target.onmessage = null;
}

// What the hooked calls read of the objects the page hands them: each getter and Proxy trap, in
// order. The natives read each member of an options dictionary once.
async function readFacts() {
  const log = [];
  const logged = (keys, values = {}) => {
    const o = {};
    for (const k of keys) Object.defineProperty(o, k, { get() { log.push(k); return values[k]; }, enumerable: true });
    return o;
  };
  const traps = {};
  for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf']) {
    traps[trap] = (...args) => {
      log.push(trap + ' ' + (typeof args[1] === 'string' ? args[1] : ''));
      return Reflect[trap](...args);
    };
  }
  const taken = () => log.splice(0).join();
  const listener = () => {};
  const options = logged(['capture', 'once', 'passive', 'signal']);
  window.addEventListener('message', listener, options);
  fact('reads: addEventListener options', taken);
  window.removeEventListener('message', listener, options);
  fact('reads: removeEventListener options', taken);
  const proxied = new Proxy({ capture: true, once: true }, traps);
  window.addEventListener('message', listener, proxied);
  fact('reads: addEventListener options proxy', taken);
  window.removeEventListener('message', listener, proxied);
  fact('reads: removeEventListener options proxy', taken);
  // An aborted signal: fetch reads all of init, then rejects without a request.
  const signal = AbortSignal.abort();
  const members = ['body', 'cache', 'credentials', 'duplex', 'headers', 'integrity', 'keepalive', 'method', 'mode', 'priority', 'redirect', 'referrer', 'referrerPolicy', 'signal', 'window'];
  const headers = logged(['x-probe'], { 'x-probe': '1' });
  const rejected = (p) => p.then(() => 'resolved', (e) => e.name);
  const byGetters = rejected(fetch('/probe-reads', logged(members, { method: 'POST', body: 'x', mode: 'cors', credentials: 'omit', headers, signal })));
  fact('reads: fetch init', taken);
  const byProxy = rejected(fetch('/probe-reads', new Proxy({ method: 'POST', mode: 'cors', credentials: 'include', headers: { 'x-probe': '1' }, signal }, traps)));
  fact('reads: fetch init proxy', taken);
  facts['reads: fetch outcomes'] = [await byGetters, await byProxy].join();
}

// What fetch and XHR read of a Proxy, an iterable or a Headers the page passes as the request,
// its init or its headers: every trap, iterator and getter call, in order, and how the call ended.
// The natives read a headers record by its own keys and a sequence by its iterator (Chromium reads
// an array by index instead), and convert a request that is no Request to a string.
async function requestReadFacts() {
  const log = [];
  const named = (k) => (typeof k === 'symbol' ? k.description : String(k));
  const TRAPS = ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty', 'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions'];
  const counted = (label, target, revocable) => {
    const handler = {};
    for (const trap of TRAPS) {
      handler[trap] = (...args) => {
        log.push(`${label} ${trap}${args.length > 1 && trap !== 'getPrototypeOf' && trap !== 'setPrototypeOf' ? ' ' + named(args[1]) : ''}`);
        return Reflect[trap](...args);
      };
    }
    if (!revocable) return new Proxy(target, handler);
    const { proxy, revoke } = Proxy.revocable(target, handler);
    revoke();
    return proxy;
  };
  const ownIterator = (label, list) => {
    Object.defineProperty(list, Symbol.iterator, { value() { log.push(label); return Array.prototype.values.call(this); } });
    return list;
  };
  const ended = (p) => p.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  // An aborted signal: fetch reads all of init, then rejects without a request.
  const signal = AbortSignal.abort();
  const withHeaders = {
    'a Proxy of a record': () => counted('headers', { 'x-a': '1', 'x-b': '2' }),
    'a Proxy of a record with a getter, a non-enumerable key and a symbol': () =>
      counted('headers', Object.defineProperties({ get 'x-a'() { log.push('getter x-a'); return '1'; } }, { 'x-b': { value: '2' }, [Symbol('s')]: { value: '3' } })),
    'a Proxy of a record with an enumerable symbol': () => counted('headers', { 'x-a': '1', [Symbol('s')]: '2' }),
    'a Proxy of a frozen record': () => counted('headers', Object.freeze({ 'x-a': '1' })),
    'a Proxy of a record with an invalid name': () => counted('headers', { 'x a': '1', 'x-b': '2' }),
    'a Proxy of a record with an invalid value': () => counted('headers', { 'x-a': '\u0100' }),
    'a Proxy of a Proxy of a record': () => counted('outer', counted('inner', { 'x-a': '1' })),
    'a Proxy of an array of pairs': () => counted('headers', [['x-a', '1'], ['x-b', '2']]),
    'an array of Proxies of pairs, one too long': () => [counted('pair', ['x-a', '1']), counted('pair', ['x-b', '2', '3'])],
    'an array holding a Proxy of a record': () => [counted('pair', { 0: 'x-a', 1: '1' })],
    'an iterable whose iterator and results are Proxies': () => ({
      [Symbol.iterator]() {
        log.push('iterator');
        let i = 0;
        return counted('iterator', { next: () => counted('result', i++ < 2 ? { done: false, value: counted('pair', [`x-${i}`, '1']) } : { done: true }) });
      },
    }),
    'an iterable with a non-object item': () => ({ *[Symbol.iterator]() { yield ['x-a', '1']; yield 5; } }),
    'a Proxy of a Headers': () => counted('headers', new Headers({ 'x-a': '1' })),
    'a Headers with its own iterator': () => ownIterator('headers iterator', new Headers({ 'x-a': '1' })),
    'an array with its own iterator': () => ownIterator('array iterator', [['x-a', '1']]),
    'a pair with its own iterator': () => [ownIterator('pair iterator', ['x-a', '1'])],
    'a Map': () => new Map([['x-a', '1']]),
    'a Proxy of a Map': () => counted('headers', new Map([['x-a', '1']])),
    'a Proxy of a URLSearchParams': () => counted('headers', new URLSearchParams('x-a=1')),
    'a generator': () => (function* () { log.push('generator'); yield ['x-a', '1']; log.push('generator end'); })(),
    'a revoked Proxy': () => counted('headers', { 'x-a': '1' }, true),
    'a string': () => 'x-a',
  };
  for (const [label, make] of Object.entries(withHeaders)) {
    const headers = make();
    log.length = 0;
    const end = await ended(fetch('/probe-reads', { headers, signal }));
    facts[`fetch reads: headers, ${label}`] = `${log.splice(0).join()} => ${end}`;
  }
  const requests = {
    'init, a Proxy whose headers is a Proxy': () => ['/probe-reads', counted('init', { method: 'PUT', headers: counted('headers', { 'x-a': '1' }), signal })],
    'input, a Proxy of an object with toString': () => [counted('input', { toString: () => '/probe-reads' }), { signal }],
    'input, a Proxy of a URL': () => [counted('input', new URL('/probe-reads', location.href)), { signal }],
    'input, a Proxy of a Request': () => [counted('input', new Request('/probe-reads')), { signal }],
    'input, a Proxy of a function': () => [counted('input', () => {}), { signal }],
    'input and init, Proxies': () => [counted('input', { toString: () => '/probe-reads' }), counted('init', { headers: counted('headers', [['x-a', '1']]), signal })],
    'input, a Request, and init, a Proxy': () => [new Request('/probe-reads', { headers: { 'x-b': '2' } }), counted('init', { headers: counted('headers', { 'x-a': '1' }), signal })],
  };
  for (const [label, make] of Object.entries(requests)) {
    const args = make();
    log.length = 0;
    const end = await ended(fetch(...args));
    facts[`fetch reads: ${label}`] = `${log.splice(0).join()} => ${end}`;
  }
  // Array iteration replaced: Chromium's native reads an array by index all the same.
  const values = Array.prototype[Symbol.iterator];
  Array.prototype[Symbol.iterator] = function () {
    log.push('Array.prototype[Symbol.iterator]');
    return values.call(this);
  };
  let replaced;
  try {
    replaced = fetch('/probe-reads', { headers: [['x-a', '1'], ['x-b', '2']], signal });
  } finally {
    Array.prototype[Symbol.iterator] = values;
  }
  const calls = log.splice(0).join();
  facts['fetch reads: headers, an array while array iteration is replaced'] = `${calls} => ${await ended(replaced)}`;
  const xhr = new XMLHttpRequest();
  xhr.open('GET', counted('url', { toString: () => '/probe-reads' }));
  fact('xhr reads: open, a Proxy URL', () => log.splice(0).join());
  xhr.abort();
  // What reaches the server: a custom header makes this cross-origin GET preflighted, and its
  // preflight refuses it; without one it goes simple and is allowed.
  const preflighted = `${location.origin.replace('//app.lab.test', '//api.lab.test')}/s/preflight-header-not-allowed`;
  const sent = {
    'no header': () => undefined,
    'a record': () => ({ 'x-probe': '1' }),
    'a Proxy of a record': () => new Proxy({ 'x-probe': '1' }, {}),
    'an array': () => [['x-probe', '1']],
    'a Proxy of an array': () => new Proxy([['x-probe', '1']], {}),
    'a Headers': () => new Headers({ 'x-probe': '1' }),
    'a Map': () => new Map([['x-probe', '1']]),
    'a safelisted header': () => new Proxy({ accept: 'text/plain' }, {}),
  };
  for (const [label, make] of Object.entries(sent)) facts[`fetch sends: ${label}`] = await ended(fetch(preflighted, { headers: make() }));
}

// MessagePort.start(): addEventListener does not start a port, onmessage does.
async function portFacts() {
  const order = [];
  const ch = new MessageChannel();
  ch.port2.addEventListener('message', (e) => order.push('listener ' + e.data));
  ch.port1.postMessage('before start');
  const probe = new MessageChannel();
  await new Promise((resolve) => {
    probe.port2.onmessage = resolve;
    probe.port1.postMessage('tick');
  });
  order.push('tick');
  ch.port2.start();
  await new Promise((resolve) => {
    ch.port2.addEventListener('message', resolve, { once: true });
    ch.port1.postMessage('after start');
  });
  const ch2 = new MessageChannel();
  await new Promise((resolve) => {
    ch2.port2.onmessage = (e) => { order.push('onmessage ' + e.data); resolve(); };
    ch2.port1.postMessage('implicit start');
  });
  fact('ports: order', () => order.join(' | '));
  fact('ports: onmessage identity', () => typeof ch2.port2.onmessage);
  const bcOrder = [];
  const b1 = new BroadcastChannel('probe-bc');
  const b2 = new BroadcastChannel('probe-bc');
  await new Promise((resolve) => {
    b2.onmessage = (e) => { bcOrder.push('b2 ' + e.data + ' ' + e.origin); resolve(); };
    b1.postMessage('hello');
  });
  fact('broadcast: delivery', () => bcOrder.join());
  b1.close();
  b2.close();
  for (const p of [ch.port1, ch.port2, ch2.port1, ch2.port2, probe.port1, probe.port2]) p.close();
}

// A dedicated worker that answers each message with what it got (and how many ports came with it).
function echoWorker() {
  const source = 'onmessage = (e) => postMessage({ got: e.data, ports: e.ports.length })';
  return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
}

// A dedicated worker's messages, from the page's side: listener order, once, handleEvent,
// onmessage, removal, what the event carries, what the clone reads of the page's data.
async function workerFacts() {
  const worker = echoWorker();
  const calls = [];
  // Heard before all the other listeners (`stop` hides those after the stopper); resolves in a
  // task after the dispatch.
  let arrived = null;
  const tracker = () => arrived && setTimeout(arrived, 0);
  worker.addEventListener('message', tracker);
  const next = (data, transfer) => new Promise((resolve) => {
    arrived = resolve;
    worker.postMessage(data, transfer);
  });
  const a = (e) => calls.push('a ' + JSON.stringify(e.data));
  const b = { handleEvent(e) { calls.push('b ' + (this === b) + ' ' + e.data.got); } };
  worker.addEventListener('message', a);
  worker.addEventListener('message', a);
  worker.addEventListener('message', b, { once: true });
  worker.onmessage = (e) => calls.push(['onmessage', e.origin, e.source, e.isTrusted, e.lastEventId, e.ports.length, e.target === worker].join(' '));
  worker.addEventListener('message', (e) => { calls.push('stopper ' + e.data.got); if (e.data.got === 'stop') e.stopImmediatePropagation(); });
  worker.addEventListener('message', (e) => calls.push('last ' + e.eventPhase + ' ' + (e.currentTarget === worker)));
  await next('one');
  worker.removeEventListener('message', a);
  const channel = new MessageChannel();
  await next('two', [channel.port2]);
  worker.onmessage = null;
  await next('stop');
  worker.removeEventListener('message', tracker);
  fact('worker: calls', () => calls.join(' | '));
  onmessageFacts('worker', worker);
  const log = [];
  const data = { get a() { log.push('get a'); return 1; } };
  Object.defineProperty(data, 'toJSON', { value() { log.push('toJSON'); return {}; } });
  const echoed = new Promise((resolve) => worker.addEventListener('message', (e) => resolve(JSON.stringify(e.data)), { once: true }));
  worker.postMessage(data);
  fact('worker: clone reads during postMessage', () => log.join());
  facts['worker: what the clone carried'] = await echoed;
  // 200 messages make the hooks build their batch at once; a timer after that runs after theirs.
  for (let i = 0; i < 200; i++) worker.postMessage(i);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setTimeout(resolve, 0));
  fact('worker: clone reads after the batch', () => log.join());
  fact('worker: transferred buffer after postMessage', () => {
    const buffer = new ArrayBuffer(8);
    worker.postMessage(buffer, [buffer]);
    return buffer.byteLength;
  });
  worker.terminate();
  channel.port1.close();
}

// A page that formats stacks itself (V8's Error.prepareStackTrace, with a lowered
// stackTraceLimit) or reads them through its own Error.prototype.stack accessor (SpiderMonkey's):
// adding and removing message listeners must call neither, and leave Error as it was.
function stackHookFacts() {
  const calls = [];
  const keysBefore = Reflect.ownKeys(Error).map(String).join();
  const limit = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  const prepare = (e, sites) => {
    calls.push('prepareStackTrace');
    return `${e}: ${sites.length} sites`;
  };
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = 3;
  const stack = Object.getOwnPropertyDescriptor(Error.prototype, 'stack');
  if (stack && stack.get) {
    Object.defineProperty(Error.prototype, 'stack', {
      ...stack,
      get() {
        calls.push('stack getter');
        return stack.get.call(this);
      },
    });
  }
  const listener = () => {};
  addEventListener('message', listener);
  addEventListener('message', () => {}, { once: true });
  removeEventListener('message', listener);
  onmessage = () => {};
  onmessage = null;
  fact('stack hooks: page code run while listeners were added', () => calls.join() || 'none');
  fact('stack hooks: Error.prepareStackTrace kept', () => Error.prepareStackTrace === prepare && descriptorShape(Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')));
  fact('stack hooks: Error.stackTraceLimit kept', () => descriptorShape(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')));
  fact('stack hooks: the page\'s own error formatted by it', () => (stack && stack.get ? 'accessor' : String(new Error('mine').stack)));
  if (stack) Object.defineProperty(Error.prototype, 'stack', stack);
  delete Error.prepareStackTrace;
  if (limit) Object.defineProperty(Error, 'stackTraceLimit', limit);
  else delete Error.stackTraceLimit;
  fact('stack hooks: Error own keys after', () => [keysBefore, Reflect.ownKeys(Error).map(String).join()].join(' -> '));
  // A prepareStackTrace the page made an accessor: reading it is the page's to see.
  Object.defineProperty(Error, 'prepareStackTrace', { configurable: true, get() { calls.push('prepareStackTrace read'); } });
  addEventListener('message', listener);
  removeEventListener('message', listener);
  delete Error.prepareStackTrace;
  fact('stack hooks: page code run with an accessor prepareStackTrace', () => calls.join() || 'none');
}

// WebSocket as a class: statics, prototype, subclassing, Reflect.construct, instanceof.
function webSocketFacts() {
  const url = `${location.origin.replace('http', 'ws')}/ws`;
  class Sub extends WebSocket {
    constructor(u) {
      super(u);
      this.sub = true;
    }
  }
  const s = new Sub(url);
  fact('ws: subclass instance', () => [s instanceof Sub, s instanceof WebSocket, Object.getPrototypeOf(s) === Sub.prototype, s.sub, s.url].join());
  s.close();
  function F() {}
  F.prototype = Object.create(WebSocket.prototype);
  const r = Reflect.construct(WebSocket, [url], F);
  fact('ws: Reflect.construct with newTarget', () => [Object.getPrototypeOf(r) === F.prototype, r instanceof WebSocket].join());
  r.close();
  fact('ws: statics', () => [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED].join());
  fact('ws: prototype.constructor', () => WebSocket.prototype.constructor === WebSocket);
  fact('ws: prototype chain', () => Object.getPrototypeOf(WebSocket.prototype) === EventTarget.prototype);
  fact('ws: constructor proto', () => Object.getPrototypeOf(WebSocket) === EventTarget);
  fact('ws: WebSocket.prototype descriptor', () => descriptorShape(Object.getOwnPropertyDescriptor(WebSocket, 'prototype')));
  fact('ws: instanceof via Symbol.hasInstance', () => Function.prototype[Symbol.hasInstance].call(WebSocket, r));
}

(async () => {
  // An about:blank frame made first gives another realm's Function.prototype.toString.
  const realm = document.createElement('iframe');
  document.body.append(realm);
  const otherToString = realm.contentWindow.Function.prototype.toString;
  for (const [label, f] of Object.entries(hooked)) functionFacts(label, f, otherToString);
  holderFacts();
  await errorFacts();
  await frameFacts();
  await cloneFacts();
  await listenerFacts();
  await readFacts();
  await requestReadFacts();
  await portFacts();
  await workerFacts();
  webSocketFacts();
  stackHookFacts();
  document.documentElement.dataset.facts = JSON.stringify(facts);
  document.documentElement.dataset.done = 'true';
})().catch((e) => {
  document.documentElement.dataset.facts = JSON.stringify({ ...facts, probe: 'failed: ' + describeError(e) });
  document.documentElement.dataset.done = 'true';
});
