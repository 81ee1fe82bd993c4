// The cookie lab's steps (see cookies.mjs): have cookies set, log in at the other site, come
// back, make the requests and show what the server received for each. Each request's query id
// is `RUN-ID`; `?run=RUN` names the run (a fresh one by default), `phase=send` is the way back.
import { jar, login, setters, requests } from '/page/cookies.mjs';
import { origins } from '/page/origins.js';

const params = new URLSearchParams(location.search);
const run = (params.get('run') ?? '').replace(/[^\w-]/g, '') || Math.random().toString(36).slice(2, 10);
const url = (target, path, id) => `${origins[target]}${path}?id=${run}-${id}`;
const results = (window.cookieResults = {});

document.getElementById('page-origin').textContent = origins.app;
document.getElementById('api-origin').textContent = origins.api;
document.getElementById('other-api-origin').textContent = origins.otherApi;
document.getElementById('jar').textContent = jar.map((c) => c.name).join(', ');
document.getElementById('login').textContent = login.map((c) => c.name).join(', ');
const status = document.getElementById('status');

/** Resolves with what the page saw: whether the request succeeded (the page never reads the cookie itself). */
function send(r) {
  const target = url(r.target, r.kind === 'img' ? '/cookie/pixel.gif' : '/cookie/echo', r.id);
  if (r.kind === 'fetch') {
    return fetch(target, { credentials: r.credentials }).then(
      (res) => ({ ok: true, text: `fetch (credentials: ${r.credentials}) resolved, status ${res.status}` }),
      (e) => ({ ok: false, text: `fetch (credentials: ${r.credentials}) rejected: ${e}` }),
    );
  }
  return new Promise((resolve) => {
    if (r.kind === 'xhr') {
      const xhr = new XMLHttpRequest();
      xhr.withCredentials = true;
      xhr.open('GET', target);
      xhr.onload = () => resolve({ ok: true, text: `XHR (withCredentials) loaded, status ${xhr.status}` });
      xhr.onerror = () => resolve({ ok: false, text: 'XHR (withCredentials) failed' });
      xhr.send();
    } else {
      const img = new Image();
      img.onload = () => resolve({ ok: true, text: 'image loaded' });
      img.onerror = () => resolve({ ok: false, text: 'image failed' });
      img.src = target;
    }
  });
}

function show(r, saw, received) {
  const tr = document.createElement('tr');
  const cookie = received === undefined ? '(not received)' : received.cookie ?? '(no Cookie header)';
  for (const [text, cls] of [[r.id, ''], [origins[r.target], ''], [saw.text, saw.ok ? '' : 'fail'], [cookie, 'result']]) {
    const td = document.createElement('td');
    td.textContent = text;
    td.className = cls;
    tr.append(td);
  }
  document.getElementById('rows').append(tr);
}

async function setAndLogin() {
  for (const s of setters) {
    await fetch(url(s.target, '/cookie/set', s.id), { credentials: 'include' }).catch(() => null);
  }
  status.textContent = 'Logging in at the other site…';
  location.assign(`${url('otherApi', '/cookie/login', 'login')}&run=${run}`);
}

async function sendAll() {
  status.textContent = 'Sending…';
  for (const r of requests) results[r.id] = await send(r);
  // A cookie the page's script sets once the requests went: none of them could carry it, and
  // none of them held it back (the extension reads the jar after them).
  document.cookie = 'late=1; Domain=lab.test; Path=/; Secure; SameSite=None';
  // The server's log is the only witness of what the browser sent.
  const received = await (await fetch(`/__received?id=${run}`)).json();
  for (const r of requests) show(r, results[r.id], received.find((e) => e.id === r.id));
  status.textContent = `Run ${run} done.`;
  document.documentElement.dataset.cookiesDone = 'true';
}

if (params.get('phase') === 'send') void sendAll();
else void setAndLogin();
