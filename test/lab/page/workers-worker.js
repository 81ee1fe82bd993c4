// The workers lab's dedicated worker: told the API's origin, it fetches one URL CORS allows and
// one it blocks, echoes a text over a WebSocket, and posts what it got to the page; then it talks
// with the page.
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

// Told to talk (one end of a MessageChannel transferred with it), it answers the page on each way
// a page and its worker talk: the worker itself, the port, and a BroadcastChannel; each answer
// says what it heard. Its first message on the channel tells the page that the channel has
// joined (workers.js), so that the page's message does not go out before it.
function talk(first, port) {
  const channel = new BroadcastChannel('workers-lab');
  port.onmessage = (m) => port.postMessage(`worker heard on the port: ${m.data}`);
  channel.onmessage = (m) => channel.postMessage(`worker heard on the channel: ${m.data}`);
  channel.postMessage('worker on the channel');
  postMessage(`worker heard: ${first}`);
}

self.onmessage = async (e) => {
  if (e.data.talk) return talk(e.data.talk, e.ports[0]);
  const { api } = e.data;
  const ws = self.location.origin.replace(/^http/, 'ws');
  postMessage({
    'worker-allowed': await get(`${api}/s/simple-allowed?id=w-allowed`),
    'worker-blocked': await get(`${api}/s/missing-allow-origin?id=w-blocked`),
    'worker-socket': await echo(`${ws}/ws?id=w-ws`),
  });
};
