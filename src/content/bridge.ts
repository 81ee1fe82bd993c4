// Runs in the isolated world at document_start, in every frame. It takes the MessagePort the
// MAIN-world hooks hand over (channel.ts), treats everything on it as untrusted page data
// (parsePageEvents: strict shapes, bounded sizes), rate-limits it per frame and forwards the
// batches to the background, which knows from the browser (sender.tab, sender.frameId) who sent
// them. It also reports elements whose loads failed before any request (load-errors.ts).
import browser from 'webextension-polyfill';
import { parsePageEvents, serializeBatch, type PageEvent } from '../core/page/records';
import { PROTOCOL_VERSION } from '../core/protocol';
import { acceptMainChannel } from './channel';
import { watchLoadErrors } from './load-errors';
import { MAX_BATCHES_PER_SECOND, PAGE_EVENT_RATE, TokenBucket } from './rate-limit';

// Beyond the rate events are counted, not sent (the MAIN world keeps to it already, unless forged).
const bucket = new TokenBucket(PAGE_EVENT_RATE.burst, PAGE_EVENT_RATE.perSecond);
let batches = 0;
let windowStart = 0;
let dropped = 0;
let countLater: ReturnType<typeof setTimeout> | undefined;

function forward(json: string): void {
  const now = Date.now();
  if (now - windowStart >= 1000) {
    windowStart = now;
    batches = 0;
  }
  if (++batches > MAX_BATCHES_PER_SECOND) {
    dropped += 1;
    // The count goes with the next batch; when none comes, once this second is over.
    countLater ??= setTimeout(() => {
      countLater = undefined;
      send([]);
    }, windowStart + 1000 - now);
    return;
  }
  const { events, rejected } = parsePageEvents(json);
  const kept: PageEvent[] = [];
  for (const e of events) {
    if (e.k === 'dropped') dropped += e.n;
    else if (bucket.take(now)) kept.push(e);
    else dropped++;
  }
  dropped += rejected;
  send(kept);
}

/** Sends `kept` with the count of what was dropped since the last send, if either holds anything. */
function send(kept: PageEvent[]): void {
  if (dropped > 0) {
    kept.push({ k: 'dropped', n: dropped });
    dropped = 0;
  }
  if (kept.length === 0) return;
  browser.runtime.sendMessage({ v: PROTOCOL_VERSION, type: 'page-events', batch: serializeBatch(kept) }).catch(() => {
    // the background may be restarting; these events are lost, the page is not affected
  });
}

try {
  acceptMainChannel(forward);
  watchLoadErrors((event) => forward(serializeBatch([event])));
} catch {
  // never break the page
}
