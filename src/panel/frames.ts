import { originOf } from '../core/net/origin';
import type { MessageRecord } from '../core/page/records';
import type { RequestRecord } from '../core/session/record';

// The tab's frame tree, from webRequest's frame ids (every request names its frame and that
// frame's parent) and from the frames the page hooks heard messages in; with who sent what.

export interface FrameNode {
  frameId: number;
  url: string | null;
  /** The origin the frame's messages carry, else its URL's; null when neither is known. */
  origin: string | null;
  children: FrameNode[];
  /** Messages this frame was seen sending, and receiving. */
  sent: number;
  received: number;
  /** Sends with targetOrigin '*'. */
  wildcardSends: number;
  /** Receipts whose listeners never checked event.origin, or checked it weakly. */
  uncheckedReceipts: number;
}

/** A window outside this tab's frames (a popup, an opener): known only by its origin. */
export interface PeerWindow {
  origin: string;
  sent: number;
  received: number;
}

export interface FrameMap {
  roots: FrameNode[];
  peers: PeerWindow[];
}

/** The list kept under `key`, made on first use. */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

const unchecked = (m: MessageRecord) => m.originChecked === 'no' || m.originChecked === 'weak';

/** Whether two versions of a record tell frameMap the same: it reads nothing else of a record. */
export function sameFrameFacts(a: RequestRecord, b: RequestRecord): boolean {
  return a.frameId === b.frameId && a.parentFrameId === b.parentFrameId && a.type === b.type && a.finalUrl === b.finalUrl && a.frameUrl === b.frameUrl;
}

export function frameMap(records: readonly RequestRecord[], messages: readonly MessageRecord[]): FrameMap {
  const nodes = new Map<number, FrameNode>();
  const parents = new Map<number, number>();
  const node = (frameId: number): FrameNode => {
    let n = nodes.get(frameId);
    if (!n) {
      n = { frameId, url: null, origin: null, children: [], sent: 0, received: 0, wildcardSends: 0, uncheckedReceipts: 0 };
      nodes.set(frameId, n);
    }
    return n;
  };

  for (const r of records) {
    const n = node(r.frameId);
    if (r.parentFrameId !== undefined) parents.set(r.frameId, r.parentFrameId);
    // A frame's own navigation says where it is now; any other request, where it was.
    if ((r.type === 'main_frame' || r.type === 'sub_frame') && r.popupTab === undefined) n.url = r.finalUrl;
    else n.url ??= r.frameUrl;
  }

  const peers = new Map<string, PeerWindow>();
  const peer = (origin: string | null) => {
    const key = origin ?? 'unknown origin';
    let p = peers.get(key);
    if (!p) peers.set(key, (p = { origin: key, sent: 0, received: 0 }));
    return p;
  };
  for (const m of messages) {
    if (m.frameId !== null) {
      const n = node(m.frameId);
      n.url ??= m.frameUrl;
      n.origin ??= m.receiverOrigin;
      n.received++;
      if (unchecked(m)) n.uncheckedReceipts++;
    }
    if (m.senderFrameId !== null) {
      const n = node(m.senderFrameId);
      n.url ??= m.senderFrameUrl;
      n.origin ??= m.senderOrigin;
    }
  }
  for (const n of nodes.values()) {
    const fromUrl = n.origin === null && n.url !== null ? originOf(n.url) : 'null';
    if (fromUrl !== 'null') n.origin = fromUrl;
  }

  // Senders: the frame when the send was seen; else the one frame of the sender's origin (a
  // cross-origin frame's top.postMessage cannot be hooked); else a window outside the tab.
  // Receivers likewise.
  const byOrigin = new Map<string, FrameNode[]>();
  for (const n of nodes.values()) if (n.origin !== null) listIn(byOrigin, n.origin).push(n);
  const onlyFrameOf = (origin: string | null) => {
    const candidates = origin === null ? [] : (byOrigin.get(origin) ?? []);
    return candidates.length === 1 ? candidates[0] : undefined;
  };
  for (const m of messages) {
    const sender = m.senderFrameId !== null ? nodes.get(m.senderFrameId) : onlyFrameOf(m.senderOrigin);
    if (sender) {
      sender.sent++;
      if (m.targetOrigin === '*') sender.wildcardSends++;
    } else {
      peer(m.senderOrigin).sent++;
    }
    // A send whose receipt was not seen: to the one frame of the target's origin, if any.
    if (m.frameId !== null) continue;
    const target = m.receiverOrigin ?? (m.targetOrigin === '*' || m.targetOrigin === '/' ? null : m.targetOrigin);
    const receiver = onlyFrameOf(target);
    if (receiver) receiver.received++;
    else peer(target).received++;
  }

  // Link children to parents, from the top frames down: a frame whose parent is unknown hangs
  // under the top frame; ids that loop (a hostile imported log) end up as roots of their own.
  const top = nodes.get(0);
  const childrenOf = new Map<number, FrameNode[]>();
  const roots: FrameNode[] = [];
  for (const n of nodes.values()) {
    const parent = parents.get(n.frameId) ?? (n === top ? -1 : 0);
    if (parent === -1 || !nodes.has(parent)) roots.push(n);
    else listIn(childrenOf, parent).push(n);
  }
  const placed = new Set<FrameNode>();
  const attach = (root: FrameNode) => {
    const stack = [root];
    placed.add(root);
    for (let n = stack.pop(); n; n = stack.pop()) {
      for (const c of childrenOf.get(n.frameId) ?? []) {
        if (placed.has(c)) continue;
        placed.add(c);
        n.children.push(c);
        stack.push(c);
      }
    }
  };
  roots.forEach(attach);
  for (const n of nodes.values()) {
    if (placed.has(n)) continue;
    roots.push(n);
    attach(n);
  }
  const byId = (a: FrameNode, b: FrameNode) => a.frameId - b.frameId;
  roots.sort(byId);
  for (const n of nodes.values()) n.children.sort(byId);
  return { roots, peers: [...peers.values()] };
}
