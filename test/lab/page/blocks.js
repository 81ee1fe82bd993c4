// The beyond-CORS pages (corp, coep, orb, mixed-content, coop, local-network .html): each loads
// resources the browser may refuse for reasons other than CORS and shows what the page saw,
// judged by the page's own signals only: the element's load or error event, the fetch's
// promise, the frame's or popup's "loaded" message. Results go to window.blockResults (id ->
// { ok, expect, text }) and <html data-blocks-done> for tests. Every resource URL carries
// `id=ID`, so a session log can be matched back to its case.
const results = (window.blockResults = {});

/** A resource of the lab's /block/res route on `origin` (see server.mjs blockResource). */
export function res(origin, query = {}) {
  return `${origin}/block/res?${new URLSearchParams(query)}`;
}

/** The lab's origins of both schemes: { http: {...}, https: {...} }. */
export async function labOrigins() {
  return (await fetch('/block/origins')).json();
}

const outcome = (ok, text) => ({ ok, text });

function element(tag, c) {
  return new Promise((resolve) => {
    const el = document.createElement(tag);
    if (c.crossOrigin) el.crossOrigin = c.crossOrigin;
    el.onload = () => resolve(outcome(true, `${tag} load event`));
    el.onerror = () => resolve(outcome(false, `${tag} error event`));
    if (tag === 'link') {
      el.rel = 'stylesheet';
      el.href = c.url;
    } else el.src = c.url;
    (tag === 'img' ? document.body : document.head).append(el);
  });
}

/** Resolves with `ok` once the document at `c.id` posts its "loaded" message. */
function loadedMessage(id) {
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.data?.blockLoaded !== id) return;
      removeEventListener('message', onMessage);
      resolve(outcome(true, `the document posted its message (from ${event.origin})`));
    };
    addEventListener('message', onMessage);
  });
}

// A refused frame fires `load` in Chromium (its error page loads instead) and nothing in
// Firefox. Its own message comes before `load`, so one still missing a second after `load`, or
// FRAME_DEADLINE_MS after the frame was added, is not coming.
const FRAME_GRACE_MS = 1000;
const FRAME_DEADLINE_MS = 5000;

function frame(c) {
  const iframe = document.createElement('iframe');
  const missing = new Promise((resolve) => {
    const give = (why) => resolve(outcome(false, why));
    iframe.onload = () => setTimeout(() => give('the frame loaded without posting its message'), FRAME_GRACE_MS);
    setTimeout(() => give('no message from the frame, and no load event'), FRAME_DEADLINE_MS);
  });
  iframe.src = c.url;
  document.getElementById('frames').append(iframe);
  return Promise.race([loadedMessage(c.id), missing]);
}

// A popup cut off from its opener by Cross-Origin-Opener-Policy shows as closed to the opener.
function popup(c) {
  const message = loadedMessage(c.id);
  const w = window.open(c.url, `block-${c.id}`);
  if (w === null) return Promise.resolve(outcome(false, 'window.open returned null (popup blocked)'));
  const severed = new Promise((resolve) => {
    const check = () => (w.closed ? resolve(outcome(false, 'the popup lost its opener: window closed to this page, no message')) : setTimeout(check, 50));
    check();
  });
  return Promise.race([message, severed]);
}

const LOADERS = {
  img: (c) => element('img', c),
  script: (c) => element('script', c),
  stylesheet: (c) => element('link', c),
  fetch: (c) =>
    fetch(c.url, c.init).then(
      (r) => outcome(true, `fetch resolved (${r.type}, status ${r.status})`),
      (e) => outcome(false, `fetch rejected: ${e}`),
    ),
  frame,
  popup,
};

function show(c, result) {
  const tr = document.createElement('tr');
  for (const [text, cls] of [[c.what, ''], [c.expect, ''], [result.text, result.ok ? 'ok' : 'fail']]) {
    const td = document.createElement('td');
    td.textContent = text;
    td.className = cls;
    tr.append(td);
  }
  document.getElementById('rows').append(tr);
}

/**
 * Runs `cases` one after the other: { id, kind (img, script, stylesheet, fetch, frame, popup), url, what,
 * expect ('blocked' or 'loads'), crossOrigin?, init? }.
 */
export async function run(cases) {
  const isolation = document.createElement('p');
  isolation.textContent = `crossOriginIsolated: ${window.crossOriginIsolated}; this page's query: ${location.search || '(none)'}`;
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>load</th><th>expected</th><th>what the page saw</th></tr></thead><tbody id="rows"></tbody>';
  const frames = document.createElement('div');
  frames.id = 'frames';
  document.body.append(isolation, table, frames);
  for (const c of cases) {
    const withId = { ...c, url: `${c.url}${c.url.includes('?') ? '&' : '?'}id=${c.id}` };
    const result = await LOADERS[c.kind](withId);
    results[c.id] = { ...result, expect: c.expect, url: withId.url, kind: c.kind };
    show(c, result);
  }
  document.documentElement.dataset.blocksDone = 'true';
}
