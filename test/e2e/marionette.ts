// A small client for Marionette, Firefox's own remote protocol: length-prefixed JSON over TCP.
// Unlike WebDriver BiDi it can install a temporary add-on and navigate to moz-extension:// pages,
// which the extension's own pages need.
import { connect, type Socket } from 'node:net';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; command: string };

export class MarionetteError extends Error {}

export class Marionette {
  private socket: Socket;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private greeted: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    let greet!: () => void;
    this.greeted = new Promise((resolve) => (greet = resolve));
    let first = true;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const colon = this.buffer.indexOf(0x3a);
        if (colon < 0) return;
        const length = Number(this.buffer.subarray(0, colon).toString());
        if (this.buffer.length < colon + 1 + length) return;
        const body = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString());
        this.buffer = this.buffer.subarray(colon + 1 + length);
        if (first) {
          first = false;
          greet();
          continue;
        }
        const [, id, error, result] = body as [number, number, { error: string; message: string } | null, unknown];
        const p = this.pending.get(id);
        if (!p) continue;
        this.pending.delete(id);
        if (error) p.reject(new MarionetteError(`${p.command}: ${error.error}: ${error.message}`));
        else p.resolve(result);
      }
    });
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new MarionetteError(`${p.command}: connection closed`));
      this.pending.clear();
    });
  }

  static async connect(port: number): Promise<Marionette> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    const client = new Marionette(socket);
    await client.greeted;
    return client;
  }

  send<T = unknown>(command: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const json = JSON.stringify([0, id, command, params]);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, command });
      this.socket.write(`${Buffer.byteLength(json)}:${json}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
