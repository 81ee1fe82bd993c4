// Receipts on what carries messages besides windows: MessagePort, BroadcastChannel, and the
// page's side of a dedicated Worker (content scripts never run inside a worker, so its messages
// are seen where the page sends and receives them). Once the page listens on one (with
// addEventListener, see listeners.ts, or onmessage, here), our own listener is attached to it
// and records each message with the number of page listeners it had.
import { LIMITS, type ListenerInfo, type MessageChannelKind, type MessageEventWire } from '../../core/page/records';
import { preview } from '../../core/page/preview';
import { N, PrivateWeakMap, append, call, invoke, getPrototypeOf, list, replaceAccessor, safely, setterOf } from '../native';
import type { Recorder, Thunk } from '../recorder';
import { PREVIEW, type PostMessageContext } from './context';

const w = N.window;

/** The prototypes of what carries messages besides windows, each with its record kind. */
export function channelPrototypes(): [object, MessageChannelKind][] {
  const found: [object, MessageChannelKind][] = [[w.MessagePort.prototype, 'message-port']];
  const optional = w as unknown as { BroadcastChannel?: { prototype: object }; Worker?: { prototype: object } };
  if (optional.BroadcastChannel) append(found, [optional.BroadcastChannel.prototype, 'broadcast-channel']);
  if (optional.Worker) append(found, [optional.Worker.prototype, 'worker']);
  return found;
}

export class PortTaps {
  private tapped = new PrivateWeakMap<object, true>();
  private listenerCounts = new PrivateWeakMap<object, number>();
  /** Ports, channels and workers whose onmessage holds a handler (it counts as a listener). */
  private handlers = new PrivateWeakMap<object, true>();
  private protos = channelPrototypes();

  constructor(private rec: Recorder) {}

  /** The kind of a port, channel or worker; null for anything else. */
  kindOf(target: unknown): MessageChannelKind | null {
    if (typeof target !== 'object' || target === null) return null;
    for (let o = getPrototypeOf(target) as object | null; o; o = getPrototypeOf(o) as object | null) {
      const protos = this.protos;
      for (let i = 0; i < protos.length; i++) if (o === protos[i]![0]) return protos[i]![1];
    }
    return null;
  }

  /** Attaches our recorder to `target` if it is a port, channel or worker; its kind, or null. */
  tap(target: unknown): MessageChannelKind | null {
    try {
      const kind = this.kindOf(target);
      if (kind) this.attach(target as object, kind);
      return kind;
    } catch {
      return null;
    }
  }

  count(target: object, delta: number): void {
    const n = (this.listenerCounts.get(target) ?? 0) + delta;
    this.listenerCounts.set(target, n > 0 ? n : 0);
  }

  /** target.onmessage was set to `v` (after the native setter ran). */
  handlerSet(target: object, had: boolean, v: unknown): void {
    const has = typeof v === 'function';
    if (has && !had) {
      this.handlers.set(target, true);
      this.count(target, 1);
    } else if (!has && had) {
      this.handlers.delete(target);
      this.count(target, -1);
    }
  }

  hasHandler(target: unknown): boolean {
    return this.handlers.has(target as object);
  }

  attach(target: object, kind: MessageChannelKind): void {
    if (this.tapped.has(target)) return;
    this.tapped.set(target, true);
    const rec = this.rec;
    const counts = this.listenerCounts;
    // Registered with the saved native addEventListener: it does not start a port.
    // It runs for every message: a try block rather than safely(), which costs a closure each time.
    call(N.addEventListener, target, 'message', (e: Event) => {
      try {
        if (!e.isTrusted) return; // dispatched by the page itself: not a message (isTrusted is unforgeable)
        const t = N.now();
        if (rec.admit(t)) rec.add(portReceiptRecord(e, t, kind, counts.get(target) ?? 0));
      } catch {
        // our bookkeeping never reaches the page
      }
    });
  }
}

/** A port receipt's record (see Thunk); `count`: the page's listeners on the port. */
function portReceiptRecord(e: Event, t: number, kind: MessageChannelKind, count: number): Thunk {
  return (): MessageEventWire => {
    const p = preview(call(N.messageEventData, e), PREVIEW);
    const origin = call(N.messageEventOrigin, e) as string;
    const listeners: ListenerInfo[] = list();
    for (let i = 0; i < count && i < LIMITS.maxListeners; i++) append(listeners, { location: null, readOrigin: false, readSource: false, check: 'unknown' });
    return { k: 'msg', side: 'receive', channel: kind, t, origin: origin || null, target: null, peer: 'port', preview: p.text, size: p.size, trusted: true, listeners };
  };
}

/** port.onmessage / channel.onmessage / worker.onmessage: attach the recorder first, count the handler. */
export function hookPortHandlers(ctx: PostMessageContext): void {
  const { ports } = ctx;
  for (const [proto, kind] of channelPrototypes()) {
    replaceAccessor(proto, 'onmessage', null, (set) => setterOf({
      set onmessage(v: unknown) {
        safely(() => {
          if (typeof this === 'object' && this !== null && ports.kindOf(this)) ports.attach(this, kind);
        });
        const had = ports.hasHandler(this);
        invoke(set, this, arguments);
        safely(() => ports.handlerSet(this as object, had, v));
      },
    }, 'onmessage'));
  }
}
