import { CHANNELS, type MessageChannelKind, type MessageRecord, type OriginCheck } from '../../core/page/records';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { clock } from '../clock';
import type { RequestRecord } from '../../core/session/record';
import { frameMap, type FrameMap, type FrameNode } from '../frames';
import { useVirtualRows } from './virtual';

const CHECK_WORDS: Record<OriginCheck, string> = {
  yes: 'origin checked',
  weak: 'weak origin check',
  no: 'origin never checked',
  unknown: 'not seen',
};

// A Map: an imported log's channel may be any string, "toString" too.
const CHANNEL_WORDS = new Map<unknown, string>([
  ['window', 'window'],
  ['worker', 'worker'],
  ['message-port', 'MessagePort'],
  ['broadcast-channel', 'BroadcastChannel'],
]);
const channelWords = (c: MessageChannelKind): string => CHANNEL_WORDS.get(c) ?? String(c);

/** The side the hooks cannot see: a worker's (they never run in one), else unknown. */
const unseen = (m: MessageRecord): string => (m.channel === 'worker' ? 'worker' : '?');

interface Edge {
  from: string;
  to: string;
  count: number;
  wildcard: boolean;
  unchecked: boolean;
}

// Boxes drawn; the origins past them share the last box (a log may hold thousands of origins).
const MAX_BOXES = 12;

/** Frames (by origin) as boxes and the messages between them as arrows, counted. */
function Picture({ messages }: { messages: MessageRecord[] }) {
  const nodes: string[] = [];
  const edges = new Map<string, Edge>();
  const others = new Set<string>();
  const OTHERS = '\n';
  // At most MAX_BOXES nodes to look through: linear in the messages.
  const node = (o: string | null): string => {
    const name = o ?? 'unknown origin';
    if (nodes.includes(name)) return name;
    if (nodes.length < MAX_BOXES - 1) {
      nodes.push(name);
      return name;
    }
    others.add(name);
    if (others.size === 1) nodes.push(OTHERS);
    return OTHERS;
  };
  for (const m of messages) {
    const from = node(m.senderOrigin);
    const to = node(m.receiverOrigin);
    const key = `${from}\n${to}`;
    const e = edges.get(key) ?? { from, to, count: 0, wildcard: false, unchecked: false };
    e.count++;
    e.wildcard ||= m.targetOrigin === '*';
    e.unchecked ||= m.originChecked === 'no' || m.originChecked === 'weak';
    edges.set(key, e);
  }
  const boxW = 220;
  const gap = 90;
  const width = nodes.length * (boxW + gap);
  const x = (n: string) => nodes.indexOf(n) * (boxW + gap) + boxW / 2;
  return (
    <svg class="picture" width={width} height={220} role="img" aria-label="Frames and the messages between them">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      {nodes.map((n) => (
        <g key={n}>
          <rect x={x(n) - boxW / 2} y={150} width={boxW} height={36} rx={4} class="frame-box" />
          <text x={x(n)} y={172} text-anchor="middle" class="frame-label">
            {n === OTHERS ? `${others.size} more origin${others.size === 1 ? '' : 's'}` : n.length > 34 ? `${n.slice(0, 33)}…` : n}
          </text>
        </g>
      ))}
      {[...edges.values()].map((e, i) => {
        const x1 = x(e.from);
        const x2 = x(e.to);
        const lift = 40 + (i % 3) * 25;
        const path = x1 === x2 ? `M ${x1 - 30} 150 C ${x1 - 60} 90, ${x1 + 60} 90, ${x1 + 30} 150` : `M ${x1} 150 C ${x1} ${150 - lift * 2}, ${x2} ${150 - lift * 2}, ${x2} 150`;
        return (
          <g key={`${e.from}-${e.to}`} class={`edge ${e.wildcard ? 'edge-wildcard' : ''} ${e.unchecked ? 'edge-unchecked' : ''}`}>
            <path d={path} fill="none" marker-end="url(#arrow)" />
            <text x={(x1 + x2) / 2} y={150 - lift * 1.5 - 4} text-anchor="middle">
              {e.count}× {e.wildcard ? "'*'" : ''} {e.unchecked ? 'unchecked' : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Traffic({ sent, received, wildcard = 0, unchecked = 0 }: { sent: number; received: number; wildcard?: number; unchecked?: number }) {
  return (
    <>
      {sent > 0 && <span class="tag">↑ {sent} sent</span>}
      {received > 0 && <span class="tag">↓ {received} received</span>}
      {wildcard > 0 && <span class="tag warn">{wildcard} to '*'</span>}
      {unchecked > 0 && <span class="tag warn">{unchecked} to unchecked listeners</span>}
    </>
  );
}

function Frame({ n }: { n: FrameNode }) {
  return (
    <li>
      <span class="frame-origin">{n.origin ?? 'unknown origin'}</span>{' '}
      <span class="muted">
        {n.frameId === 0 ? 'top frame' : `frame ${n.frameId}`} · {n.url ?? 'URL unknown'}
      </span>{' '}
      <Traffic sent={n.sent} received={n.received} wildcard={n.wildcardSends} unchecked={n.uncheckedReceipts} />
      {n.children.length > 0 && (
        <ul>
          {n.children.map((c) => (
            <Frame key={c.frameId} n={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The tab's frames, nested as in the page, each with its origin and its share of the messages. */
function FrameTree({ frames }: { frames: FrameMap }) {
  if (frames.roots.length === 0 && frames.peers.length === 0) return null;
  return (
    <section class="frame-tree" aria-label="Frames">
      <h3>Frames</h3>
      <ul>
        {frames.roots.map((n) => (
          <Frame key={n.frameId} n={n} />
        ))}
      </ul>
      {frames.peers.length > 0 && (
        <>
          <h4>Other windows (popups, openers, frames not seen loading)</h4>
          <ul>
            {frames.peers.map((p) => (
              <li key={p.origin}>
                <span class="frame-origin">{p.origin}</span> <Traffic sent={p.sent} received={p.received} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const MESSAGE_ROW_HEIGHT = 24;
const MESSAGE_COLUMNS = ['time', 'sender → receiver', 'targetOrigin', 'channel', 'seen', 'listener', 'data'];

/** The messages, oldest first, as a virtualized grid: a tab keeps up to 5,000 of them. */
function MessageList({ messages, focusId }: { messages: MessageRecord[]; focusId: string | null }) {
  const { scroller, first, last, onScroll, reveal } = useVirtualRows(messages.length, MESSAGE_ROW_HEIGHT);
  // A finding's evidence link brings its message into view.
  useEffect(() => {
    if (focusId !== null) reveal(messages.findIndex((m) => m.id === focusId));
  }, [focusId]);
  return (
    <div class="table message-list" role="grid" aria-label="Messages" aria-rowcount={messages.length + 1} tabIndex={0} ref={scroller} onScroll={onScroll}>
      <div class="thead" role="row" aria-rowindex={1}>
        {MESSAGE_COLUMNS.map((c) => (
          <span role="columnheader" key={c}>
            {c}
          </span>
        ))}
      </div>
      <div class="tbody" style={{ height: `${messages.length * MESSAGE_ROW_HEIGHT}px` }}>
        {messages.slice(first, last).map((m, k) => (
          <div
            key={m.id}
            role="row"
            aria-rowindex={first + k + 2}
            aria-selected={m.id === focusId}
            id={`message-${m.id}`}
            class={`row ${m.id === focusId ? 'selected' : ''} ${m.targetOrigin === '*' ? 'wildcard' : ''} check-${m.originChecked}`}
            style={{ top: `${(first + k) * MESSAGE_ROW_HEIGHT}px` }}
          >
            <span role="gridcell" class="time">{clock(m.time)}</span>
            <span role="gridcell">
              {m.senderOrigin ?? unseen(m)} → {m.receiverOrigin ?? unseen(m)}
            </span>
            <span role="gridcell" class={m.targetOrigin === '*' ? 'warn' : ''}>{m.targetOrigin ?? '(send not seen)'}</span>
            <span role="gridcell" class={`channel channel-${m.channel}`}>
              {m.channel === 'worker' && <span aria-hidden="true">⚙ </span>}
              {channelWords(m.channel)}
            </span>
            <span role="gridcell">{m.observed}</span>
            <span role="gridcell" class={`check check-${m.originChecked}`} title={m.listeners.map((l) => (l.location ? `${l.location.url}:${l.location.line}` : 'unknown location')).join('\n')}>
              {CHECK_WORDS[m.originChecked]}
              {m.listenerCount !== null ? ` (${m.listenerCount})` : ''}
            </span>
            <span role="gridcell" class="preview" title={m.dataPreview}>
              {m.dataPreview} <span class="muted">{m.size} B</span>
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Which channel's messages the list shows. */
function ChannelFilter({ value, onChange }: { value: MessageChannelKind | 'all'; onChange: (v: MessageChannelKind | 'all') => void }) {
  return (
    <div class="filters" role="group" aria-label="Message filters">
      <label>
        Channel
        <select value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as MessageChannelKind | 'all')}>
          <option value="all">all</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {channelWords(c)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Popups this tab opened, or this tab as a popup, that Cross-Origin-Opener-Policy cut off: no message crosses. */
function SeveredPopups({ records }: { records: RequestRecord[] }) {
  const severed = records.filter((r) => r.verdict?.reason === 'CoopSeveredOpener');
  if (severed.length === 0) return null;
  return (
    <section class="severed-popups" aria-label="Popups cut off by Cross-Origin-Opener-Policy">
      <h3>Popups cut off by Cross-Origin-Opener-Policy</h3>
      <ul>
        {severed.map((r) => (
          <li key={r.id}>
            <span class="frame-origin">{r.finalUrl}</span>{' '}
            <span class="muted">{r.popupTab === undefined ? `(this tab, opened by ${r.opener?.url ?? 'another tab'})` : `(tab ${r.popupTab}, opened from this tab)`}</span>
            <p>{r.verdict!.diagnosis}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Props {
  messages: MessageRecord[];
  records: RequestRecord[];
  /** The model's framesVersion: `records` change in place, this says when it matters to the frames. */
  framesVersion: number;
  focusId?: string | null;
}

export function Messages({ messages, records, framesVersion, focusId = null }: Props) {
  const [channel, setChannel] = useState<MessageChannelKind | 'all'>('all');
  const frames = useMemo(() => frameMap(records, messages), [records, messages, framesVersion]);
  // A finding's evidence stays in the list whatever the filter.
  const shown = channel === 'all' ? messages : messages.filter((m) => m.channel === channel || m.id === focusId);
  return (
    <div class="messages">
      <div class="messages-top" role="region" aria-label="Frame tree and message picture" tabIndex={0}>
        <SeveredPopups records={records} />
        <FrameTree frames={frames} />
        {messages.length > 0 && <Picture messages={messages} />}
      </div>
      {messages.length === 0 ? (
        <div class="empty">No postMessage, worker, MessagePort or BroadcastChannel traffic seen in this tab yet.</div>
      ) : (
        <>
          <ChannelFilter value={channel} onChange={setChannel} />
          <MessageList messages={shown} focusId={focusId} />
        </>
      )}
    </div>
  );
}
