// postMessage in the page's own world: every `message` event delivered to this window (receiver
// side), the calls that send (this window's postMessage, and through the references the hook can
// wrap: parent, opener, window.open() results, iframe contentWindow, event.source), MessagePort
// and BroadcastChannel traffic, and for each window listener whether it read event.origin /
// event.source while handling a message. One module per concern, in postmessage/:
//   listeners.ts        the receiving side on the window, add/removeEventListener and onmessage,
//                       with window-listeners.ts (which listener read event.origin) and
//                       listener-source.ts (where a listener was added, what its code compares)
//   ports.ts            MessagePort and BroadcastChannel receipts
//   send.ts             the postMessage calls
//   window-refs.ts      parent, opener, window.open(), contentWindow, event.source
// They share one context (context.ts); the hooks are installed in this order.
import type { MainChannel } from './channel';
import { hookListeners } from './postmessage/listeners';
import { hookPortHandlers, PortTaps } from './postmessage/ports';
import { hookSends } from './postmessage/send';
import { WindowListeners } from './postmessage/window-listeners';
import { hookWindowRefs, WindowRefs } from './postmessage/window-refs';
import type { Recorder } from './recorder';

export function installPostMessageHooks(rec: Recorder, channel: MainChannel): void {
  const ctx = { rec, channel, listeners: new WindowListeners(), ports: new PortTaps(rec), refs: new WindowRefs(rec) };
  hookListeners(ctx);
  hookPortHandlers(ctx);
  hookSends(ctx);
  hookWindowRefs(ctx);
}
