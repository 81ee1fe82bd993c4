// The dev page's two calls to one API endpoint: straight (cross-origin, blocked) and through
// the dev server's proxy (same-origin). Results are kept in window.devResults for tests.
const api = location.origin.replace('//dev.localhost', '//api.lab.test');
const path = '/s/missing-allow-origin';
document.getElementById('page-origin').textContent = location.origin;
document.getElementById('api-origin').textContent = api;

const results = (window.devResults = {});
const rows = document.getElementById('rows');

async function call(name, url) {
  const tr = document.createElement('tr');
  for (const text of [name, url, '…']) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
  rows.append(tr);
  const cell = tr.children[2];
  try {
    const r = await fetch(url, { cache: 'no-store' });
    const body = await r.json();
    results[name] = { ok: true, status: r.status, body };
    cell.textContent = `${r.status}: read ${JSON.stringify(body)}`;
    cell.className = 'result ok';
  } catch (e) {
    results[name] = { ok: false, error: String(e) };
    cell.textContent = `blocked: ${e}`;
    cell.className = 'result fail';
  }
}

await call('direct', `${api}${path}`);
await call('proxied', `/api${path}`);
document.documentElement.dataset.devDone = 'true';
