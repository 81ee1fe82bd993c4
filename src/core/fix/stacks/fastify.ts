// Fastify with @fastify/cors: one register call.
import { stack } from '../render';
import { nodeCorsOptions } from './node-options';

export const fastify = stack('fastify', 'Fastify (@fastify/cors)', 'node', (req) => ({
  text: `fastify.register(cors, ${nodeCorsOptions(req)});\n`,
  notes: [
    "Needs @fastify/cors (npm install @fastify/cors; import cors from '@fastify/cors'). Register it before the routes.",
    'It answers preflights itself (204) and sends Vary: Origin.',
  ],
}));
