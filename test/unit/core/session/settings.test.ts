import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings } from '../../../../src/core/session/settings';

describe('mergeSettings', () => {
  it('takes the values it offers', () => {
    expect(mergeSettings(DEFAULT_SETTINGS, { scope: 'inspected', maxRequests: 200_000 })).toEqual({ scope: 'inspected', maxRequests: 200_000 });
  });

  it('changes only what the patch names', () => {
    expect(mergeSettings({ scope: 'inspected', maxRequests: 10_000 }, { maxRequests: 100_000 })).toEqual({ scope: 'inspected', maxRequests: 100_000 });
  });

  it.each([null, 'all', 42, [], { scope: 'everything', maxRequests: 1e12 }, { maxRequests: '50000' }, { maxRequests: -1 }, { maxRequests: Number.NaN }])(
    'keeps the base for a damaged value: %j',
    (value) => {
      const base = { scope: 'inspected', maxRequests: 10_000 } as const;
      expect(mergeSettings(base, value)).toEqual(base);
    },
  );

  it('defaults to every tab and the session cap of 50,000', () => {
    expect(DEFAULT_SETTINGS).toEqual({ scope: 'all', maxRequests: 50_000 });
  });
});
