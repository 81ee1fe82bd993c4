// The workers lab's page: registers the service worker, waits until it controls the page, then
// runs each step and shows what the page and each worker got. Results land in
// window.workerResults (one entry per step, as the page or the worker reported it);
// data-workers-done="true" on <html> when all are in.
import { origins } from '/page/origins.js';

const results = (window.workerResults = {});
const rows = document.getElementById('rows');

function show(step, who, result) {
  results[step] = result;
  const tr = document.createElement('tr');
  for (const text of [step, who, JSON.stringify(result)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  rows.append(tr);
}

const got = (promise) => promise.then(
  async (res) => ({ ok: true, status: res.status, type: res.type, body: await res.text() }),
  (e) => ({ ok: false, error: String(e) }),
);

// What the service worker reports, by step, whenever it arrives.
const reported = new Map();
const waiting = new Map();
navigator.serviceWorker.addEventListener('message', (e) => {
  const { step, result } = e.data;
  reported.set(step, result);
  waiting.get(step)?.(result);
});
const fromServiceWorker = (step) => reported.has(step) ? Promise.resolve(reported.get(step)) : new Promise((resolve) => waiting.set(step, resolve));

async function controlled() {
  await navigator.serviceWorker.register('/page/workers-sw.js', { scope: '/page/' });
  if (navigator.serviceWorker.controller) return;
  // The worker claims its clients as it activates.
  await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
}

function dedicatedWorker() {
  return new Promise((resolve) => {
    const worker = new Worker('/page/workers-worker.js');
    worker.onmessage = (e) => resolve({ worker, got: e.data });
    worker.postMessage({ api: origins.api });
  });
}

// The page and its dedicated worker talk on the worker itself, a MessageChannel (one end
// transferred to the worker) and a BroadcastChannel (`channel`): what the page sent on each, and
// what it got back (the worker's answers say what the worker heard).
function talk(worker, channel) {
  const sent = { worker: { talk: 'page to worker' }, port: 'page to port', broadcast: 'page to channel' };
  const got = {};
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    const heard = (kind) => (e) => {
      got[kind] = e.data;
      // The worker listens on the port once it has answered on itself.
      if (kind === 'worker') port1.postMessage(sent.port);
      if (Object.keys(got).length === 3) {
        channel.close();
        port1.close();
        resolve({ sent, got });
      }
    };
    worker.addEventListener('message', heard('worker'), { once: true });
    port1.onmessage = heard('port');
    // A BroadcastChannel joins its name in the browser after its constructor returns: a message
    // posted before the worker's has joined never reaches it (Chromium lost about 1 in 12). The
    // worker's own first message on it shows it has joined.
    channel.onmessage = (e) => (e.data === CHANNEL_JOINED ? channel.postMessage(sent.broadcast) : heard('broadcast')(e));
    worker.postMessage(sent.worker, [port2]);
  });
}

function sharedWorker() {
  return new Promise((resolve) => {
    const worker = new SharedWorker('/page/workers-shared.js');
    worker.port.onmessage = (e) => resolve(e.data);
    worker.port.postMessage({ api: origins.api });
  });
}

/** What the dedicated worker first posts on the BroadcastChannel. */
const CHANNEL_JOINED = 'worker on the channel';

async function run() {
  // Made long before the worker's: the worker's first message on the channel must find it joined.
  const channel = new BroadcastChannel('workers-lab');
  await controlled();
  // Passed through by the service worker: its fetch(event.request) keeps this request's mode.
  show('page-pass', 'page', await got(fetch(`${origins.api}/s/simple-allowed?id=sw-pass`)));
  show('sw-pass', 'service worker', await fromServiceWorker('sw-pass'));
  // Answered by the service worker itself, after a cross-origin fetch of its own that CORS blocks.
  show('page-answer', 'page', await got(fetch('/page/sw-answer?id=sw-answer')));
  show('sw-own', 'service worker', await fromServiceWorker('sw-own'));
  const { worker, got: fromWorker } = await dedicatedWorker();
  for (const [step, result] of Object.entries(fromWorker)) show(step, 'dedicated worker', result);
  show('talk', 'page and dedicated worker', await talk(worker, channel));
  const shared = await sharedWorker();
  for (const [step, result] of Object.entries(shared)) show(step, 'shared worker', result);
  document.getElementById('status').textContent = 'Done.';
  document.documentElement.dataset.workersDone = 'true';
}

run().catch((e) => {
  document.getElementById('status').textContent = `Failed: ${e}`;
  document.documentElement.dataset.workersDone = 'failed';
});
