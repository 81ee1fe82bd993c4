// The workers lab's dedicated worker: told the API's origin, it fetches one URL CORS allows and
// one it blocks, echoes a text over a WebSocket, and posts what it got to the page.
async function get(url) {
  try {
    const res = await fetch(url);
    return { ok: true, status: res.status, type: res.type };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

function echo(url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.onopen = () => socket.send('hello from the worker');
    socket.onmessage = (e) => {
      socket.close();
      resolve({ ok: true, echoed: e.data });
    };
    socket.onerror = () => resolve({ ok: false });
  });
}

self.onmessage = async (e) => {
  const { api } = e.data;
  const ws = self.location.origin.replace(/^http/, 'ws');
  postMessage({
    'worker-allowed': await get(`${api}/s/simple-allowed?id=w-allowed`),
    'worker-blocked': await get(`${api}/s/missing-allow-origin?id=w-blocked`),
    'worker-socket': await echo(`${ws}/ws?id=w-ws`),
  });
};
