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
  cors: true,
  policies: [],
  contentTypes: [],
  requests: ['r1'],
};

/** A server only blocks beyond CORS brought into the plan: CORP and COEP to send, a script's type to fix. */
export const POLICIES: ServerRequirements = {
  ...REQ,
  origins: [],
  methods: [],
  requestHeaders: [],
  credentials: false,
  exposedHeaders: [],
  cors: false,
  policies: [
    { name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
    { name: 'Cross-Origin-Resource-Policy', value: 'cross-origin' },
  ],
  contentTypes: [{ path: '/app.js', type: 'text/javascript' }],
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
