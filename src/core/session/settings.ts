import { DEFAULT_SESSION_OPTIONS } from './session';

/** Which tabs are recorded: every tab, or only those with an Origin Lens panel open. */
export type RecordingScope = 'all' | 'inspected';

/** What the user chose in the panel; the background keeps it in storage.local. */
export interface Settings {
  scope: RecordingScope;
  /** Requests kept per tab; beyond it the oldest are dropped first, and counted. */
  maxRequests: number;
  /** Requests kept across all tabs (see budget.ts). */
  maxTotalRequests: number;
  /** Estimated bytes of the requests kept across all tabs, as stored (their JSON). */
  maxTotalBytes: number;
}

/** The caps the panel offers. A record with its headers takes a few kB of the worker's memory. */
export const REQUEST_CAPS = [10_000, 50_000, 100_000, 200_000] as const;

const MB = 1024 * 1024;
/** What a damaged or hostile value may not push the budget beyond (or below). */
const TOTAL_REQUESTS = { min: 10_000, max: 2_000_000 };
const TOTAL_BYTES = { min: 16 * MB, max: 4096 * MB };

export const DEFAULT_SETTINGS: Settings = { scope: 'all', maxRequests: DEFAULT_SESSION_OPTIONS.maxRequests, maxTotalRequests: 200_000, maxTotalBytes: 200 * MB };

const within = (v: unknown, range: { min: number; max: number }): v is number => Number.isInteger(v) && (v as number) >= range.min && (v as number) <= range.max;

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
    maxTotalRequests: within(v.maxTotalRequests, TOTAL_REQUESTS) ? v.maxTotalRequests : base.maxTotalRequests,
    maxTotalBytes: within(v.maxTotalBytes, TOTAL_BYTES) ? v.maxTotalBytes : base.maxTotalBytes,
  };
}
