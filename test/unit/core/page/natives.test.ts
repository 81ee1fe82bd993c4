import { describe, expect, it } from 'vitest';
import { append, list } from '../../../../src/core/page/natives';

/**
 * Runs `fn` while index setters a page could add sit on Array.prototype and Object.prototype;
 * returns how often they ran. They go before anything else runs (the test runner uses arrays too).
 */
function withPlantedSetters(fn: () => void): number {
  let ran = 0;
  const set = () => void ran++;
  Object.defineProperty(Array.prototype, '0', { set, configurable: true });
  Object.defineProperty(Object.prototype, '1', { set, configurable: true });
  try {
    fn();
  } finally {
    delete (Array.prototype as unknown as Record<string, unknown>)['0'];
    delete (Object.prototype as unknown as Record<string, unknown>)['1'];
  }
  return ran;
}

describe('append', () => {
  it('appends to a list of ours with a plain store that no planted setter sees', () => {
    const l = list<string>();
    expect(withPlantedSetters(() => {
      append(l, 'a');
      append(l, 'b');
    })).toBe(0);
    expect(Object.getPrototypeOf(l)).toBeNull();
    expect(Array.isArray(l)).toBe(true);
    expect(l.length).toBe(2);
    expect(Object.getOwnPropertyDescriptor(l, '0')?.value).toBe('a');
    expect(Object.getOwnPropertyDescriptor(l, '1')?.value).toBe('b');
  });

  it('appends to an ordinary array without running a planted setter either', () => {
    const l: string[] = [];
    expect(withPlantedSetters(() => {
      append(l, 'a');
      append(l, 'b');
    })).toBe(0);
    expect(Object.getOwnPropertyDescriptor(l, '0')?.value).toBe('a');
    expect(Object.getOwnPropertyDescriptor(l, '1')?.value).toBe('b');
  });

  it('is what the planted setters would catch, had a plain store been used on an ordinary array', () => {
    const l: string[] = [];
    expect(withPlantedSetters(() => {
      l[l.length] = 'a';
    })).toBe(1);
  });
});
