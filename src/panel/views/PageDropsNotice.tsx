import type { PageDrops } from '../../core/page/records';
import { countWere } from '../plural';

/** The views that show the page hooks' records. */
export type PageView = 'messages' | 'websockets';

/**
 * What the page hooks could not record of the tab, as sentences for `view`: a quiet view must not
 * pass for a quiet page. Evictions are per kind; refused events and batches may be of any kind,
 * so both views say them. Empty when nothing was lost.
 */
export function pageDropsText(dropped: PageDrops, view: PageView): string[] {
  const lines: string[] = [];
  const evicted = view === 'messages' ? dropped.messages : dropped.websockets;
  const noun = view === 'messages' ? 'older message' : 'older socket';
  if (evicted > 0) lines.push(`${countWere(evicted, noun, `${noun}s`)} dropped to stay within the per-tab limit.`);
  if (dropped.rejected > 0) lines.push(`${countWere(dropped.rejected, 'page event', 'page events')} not recorded: over the rate limit, or malformed.`);
  const batches = dropped.rejectedBatches ?? 0;
  if (batches > 0) lines.push(`${countWere(batches, 'batch of page events', 'batches of page events')} refused whole (over the rate of batches, too large, or not JSON): their events are not counted.`);
  return lines;
}

/** The Messages and WebSockets views' notice of what the page hooks lost; nothing when they lost nothing. */
export function PageDropsNotice({ dropped, view }: { dropped: PageDrops; view: PageView }) {
  const lines = pageDropsText(dropped, view);
  return lines.length > 0 ? <div class="notice page-drops">{lines.join(' ')}</div> : null;
}
