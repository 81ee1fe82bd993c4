import { describe, expect, it } from 'vitest';
import { fastify } from '../../../../../src/core/fix/stacks/fastify';
import { PLAIN, REQ, REQ_NODE_OPTIONS } from './requirements';

/** Runs the rendered statement against a stand-in fastify, returning the plugin and options it registered. */
function registered(text: string): unknown[] {
  let seen: unknown[] = [];
  const plugin = Symbol('cors');
  new Function('fastify', 'cors', text)({ register: (...args: unknown[]) => (seen = args) }, plugin);
  expect(seen[0]).toBe(plugin);
  return seen;
}

describe('Fastify (@fastify/cors)', () => {
  it('registers @fastify/cors with its documented option names', () => {
    expect(registered(fastify.render(REQ).text)[1]).toEqual(REQ_NODE_OPTIONS);
  });

  it('leaves credentials out unless a request was credentialed', () => {
    expect(registered(fastify.render(PLAIN).text)[1]).not.toHaveProperty('credentials');
  });
});
