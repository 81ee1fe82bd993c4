// The application behind every stack under test: it answers each lab scenario path as a plain
// app does, with no CORS headers of its own (a 500 for the server-error scenario, an
// X-Request-Id the page may read), so whatever CORS the browser sees comes from the config.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function answer(method: string, path: string): Answer {
  return {
    status: path === '/s/server-error' ? 500 : 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': 'req-42', 'X-Hidden': 'secret' },
    body: JSON.stringify({ method, path }),
  };
}

export interface Running {
  port: number;
  close(): Promise<void>;
}

/** A loopback port nothing listens on (the stacks under test need theirs before they start: it is in their config). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A Node http server on a loopback port (a free one by default). */
export async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Running> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The backend the web servers proxy to. */
export function startBackend(): Promise<Running> {
  return listen((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://backend').pathname);
      res.writeHead(a.status, a.headers).end(a.body);
    });
  });
}
