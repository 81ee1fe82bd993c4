import { describe, expect, it } from 'vitest';
import { angular, DEV_PROXIES, next, proxiesFor, vite, webpack } from '../../../../src/core/fix/dev-proxies';
import type { ProxyRoute } from '../../../../src/core/fix/dev-server';

const ROUTES: ProxyRoute[] = [
  { prefix: '/api-1', target: 'http://api.lab.test:8710', requests: ['r1'] },
  { prefix: '/api-2', target: 'https://api.other.test', requests: ['r2'] },
];

/** Evaluates a `module.exports = ...` file and returns its export. */
function commonJs(text: string): unknown {
  const module = { exports: {} as unknown };
  new Function('module', text)(module);
  return module.exports;
}

describe('dev-server proxies', () => {
  it('Vite: server.proxy entries with target, changeOrigin and a rewrite that strips the prefix', () => {
    let config: { server: { proxy: Record<string, { target: string; changeOrigin: boolean; rewrite: (p: string) => string }> } } | undefined;
    const text = vite.render(ROUTES).text;
    new Function('defineConfig', text.replace('export default', 'return'))((c: typeof config) => (config = c));
    const proxy = config!.server.proxy;
    expect(Object.keys(proxy)).toEqual(['/api-1/', '/api-2/']);
    expect(proxy['/api-1/']).toMatchObject({ target: 'http://api.lab.test:8710', changeOrigin: true });
    expect(proxy['/api-2/']!.rewrite('/api-2/s/x?y=1')).toBe('/s/x?y=1');
  });

  it('webpack-dev-server 5: proxy is an array of { context, target, changeOrigin, pathRewrite }', () => {
    const config = commonJs(webpack.render(ROUTES).text) as { devServer: { proxy: unknown[] } };
    expect(config.devServer.proxy).toEqual([
      { context: ['/api-1/'], target: 'http://api.lab.test:8710', changeOrigin: true, pathRewrite: { '^/api-1/': '/' } },
      { context: ['/api-2/'], target: 'https://api.other.test', changeOrigin: true, pathRewrite: { '^/api-2/': '/' } },
    ]);
  });

  it('Angular: proxy.conf.json keyed by path', () => {
    expect(JSON.parse(angular.render(ROUTES.slice(0, 1)).text)).toEqual({
      '/api-1/': { target: 'http://api.lab.test:8710', changeOrigin: true, pathRewrite: { '^/api-1/': '/' } },
    });
  });

  it('Next.js: rewrites from the prefix to the API', async () => {
    const config = commonJs(next.render(ROUTES).text) as { rewrites(): Promise<unknown> };
    expect(await config.rewrites()).toEqual([
      { source: '/api-1/:path*', destination: 'http://api.lab.test:8710/:path*' },
      { source: '/api-2/:path*', destination: 'https://api.other.test/:path*' },
    ]);
  });

  it.each(DEV_PROXIES.map((p) => [p.id, p] as const))('%s refuses a target that could break out of its syntax', (_id, p) => {
    for (const target of ['http://evil.test"});', 'http://a.test/\n', 'null']) {
      expect(() => p.render([{ prefix: '/api', target, requests: [] }])).toThrow(/Refusing/);
    }
  });

  it('offers the tools that fit the dev server it found', () => {
    expect(proxiesFor('vite').map((p) => p.id)).toEqual(['vite', 'angular']);
    expect(proxiesFor('webpack').map((p) => p.id)).toEqual(['webpack', 'angular']);
    expect(proxiesFor('next').map((p) => p.id)).toEqual(['next']);
  });
});
