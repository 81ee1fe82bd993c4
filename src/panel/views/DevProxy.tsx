import { proxiesFor } from '../../core/fix/dev-proxies';
import type { DevServerFix } from '../../core/fix/dev-server';
import { ConfigBlock } from './ConfigBlock';

const KIND_NAMES: Record<DevServerFix['server']['kind'], string> = { vite: 'Vite', webpack: 'webpack-dev-server', next: 'Next.js' };

/** The dev-server proxy that makes the page's cross-origin calls same-origin, for each tool that fits. */
export function DevProxy({ fix }: { fix: DevServerFix }) {
  const { server, routes } = fix;
  return (
    <section class="dev-proxy">
      <h4>
        Or skip CORS: {server.origin} runs on a {KIND_NAMES[server.kind]} dev server
      </h4>
      <p class="muted">
        Seen in {server.evidence}. Proxy the API through it and the page's calls become same-origin: {routes.map((r) => `${r.target} → ${r.prefix}`).join(', ')}.
      </p>
      {proxiesFor(server.kind).map((p, i) => (
        <details key={p.id} open={i === 0}>
          <summary>{p.name}</summary>
          <ConfigBlock render={() => p.render(routes)} label={`${p.name} config`} />
        </details>
      ))}
    </section>
  );
}
