import { expect } from 'vitest';
import type { ServerRequirements } from '../../../../../src/core/fix/requirements';

/** Requirements with a bit of everything: two page origins, a non-safelisted method, a header, credentials, an exposed header. */
export const REQ: ServerRequirements = {
  server: 'https://api.example',
  origins: ['https://app.example', 'http://localhost:5173'],
  methods: ['PATCH', 'PUT'],
  requestHeaders: ['authorization', 'x-lab-token'],
  credentials: true,
  exposedHeaders: ['x-request-id'],
  maxAge: 7200,
  requests: ['r1'],
};

/** The same without credentials, exposed headers or non-safelisted anything. */
export const PLAIN: ServerRequirements = { ...REQ, origins: ['https://app.example'], methods: [], requestHeaders: [], credentials: false, exposedHeaders: [] };

/** The options object of the `cors` package and @fastify/cors (same names) for REQ. */
export const REQ_NODE_OPTIONS = {
  origin: ['https://app.example', 'http://localhost:5173'],
  methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
  allowedHeaders: ['authorization', 'x-lab-token'],
  exposedHeaders: ['x-request-id'],
  credentials: true,
  maxAge: 7200,
};

/** Every one of `parts` appears in `text`. */
export function expectAll(text: string, parts: string[]): void {
  for (const part of parts) expect(text).toContain(part);
}
