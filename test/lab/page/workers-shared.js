// The workers lab's shared worker: told the API's origin by a page, it fetches one URL CORS
// allows and posts what it got back on that page's port.
self.onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = async (m) => {
    try {
      const res = await fetch(`${m.data.api}/s/simple-allowed?id=shared-allowed`);
      port.postMessage({ 'shared-allowed': { ok: true, status: res.status, type: res.type } });
    } catch (err) {
      port.postMessage({ 'shared-allowed': { ok: false, error: String(err) } });
    }
  };
};
