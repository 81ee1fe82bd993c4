// Runs in the page's own world (MAIN) at document_start, in every frame (about:blank and srcdoc
// frames included). It has no extension API: it records what the page does with postMessage,
// message listeners, WebSockets, fetch and XHR, and hands batches of JSON strings to the isolated
// bridge over a private MessagePort (channel.ts). Each hook is installed on its own and fails on
// its own: the page always keeps working.
import { openMainChannel } from './channel';
import { installPostMessageHooks } from './postmessage-hook';
import { Recorder } from './recorder';
import { installRequestHooks } from './request-hook';
import { installWebSocketHooks } from './websocket-hook';
import { installWorkerHooks } from './worker-hook';

function start(): void {
  const channel = openMainChannel();
  const rec = new Recorder(channel);
  for (const install of [() => installPostMessageHooks(rec, channel), () => installWebSocketHooks(rec), () => installRequestHooks(rec), () => installWorkerHooks(rec)]) {
    try {
      install();
    } catch {
      // one hook failing leaves the others (and the page) alone
    }
  }
}

try {
  start();
} catch {
  // never reach the page
}
