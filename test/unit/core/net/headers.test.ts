import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countHeader, getAll, getHeader, isToken, parseNameList, parseTokenList, parseVary, trimOws } from '../../../../src/core/net/headers';
import { hs } from '../../../support/observations';

describe('header lists', () => {
  const list = hs('Vary: Accept', 'content-type: text/plain', 'VARY: Origin', 'X-Empty:');

  it('gets case-insensitively and joins duplicates with ", "', () => {
    expect(getHeader(list, 'vary')).toBe('Accept, Origin');
    expect(getAll(list, 'Vary')).toEqual(['Accept', 'Origin']);
    expect(countHeader(list, 'vary')).toBe(2);
    expect(getHeader(list, 'missing')).toBeNull();
    expect(getHeader(list, 'x-empty')).toBe('');
    expect(parseVary(list)).toEqual(['accept', 'origin']);
  });

  it('tolerates malformed lists', () => {
    const bad = [null, 3, { name: 5 }, { name: 'A', value: 9 }] as never;
    expect(getHeader(bad, 'a')).toBe('9');
    expect(getHeader('nope' as never, 'a')).toBeNull();
  });

  it('parses token lists like the browsers: trimmed, empty items skipped, invalid item named', () => {
    expect(parseTokenList(' GET ,, PUT,')).toEqual({ tokens: ['GET', 'PUT'], invalid: null });
    expect(parseTokenList('GET, PUT;x')).toEqual({ tokens: ['GET'], invalid: 'PUT;x' });
    expect(parseTokenList(null)).toEqual({ tokens: [], invalid: null });
    expect(parseNameList('X-A, content-type, bad name')).toEqual(['x-a', 'content-type']);
    expect(isToken('x-a')).toBe(true);
    expect(isToken('a b')).toBe(false);
    expect(trimOws('\t a \r\n')).toBe('a');
  });

  it('reads back any list of tokens joined with ", "', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,10}$/);
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (tokens) => {
        expect(parseTokenList(tokens.join(', '))).toEqual({ tokens, invalid: null });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseTokenList(s);
        parseNameList(s);
        trimOws(s);
      }),
      { numRuns: 200 },
    );
  });
});
