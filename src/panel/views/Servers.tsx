import type { Stack } from '../../core/fix/render';
import { maxAgeAdvice, type PreflightCost } from '../../core/session/preflight-cost';
import type { RequestRecord } from '../../core/session/record';
import type { SessionFixes } from '../fixes';
import { ConfigBlock } from './ConfigBlock';
import { DevProxy } from './DevProxy';
import { StackPicker } from './StackPicker';

interface Props {
  fixes: SessionFixes;
  stack: Stack;
  onStack: (stack: Stack) => void;
  get: (id: string) => RequestRecord | undefined;
  onOpen: (id: string) => void;
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;

function CostTable({ title, what, costs }: { title: string; what: string; costs: PreflightCost[] }) {
  if (costs.length === 0) return null;
  return (
    <table class="list preflight-cost">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{what}</th>
          <th scope="col">preflights</th>
          <th scope="col">total</th>
          <th scope="col">slowest</th>
          <th scope="col">Max-Age and what the cap would save</th>
        </tr>
      </thead>
      <tbody>
        {costs.map((c) => (
          <tr key={c.key}>
            <th scope="row">{c.key}</th>
            <td>{c.preflights}</td>
            <td>
              {ms(c.totalMs)}
              {c.timed < c.preflights ? ` (${c.timed} timed)` : ''}
            </td>
            <td>{ms(c.slowestMs)}</td>
            <td>{maxAgeAdvice(c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every server origin of the session with the configuration it needs in the picked stack, the dev-server proxies, and what preflights cost. */
export function Servers({ fixes, stack, onStack, get, onOpen }: Props) {
  const { plan, devServers, costs } = fixes;
  const blocked = (ids: string[]) => ids.filter((id) => get(id)?.verdict?.outcome === 'blocked').length;
  return (
    <div class="servers" role="region" aria-label="Servers" tabIndex={0}>
      <p>
        <StackPicker stack={stack} onStack={onStack} />
      </p>
      {plan.servers.length === 0 && <p class="empty">No cross-origin CORS request in this session: no server needs a CORS configuration.</p>}
      {plan.servers.map((s) => (
        <section class="server" key={s.server} aria-label={s.server}>
          <h3>{s.server}</h3>
          <p class="muted">
            {s.cors
              ? `${blocked(s.requests)} blocked and ${s.requests.length - blocked(s.requests)} allowed CORS requests, from ${s.origins.join(', ')}`
              : `${s.requests.length} loads blocked beyond CORS (CORP, COEP, COOP, ORB)`}
          </p>
          <ConfigBlock render={() => stack.render(s)} label={`${stack.name} config`} />
        </section>
      ))}
      {devServers.map((d) => (
        <DevProxy fix={d} key={d.server.origin} />
      ))}
      {plan.unfixable.length > 0 && (
        <section class="unfixable">
          <h3>Not fixed by any server setting</h3>
          <ul>
            {plan.unfixable.map((u) => (
              <li key={u.id}>
                <a href="#" onClick={(e) => (e.preventDefault(), onOpen(u.id))}>
                  {u.url}
                </a>
                : {u.why}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h3>What preflights cost</h3>
      {costs.servers.length === 0 ? (
        <p class="muted">No preflight in this session.</p>
      ) : (
        <>
          <CostTable title="Per server" what="server" costs={costs.servers} />
          <CostTable title="Per page" what="page" costs={costs.pages} />
        </>
      )}
    </div>
  );
}
