import type { Stack } from '../../core/fix/render';
import type { SessionFixes } from '../fixes';
import { ConfigBlock } from './ConfigBlock';
import { DevProxy } from './DevProxy';
import { StackPicker } from './StackPicker';

interface Props {
  /** The request whose server's fix is shown. */
  id: string;
  fixes: SessionFixes;
  stack: Stack;
  onStack: (stack: Stack) => void;
}

/** The detail's fix in the user's stack: the whole configuration of the request's server (every request of the session to it), and the dev-server proxy when there is one. */
export function StackFix({ id, fixes, stack, onStack }: Props) {
  const server = fixes.plan.servers.find((s) => s.requests.includes(id));
  const dev = fixes.devServers.find((d) => d.routes.some((r) => r.requests.includes(id)));
  if (!server && !dev) return null;
  return (
    <div class="stack-fix">
      {server && (
        <>
          <h4>
            In your stack: what {server.server} must allow <StackPicker stack={stack} onStack={onStack} />
          </h4>
          <p class="muted">For all {server.requests.length} CORS requests of this session to it, from {server.origins.join(', ')}.</p>
          <ConfigBlock render={() => stack.render(server)} label={`${stack.name} config`} />
        </>
      )}
      {dev && <DevProxy fix={dev} />}
    </div>
  );
}
