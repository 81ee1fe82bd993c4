// Runs the lab's scenarios and writes what the browser did next to each one.
// Results are also kept in window.labResults for tests; `?run=a,b` runs only those ids,
// `?run=none` runs nothing until "Run all again" is pressed.
import { scenarios } from '/page/scenarios.mjs';
import { origins } from '/page/origins.js';

document.getElementById('page-origin').textContent = origins.app;
document.getElementById('api-origin').textContent = origins.api;
document.getElementById('other-origin').textContent = origins.other;

const results = (window.labResults = {});
const rows = document.getElementById('rows');
const params = new URLSearchParams(location.search);
const runParam = params.get('run');
const selected = runParam === null || runParam === 'all' ? null : new Set(runParam.split(','));
const wanted = (id) => selected === null || selected.has(id);

function row(id, title, technique, expected) {
  let tr = document.getElementById(`row-${id}`);
  if (!tr) {
    tr = document.createElement('tr');
    tr.id = `row-${id}`;
    for (const text of [title, technique, '…', expected]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tr.children[2].className = 'result';
    rows.append(tr);
  }
  return tr.children[2];
}

function show(id, cell, result, cls) {
  results[id] = result;
  cell.textContent = result.text;
  cell.className = `result ${cls}`;
}

async function runFetch(s) {
  const url = origins[s.target] + (s.path ?? `/s/${s.id}`);
  const cell = row(s.id, s.title, s.technique, s.expect.outcome + (s.expect.reason ? ` (${s.expect.reason})` : ''));
  const attempts = [];
  for (let i = 0; i < (s.repeat ?? 1); i++) {
    try {
      const res = await fetch(url, {
        method: s.request.method,
        headers: s.request.headers,
        body: s.request.body,
        credentials: s.request.credentials ?? 'same-origin',
        mode: s.request.mode ?? 'cors',
      });
      const read = Object.fromEntries((s.read ?? []).map((h) => [h, res.headers.get(h)]));
      attempts.push({ ok: true, status: res.status, type: res.type, read });
    } catch (e) {
      attempts.push({ ok: false, error: String(e) });
    }
  }
  const last = attempts[attempts.length - 1];
  const text = last.ok
    ? `fetch resolved: ${last.type} response, status ${last.status}` +
      (Object.keys(last.read).length ? `; script can read ${JSON.stringify(last.read)}` : '')
    : `fetch rejected: ${last.error}`;
  show(s.id, cell, { ...last, attempts, url, text }, last.ok ? (last.type === 'opaque' ? 'opaque' : 'ok') : 'fail');
}

function runJsonp() {
  const cell = row('jsonp', 'JSONP: a script from another site calls back into the page', 'jsonp', 'loads; any site can read it');
  return new Promise((resolve) => {
    window.labJsonp = (data) => {
      show('jsonp', cell, { ok: true, data, text: `callback ran with ${JSON.stringify(data)}` }, 'ok');
      resolve();
    };
    const script = document.createElement('script');
    script.src = `${origins.other}/jsonp?callback=labJsonp`;
    script.onerror = () => {
      show('jsonp', cell, { ok: false, text: 'script failed to load' }, 'fail');
      resolve();
    };
    document.head.append(script);
  });
}

function runImage() {
  const cell = row('image', 'Cross-site image (no-cors): it shows, script cannot read its pixels', 'no-cors', 'opaque');
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      show('image', cell, { ok: true, text: `image loaded (${img.naturalWidth}×${img.naturalHeight})` }, 'opaque');
      resolve();
    };
    img.onerror = () => {
      show('image', cell, { ok: false, text: 'image failed' }, 'fail');
      resolve();
    };
    img.src = `${origins.other}/pixel.gif`;
  });
}

function runWebSocket() {
  const cell = row('websocket', 'WebSocket to another site: the server sees Origin but CORS does not apply', 'websocket', 'opens, echoes, closes with 4000');
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origins.other.replace('http', 'ws')}/ws`);
    ws.binaryType = 'arraybuffer';
    const received = [];
    ws.addEventListener('open', () => {
      ws.send('hello lab');
      ws.send(new Uint8Array([1, 2, 3, 4]));
    });
    ws.addEventListener('message', (e) => {
      received.push(typeof e.data === 'string' ? e.data : `binary ${e.data.byteLength} bytes`);
      if (received.length === 2) ws.send('close');
    });
    ws.addEventListener('close', (e) => {
      show('websocket', cell, { ok: true, received, code: e.code, reason: e.reason, text: `echoed ${JSON.stringify(received)}; closed ${e.code} ${e.reason}` }, 'ok');
      resolve();
    });
    ws.addEventListener('error', () => {
      show('websocket', cell, { ok: false, text: 'WebSocket error' }, 'fail');
      resolve();
    });
  });
}

// Three listeners as real pages write them: one checks the origin, one checks it weakly, one not at all.
const frameMessages = [];
window.addEventListener('message', (event) => {
  if (event.origin !== origins.other) return;
  frameMessages.push(event.data);
});
window.addEventListener('message', (event) => {
  if (event.origin.indexOf('other.test') === -1) return;
});
let lastReply = null;
window.addEventListener('message', (event) => {
  if (event.data && event.data.kind === 'reply') lastReply = event.data;
});

function runFrame() {
  const cell = row('postmessage', 'Cross-site iframe and page exchange postMessage', 'postMessage', '3 messages from the frame');
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.src = `${origins.other}/page/frame.html?parent=${encodeURIComponent(origins.app)}`;
    const done = () => {
      show('postmessage', cell, { ok: true, messages: frameMessages.slice(), lastReply, text: `page received ${JSON.stringify(frameMessages)}` }, 'ok');
      resolve();
    };
    window.addEventListener('message', function waitReply(event) {
      if (event.origin === origins.other && event.data?.kind === 'reply') {
        window.removeEventListener('message', waitReply);
        done();
      }
    });
    frame.addEventListener('load', () => frame.contentWindow.postMessage({ kind: 'ping' }, origins.other));
    document.getElementById('frame-slot').replaceChildren(frame);
  });
}

document.getElementById('open-popup').addEventListener('click', () => {
  const cell = row('popup', 'Cross-site popup replies to its opener', 'postMessage', 'a reply from the popup');
  const popup = window.open(`${origins.other}/page/popup.html?opener=${encodeURIComponent(origins.app)}`, 'lab-popup', 'width=420,height=200');
  window.addEventListener('message', function onReply(event) {
    if (event.source !== popup) return;
    window.removeEventListener('message', onReply);
    show('popup', cell, { ok: true, data: event.data, text: `popup said ${JSON.stringify(event.data)}` }, 'ok');
    popup.close();
  });
});

async function runAll() {
  document.documentElement.dataset.labDone = 'false';
  for (const s of scenarios) if (wanted(s.id)) await runFetch(s);
  if (wanted('jsonp')) await runJsonp();
  if (wanted('image')) await runImage();
  if (wanted('websocket')) await runWebSocket();
  if (wanted('postmessage')) await runFrame();
  document.documentElement.dataset.labDone = 'true';
}

document.getElementById('run-all').addEventListener('click', () => {
  void runAll();
});
if (runParam !== 'none') void runAll();
