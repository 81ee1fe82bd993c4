import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings } from '../../../../src/core/session/settings';

const MB = 1024 * 1024;

describe('mergeSettings', () => {
  it('takes the values it offers', () => {
    expect(mergeSettings(DEFAULT_SETTINGS, { scope: 'inspected', maxRequests: 200_000, maxTotalRequests: 500_000, maxTotalBytes: 64 * MB })).toEqual({
      scope: 'inspected',
      maxRequests: 200_000,
      maxTotalRequests: 500_000,
      maxTotalBytes: 64 * MB,
    });
  });

  it('changes only what the patch names', () => {
    expect(mergeSettings({ ...DEFAULT_SETTINGS, scope: 'inspected', maxRequests: 10_000 }, { maxRequests: 100_000 })).toEqual({ ...DEFAULT_SETTINGS, scope: 'inspected', maxRequests: 100_000 });
  });

  it.each([
    null,
    'all',
    42,
    [],
    { scope: 'everything', maxRequests: 1e12 },
    { maxRequests: '50000' },
    { maxRequests: -1 },
    { maxRequests: Number.NaN },
    { maxTotalRequests: 0 },
    { maxTotalRequests: 1e9 },
    { maxTotalBytes: 1024 },
    { maxTotalBytes: Infinity },
    { maxTotalBytes: 20 * MB + 0.5 },
  ])('keeps the base for a damaged value: %j', (value) => {
    const base = { ...DEFAULT_SETTINGS, scope: 'inspected', maxRequests: 10_000 } as const;
    expect(mergeSettings(base, value)).toEqual(base);
  });

  it('defaults to every tab, the session cap of 50,000, and 200,000 requests or 200 MB across tabs', () => {
    expect(DEFAULT_SETTINGS).toEqual({ scope: 'all', maxRequests: 50_000, maxTotalRequests: 200_000, maxTotalBytes: 200 * MB });
  });
});
