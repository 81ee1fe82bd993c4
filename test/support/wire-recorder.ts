// A recording forward proxy for plain http, as wire recorders are (mitmproxy, Charles, Fiddler,
// a corporate proxy): it relays each request and keeps it as a HAR 1.2 entry holding what
// crossed the wire: the method, URL, status and both header lists, line by line as sent. It
// knows nothing a browser alone knows: no resource types, no initiators, no pages. Preflights
// are ordinary OPTIONS requests to it. CONNECT (WebSockets, https) is tunnelled, not recorded:
// its bytes are not HTTP the proxy reads.
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';

type HarHeader = { name: string; value: string };
type WireEntry = ReturnType<typeof entryOf>;

export interface WireRecorder {
  port: number;
  /** The HAR of every exchange relayed so far, in the order they started. */
  har(): { log: { version: '1.2'; creator: { name: string; version: string }; entries: WireEntry[] } };
  /** Resolves once no exchange is in flight (at once when none is). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

// Hop-by-hop headers are the proxy's own business: recorded as received, never relayed.
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Header lines in the order and spelling they came in (Node's rawHeaders: name, value, name, value...). */
function lines(raw: string[]): HarHeader[] {
  const out: HarHeader[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i]!, value: raw[i + 1]! });
  return out;
}

function relayed(raw: string[]): string[] {
  const out: string[] = [];
  for (const { name, value } of lines(raw)) if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, value);
  return out;
}

async function body(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The HAR 1.2 entry of one exchange, its headers as they crossed the wire. */
function entryOf(url: URL, req: IncomingMessage, sent: Buffer, up: IncomingMessage, received: Buffer, at: { started: number; answered: number; target: string }) {
  const responseHeaders = lines(up.rawHeaders);
  const header = (list: HarHeader[], name: string) => list.find((h) => h.name.toLowerCase() === name)?.value ?? '';
  const requestHeaders = lines(req.rawHeaders);
  const location = header(responseHeaders, 'location');
  return {
    startedDateTime: new Date(at.started).toISOString(),
    time: Date.now() - at.started,
    request: {
      method: req.method ?? 'GET',
      url: url.href,
      httpVersion: `HTTP/${req.httpVersion}`,
      cookies: [],
      headers: requestHeaders,
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(sent.length > 0 ? { postData: { mimeType: header(requestHeaders, 'content-type'), text: sent.toString('utf8') } } : {}),
      headersSize: -1,
      bodySize: sent.length,
    },
    response: {
      status: up.statusCode ?? 0,
      statusText: up.statusMessage ?? '',
      httpVersion: `HTTP/${up.httpVersion}`,
      cookies: [],
      headers: responseHeaders,
      content: { size: received.length, mimeType: header(responseHeaders, 'content-type') },
      redirectURL: location === '' ? '' : new URL(location, url).href,
      headersSize: -1,
      bodySize: received.length,
    },
    cache: {},
    timings: { send: 0, wait: at.answered - at.started, receive: Date.now() - at.answered },
    serverIPAddress: at.target,
  };
}

/**
 * Starts the proxy on a free loopback port. `address` maps a host name to the address to
 * connect to (the lab's names all live on loopback); null refuses the host (502, not recorded).
 */
export async function startWireRecorder(address: (host: string) => string | null): Promise<WireRecorder> {
  const entries: WireEntry[] = [];
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  const settle = () => {
    if (--inFlight > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  };

  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', settle);
    const started = Date.now();
    // A client speaking to a proxy names the whole URL in the request line.
    const url = URL.canParse(req.url ?? '') ? new URL(req.url!) : null;
    const target = url === null ? null : address(url.hostname);
    if (url?.protocol !== 'http:' || target === null) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('not relayed');
      return;
    }
    void body(req).then((sent) => {
      const upstream = request(
        { host: target, port: url.port || 80, path: url.pathname + url.search, method: req.method, headers: relayed(req.rawHeaders), agent: false },
        async (up) => {
          const answered = Date.now();
          res.writeHead(up.statusCode ?? 502, up.statusMessage, relayed(up.rawHeaders));
          const received = await body(up);
          res.end(received);
          entries.push(entryOf(url, req, sent, up, received, { started, answered, target }));
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end();
      });
      upstream.end(sent);
    });
  });

  const tunnels = new Set<{ destroy(): void }>();
  server.on('connect', (req, client, head) => {
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    const target = address(host);
    if (target === null) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const tunnel = connect(Number(port), target, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(client);
      client.pipe(tunnel);
    });
    const drop = () => {
      tunnel.destroy();
      client.destroy();
      tunnels.delete(client);
    };
    tunnels.add(client);
    client.on('close', drop);
    tunnel.on('error', drop);
    client.on('error', drop);
  });

  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    port,
    har: () => ({
      log: {
        version: '1.2',
        creator: { name: 'Origin Lens test wire recorder', version: '1' },
        entries: [...entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime)),
      },
    }),
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        for (const client of tunnels) client.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
