// The secrets lab's steps (see secrets.mjs): each puts the planted tokens where secrets travel.
import { planted } from '/page/secrets.mjs';
import { origins } from '/page/origins.js';

document.getElementById('planted').textContent = JSON.stringify(planted, null, 2);
const status = document.getElementById('status');
const query = `access_token=${planted.accessToken}`;

async function plant() {
  await fetch(`${origins.api}/secret/login`, { credentials: 'include' });
  // Preflighted: the key and the JWT ride in headers, the cookie goes along.
  await fetch(`${origins.api}/secret/echo?${query}`, { credentials: 'include', headers: { 'X-Api-Key': planted.apiKey, Authorization: `Bearer ${planted.jwt}` } });
  await fetch(`${origins.api}/secret/redirect?${query}`, { credentials: 'include' });
  await new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origins.api.replace('http', 'ws')}/ws?${query}`);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: planted.jwt }));
    ws.onmessage = () => ws.send('close');
    ws.onclose = resolve;
    ws.onerror = reject;
  });
  await new Promise((resolve) => {
    window.addEventListener('message', (e) => e.origin === location.origin && resolve(), { once: true });
    window.postMessage({ kind: 'session', idToken: planted.jwt }, location.origin);
  });
}

plant().then(
  () => (status.textContent = 'Planted.'),
  (e) => (status.textContent = `Failed: ${e}`),
).finally(() => (document.documentElement.dataset.secretsDone = 'true'));
