// Runs in the isolated world at document_start, in every frame. It takes the MessagePort the
// MAIN-world hooks hand over (channel.ts), treats everything on it as untrusted page data
// (parsePageEvents: strict shapes, bounded sizes), rate-limits it per frame and forwards the
// batches to the background, which knows from the browser (sender.tab, sender.frameId) who sent
// them. It also reports elements whose loads failed before any request (load-errors.ts).
import browser from 'webextension-polyfill';
import { countRejected, parsePageEvents, serializeBatch, type DroppedWire, type PageDrops, type PageEvent } from '../core/page/records';
import { PROTOCOL_VERSION } from '../core/protocol';
import { acceptMainChannel } from './channel';
import { watchLoadErrors } from './load-errors';
import { MAX_BATCHES_PER_SECOND, PAGE_EVENT_RATE, TokenBucket } from './rate-limit';

// Beyond the rate events are counted, not sent (the MAIN world keeps to it already, unless forged).
const bucket = new TokenBucket(PAGE_EVENT_RATE.burst, PAGE_EVENT_RATE.perSecond);
let batches = 0;
let windowStart = 0;
// What was refused since the last batch sent: told to the background with the next one.
let dropped: Pick<PageDrops, 'rejected' | 'rejectedBatches'> = { rejected: 0 };
let countLater: ReturnType<typeof setTimeout> | undefined;

function forward(json: string): void {
  const now = Date.now();
  if (now - windowStart >= 1000) {
    windowStart = now;
    batches = 0;
  }
  // Unread: how many events it held is not known, so it counts as a batch.
  if (++batches > MAX_BATCHES_PER_SECOND) {
    countRejected(dropped, 0, 1);
    // The count goes with the next batch; when none comes, once this second is over.
    countLater ??= setTimeout(() => {
      countLater = undefined;
      send([]);
    }, windowStart + 1000 - now);
    return;
  }
  const { events, rejected, rejectedBatches } = parsePageEvents(json);
  const kept: PageEvent[] = [];
  for (const e of events) {
    if (e.k === 'dropped') countRejected(dropped, e.n, e.batches);
    else if (bucket.take(now)) kept.push(e);
    else countRejected(dropped, 1);
  }
  countRejected(dropped, rejected, rejectedBatches);
  send(kept);
}

/** Sends `kept` with the count of what was refused since the last send, if either holds anything. */
function send(kept: PageEvent[]): void {
  // First in the batch: of a batch longer than the background takes, the last events are refused
  // (and counted), never these counts.
  if (dropped.rejected > 0 || dropped.rejectedBatches !== undefined) {
    const told: DroppedWire = { k: 'dropped', n: dropped.rejected };
    if (dropped.rejectedBatches !== undefined) told.batches = dropped.rejectedBatches;
    kept.unshift(told);
    dropped = { rejected: 0 };
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
