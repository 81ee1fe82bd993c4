// Express with `cors` and Fastify with @fastify/cors, each configured by running the exact
// statement the renderer wrote (app.use(cors({...})) / fastify.register(cors, {...})) and
// answering every path as the backend does.
import cors from 'cors';
import express from 'express';
import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';

/** Express on loopback `port`, configured by `statement` (which may use `app` and `cors`). */
export async function startExpress(statement, answer, port) {
  const app = express();
  new Function('app', 'cors', statement)(app, cors);
  app.use((req, res) => {
    const a = answer(req.method, req.path);
    res.status(a.status).set(a.headers).send(a.body);
  });
  const server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fastify on loopback `port`, configured by `statement` (which may use `fastify` and `cors`). */
export async function startFastify(statement, answer, port) {
  const fastify = Fastify();
  // Bodies of any type are read as text: the backend does not care what it is sent.
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  new Function('fastify', 'cors', statement)(fastify, fastifyCors);
  // OPTIONS is @fastify/cors's own route; HEAD comes with GET.
  fastify.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/*',
    handler: (req, reply) => {
      const a = answer(req.method, req.url.split('?')[0]);
      reply.code(a.status).headers(a.headers).send(a.body);
    },
  });
  await fastify.listen({ port, host: '127.0.0.1' });
  return { port, close: () => fastify.close() };
}
