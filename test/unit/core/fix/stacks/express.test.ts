import { describe, expect, it } from 'vitest';
import { express } from '../../../../../src/core/fix/stacks/express';
import { PLAIN, REQ, REQ_NODE_OPTIONS } from './requirements';

/** Runs the rendered statement against a stand-in app and cors(), returning the options it passed (the cors README's names). */
function options(text: string): unknown {
  let seen: unknown;
  new Function('app', 'cors', text)({ use: (o: unknown) => (seen = o) }, (o: unknown) => o);
  return seen;
}

describe('Express (cors package)', () => {
  it('passes the cors options by their documented names', () => {
    expect(options(express.render(REQ).text)).toEqual(REQ_NODE_OPTIONS);
    expect(express.render(REQ).text).toMatch(/^app\.use\(cors\(\{/);
  });

  it('always lists allowedHeaders, which the package would otherwise echo from the preflight', () => {
    expect(options(express.render(PLAIN).text)).toEqual({ origin: ['https://app.example'], methods: ['GET', 'HEAD', 'POST'], allowedHeaders: [], maxAge: 7200 });
  });
});
