import { STACKS } from '../../core/fix/stacks';
import type { Stack, StackGroup } from '../../core/fix/render';

const GROUPS: Record<StackGroup, string> = { node: 'Node.js', server: 'Web servers', framework: 'Frameworks', storage: 'Storage' };

/** A choice of the server stack the fixes are written for. */
export function StackPicker({ stack, onStack }: { stack: Stack; onStack: (stack: Stack) => void }) {
  return (
    <label class="stack-picker">
      Your stack{' '}
      <select
        value={stack.id}
        onChange={(e) => {
          const picked = STACKS.find((s) => s.id === (e.currentTarget as HTMLSelectElement).value);
          if (picked) onStack(picked);
        }}
      >
        {(Object.keys(GROUPS) as StackGroup[]).map((g) => (
          <optgroup label={GROUPS[g]} key={g}>
            {STACKS.filter((s) => s.group === g).map((s) => (
              <option value={s.id} key={s.id}>
                {s.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
