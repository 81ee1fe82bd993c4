import { DEFAULT_SESSION_OPTIONS } from './session';

/** Which tabs are recorded: every tab, or only those with an Origin Lens panel open. */
export type RecordingScope = 'all' | 'inspected';

/** What the user chose in the panel; the background keeps it in storage.local. */
export interface Settings {
  scope: RecordingScope;
  /** Requests kept per tab; beyond it the oldest are dropped first, and counted. */
  maxRequests: number;
}

/** The caps the panel offers. A record with its headers takes a few kB of the worker's memory. */
export const REQUEST_CAPS = [10_000, 50_000, 100_000, 200_000] as const;

export const DEFAULT_SETTINGS: Settings = { scope: 'all', maxRequests: DEFAULT_SESSION_OPTIONS.maxRequests };

/**
 * Settings from storage or a message, merged over `base`: unknown or out-of-range values keep
 * what `base` had, so a damaged entry can never switch recording off or exhaust memory.
 */
export function mergeSettings(base: Settings, value: unknown): Settings {
  if (typeof value !== 'object' || value === null) return base;
  const v = value as Partial<Record<keyof Settings, unknown>>;
  return {
    scope: v.scope === 'all' || v.scope === 'inspected' ? v.scope : base.scope,
    maxRequests: REQUEST_CAPS.some((c) => c === v.maxRequests) ? (v.maxRequests as number) : base.maxRequests,
  };
}
