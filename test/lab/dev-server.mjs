// The lab's dev server: what `vite` or webpack-dev-server is to a real project. It serves the
// dev page on dev.localhost (a name browsers keep on loopback), a stand-in for Vite's client
// at /@vite/client (its path is what gives a Vite dev server away), and proxies /api/ to
// api.lab.test with http-proxy-middleware, the proxy webpack-dev-server runs, configured as
// Origin Lens's webpack-dev-server fix writes it.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProxyMiddleware } from 'http-proxy-middleware';

const page = join(dirname(fileURLToPath(import.meta.url)), 'page');

// The lab's names resolve to loopback for the proxy too, as they do in the lab's browsers.
const loopback = new Agent({
  lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)),
});

/** A handler for the dev page's host, true when it answered; `api` is the lab API's origin on the same scheme and port. */
export function devServer(api) {
  const proxy = createProxyMiddleware({ pathFilter: '/api/', target: api, changeOrigin: true, pathRewrite: { '^/api/': '/' }, agent: loopback });
  return (req, res, route) => {
    if (route.startsWith('/api/')) {
      void proxy(req, res, () => res.writeHead(404).end());
      return true;
    }
    const file = route === '/' ? 'dev.html' : route === '/@vite/client' ? 'dev-client.js' : null;
    if (file === null) return false;
    res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(readFileSync(join(page, file)));
    return true;
  };
}
