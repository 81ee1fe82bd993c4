// A request-heavy page: N cross-origin GETs to api.lab.test (/s/simple-allowed, which reflects
// the Origin), at most C in flight. When the last one settles it writes the elapsed time (from
// before the first fetch to the last completion, performance.now()) into window.burst and the DOM.
(() => {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 500);
  const c = Number(params.get('c') ?? 6);
  const api = location.origin.replace('//app.lab.test', '//api.lab.test');
  const status = document.getElementById('status');
  let next = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const one = async () => {
    while (next < n) {
      const i = next++;
      try {
        const r = await fetch(`${api}/s/simple-allowed?i=${i}`);
        await r.text();
        if (r.ok) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  // A promise as well as the value, so that a driver can await it instead of polling.
  window.burstDone = Promise.all(Array.from({ length: Math.min(c, n) }, one)).then(() => {
    const ms = performance.now() - started;
    window.burst = { done: true, n, concurrency: c, ok, failed, ms };
    status.textContent = `done: ${ok} ok, ${failed} failed in ${ms.toFixed(1)} ms`;
    document.body.dataset.done = 'true';
    return window.burst;
  });
})();
