// What the panel's fixes are computed from: the session's server requirements, its dev servers
// and what its preflights cost, once per model version (only while a view shows them).
import { devServerFixes, type DevServerFix } from '../core/fix/dev-server';
import { fixPlan, type FixPlan } from '../core/fix/requirements';
import { STACKS } from '../core/fix/stacks';
import type { Stack } from '../core/fix/render';
import { preflightCosts, type PreflightCosts } from '../core/session/preflight-cost';
import type { RequestRecord } from '../core/session/record';

export interface SessionFixes {
  plan: FixPlan;
  devServers: DevServerFix[];
  costs: PreflightCosts;
}

export function sessionFixes(records: readonly RequestRecord[]): SessionFixes {
  return { plan: fixPlan(records), devServers: devServerFixes(records), costs: preflightCosts(records) };
}

// The stack the user picked, kept in the panel's own storage: a choice of display, not of recording.
const STACK_KEY = 'origin-lens.fix-stack';
const DEFAULT_STACK = STACKS[0]!;

export function storedStack(): Stack {
  try {
    return STACKS.find((s) => s.id === localStorage.getItem(STACK_KEY)) ?? DEFAULT_STACK;
  } catch {
    // Storage can be switched off for extension pages; the default then holds for this panel.
    return DEFAULT_STACK;
  }
}

export function storeStack(stack: Stack): void {
  try {
    localStorage.setItem(STACK_KEY, stack.id);
  } catch {
    // As above: the pick lasts as long as the panel.
  }
}
