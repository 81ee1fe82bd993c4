// Fastify with @fastify/cors: one register call.
import { lines, quote, stack } from '../render';
import { nodeCorsOptions } from './node-options';

export const fastify = stack(
  'fastify',
  'Fastify (@fastify/cors)',
  'node',
  (req) => ({
    text: `fastify.register(cors, ${nodeCorsOptions(req)});\n`,
    notes: [
      "Needs @fastify/cors (npm install @fastify/cors; import cors from '@fastify/cors'). Register it before the routes.",
      'It answers preflights itself (204) and sends Vary: Origin.',
    ],
  }),
  (headers) => ({
    text: lines(["fastify.addHook('onSend', async (request, reply) => {", ...headers.map(([name, value]) => `  reply.header(${quote(name)}, ${quote(value)});`), '});']),
    notes: ['An onSend hook runs for every response, errors included.'],
  }),
);
