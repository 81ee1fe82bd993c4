// The dev-server proxy, per tool: each route sends PREFIX/x on the dev server to TARGET/x,
// so the page calls PREFIX/x on its own origin and no CORS check happens at all. Matching is
// on PREFIX/ (with the slash), so /api-1 never catches /api-10's requests.
import type { DevServerKind, ProxyRoute } from './dev-server';
import { checkedOrigin, lines, quote, type Rendered } from './render';

export interface DevProxy {
  id: string;
  /** Display name (the tool and the file it configures). */
  name: string;
  /** The dev servers whose signature this tool leaves (Angular's CLI runs on Vite or on webpack-dev-server). */
  kinds: DevServerKind[];
  /** Throws, writing nothing, when a target is not safe to print. */
  render(routes: readonly ProxyRoute[]): Rendered;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const changePage = (routes: readonly ProxyRoute[]) =>
  `Then call the API through the dev server: ${routes.map((r) => `${r.target}/x becomes ${r.prefix}/x`).join('; ')}.`;
const COOKIES = "Cookies the API sets now belong to the dev server's origin, which is what a same-origin call sends back.";

/** A tool whose renderer sees checked targets only, its notes followed by what every proxy means for the page. */
function proxy(id: string, name: string, kinds: DevServerKind[], render: (routes: readonly ProxyRoute[]) => Rendered): DevProxy {
  return {
    id,
    name,
    kinds,
    render: (routes) => {
      const rendered = render(routes.map((r) => ({ ...r, target: checkedOrigin(r.target) })));
      return { text: rendered.text, notes: [...rendered.notes, changePage(routes), COOKIES] };
    },
  };
}

/** A CommonJS config file exporting one object with `body` as its lines. */
const moduleExports = (body: string[]) => lines(['module.exports = {', ...body, '};']);

export const vite = proxy('vite', 'Vite (vite.config.js server.proxy)', ['vite'], (routes) => ({
  text: lines([
    'export default defineConfig({',
    '  server: {',
    '    proxy: {',
    ...routes.flatMap((r) => [
      `      ${quote(`${r.prefix}/`)}: {`,
      `        target: ${quote(r.target)},`,
      '        changeOrigin: true,',
      `        rewrite: (path) => path.replace(/^${escapeRegExp(`${r.prefix}/`)}/, '/'),`,
      '      },',
    ]),
    '    },',
    '  },',
    '});',
  ]),
  notes: ['Merge server.proxy into the vite.config.js you have; it applies to `vite` (dev), not to the production build.'],
}));

export const webpack = proxy('webpack', 'webpack-dev-server 5 (webpack.config.js devServer.proxy)', ['webpack'], (routes) => ({
  text: moduleExports([
    '  devServer: {',
    '    proxy: [',
    ...routes.flatMap((r) => [
      '      {',
      `        context: [${quote(`${r.prefix}/`)}],`,
      `        target: ${quote(r.target)},`,
      '        changeOrigin: true,',
      `        pathRewrite: { ${quote(`^${r.prefix}/`)}: '/' },`,
      '      },',
    ]),
    '    ],',
    '  },',
  ]),
  notes: ['webpack-dev-server 5 takes proxy as an array (4 took an object keyed by path); it runs http-proxy-middleware.'],
}));

export const angular = proxy('angular', 'Angular CLI (proxy.conf.json)', ['vite', 'webpack'], (routes) => ({
  text: `${JSON.stringify(
    Object.fromEntries(routes.map((r) => [`${r.prefix}/`, { target: r.target, changeOrigin: true, pathRewrite: { [`^${r.prefix}/`]: '/' } }])),
    null,
    2,
  )}\n`,
  notes: ['Point ng serve at it: `ng serve --proxy-config proxy.conf.json`, or "proxyConfig" in angular.json\'s serve options.'],
}));

export const next = proxy('next', 'Next.js (next.config.js rewrites)', ['next'], (routes) => ({
  text: moduleExports([
    '  async rewrites() {',
    '    return [',
    ...routes.map((r) => `      { source: ${quote(`${r.prefix}/:path*`)}, destination: ${quote(`${r.target}/:path*`)} },`),
    '    ];',
    '  },',
  ]),
  notes: [
    'Rewrites run in production too (the Next server proxies), not only under next dev.',
    "Your own API routes (pages/api, app/api) win over a rewrite of the same path: pick another prefix if you have them.",
  ],
}));

export const DEV_PROXIES: readonly DevProxy[] = [vite, webpack, angular, next];

/** The proxies that fit a dev server of `kind`, the tool it is first. */
export function proxiesFor(kind: DevServerKind): DevProxy[] {
  return DEV_PROXIES.filter((p) => p.kinds.includes(kind));
}
