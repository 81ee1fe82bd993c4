// Runs in the isolated world at document_start, in every frame. It takes the MessagePort the
// MAIN-world hooks hand over (channel.ts), treats everything on it as untrusted page data
// (parsePageEvents: strict shapes, bounded sizes), rate-limits it per frame and forwards the
// batches to the background, which knows from the browser (sender.tab, sender.frameId) who sent
// them. It also reports elements whose loads failed before any request (load-errors.ts), in
// batches of its own that share the rate of batches.
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

/** Whether a batch may go now: at most MAX_BATCHES_PER_SECOND in a second; when not, the count goes later. */
function batchAllowed(now: number): boolean {
  if (now - windowStart >= 1000) {
    windowStart = now;
    batches = 0;
  }
  if (++batches <= MAX_BATCHES_PER_SECOND) return true;
  // The count goes with the next batch; when none comes, once this second is over.
  countLater ??= setTimeout(() => {
    countLater = undefined;
    send([]);
  }, windowStart + 1000 - now);
  return false;
}

/** A batch of the MAIN world's: over the rate it is counted unread, as a batch. */
function forward(json: string): void {
  const now = Date.now();
  if (batchAllowed(now)) pass(parsePageEvents(json), now, true);
  else countRejected(dropped, 0, 1);
}

/** A batch of the bridge's own (failed loads): over the rate its events are counted one by one. */
function forwardOwn(batch: PageEvent[]): void {
  const now = Date.now();
  pass(parsePageEvents(serializeBatch(batch)), now, batchAllowed(now));
}

/** Sends the events of a parsed batch that the rate of events lets through (none when not `open`), counts the rest. */
function pass({ events, rejected, rejectedBatches }: ReturnType<typeof parsePageEvents>, now: number, open: boolean): void {
  const kept: PageEvent[] = [];
  for (const e of events) {
    if (e.k === 'dropped') countRejected(dropped, e.n, e.batches);
    else if (open && bucket.take(now)) kept.push(e);
    else countRejected(dropped, 1);
  }
  countRejected(dropped, rejected, rejectedBatches);
  if (open) send(kept);
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
  watchLoadErrors(forwardOwn);
} catch {
  // never break the page
}
