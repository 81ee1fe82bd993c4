// The workers lab's service worker (scope /page/). It passes requests marked `id=sw-pass` through
// with fetch(event.request), and answers /page/sw-answer itself after a fetch of its own to the
// API, which sends no Access-Control-Allow-Origin: CORS blocks it. It posts what it got to the
// page that asked. Everything else goes to the network as if it were not there.
const api = self.location.origin.replace('//app.lab.test', '//api.lab.test');

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function report(clientId, step, result) {
  const client = await self.clients.get(clientId);
  client?.postMessage({ step, result });
}

async function passThrough(event) {
  try {
    const res = await fetch(event.request);
    await report(event.clientId, 'sw-pass', { ok: true, status: res.status, type: res.type });
    return res;
  } catch (e) {
    await report(event.clientId, 'sw-pass', { ok: false, error: String(e) });
    throw e;
  }
}

async function answer(event) {
  let own;
  try {
    const res = await fetch(`${api}/s/missing-allow-origin?id=sw-own`);
    own = { ok: true, status: res.status, type: res.type };
  } catch (e) {
    own = { ok: false, error: String(e) };
  }
  await report(event.clientId, 'sw-own', own);
  return new Response(JSON.stringify({ answeredBy: 'service worker', own }), { headers: { 'Content-Type': 'application/json' } });
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.searchParams.get('id') === 'sw-pass') event.respondWith(passThrough(event));
  else if (url.pathname === '/page/sw-answer') event.respondWith(answer(event));
});
