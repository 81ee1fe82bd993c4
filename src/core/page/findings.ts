// Security findings from what the page hooks saw of postMessage: data posted with targetOrigin
// '*', and `message` listeners that never check who sent a message, or check it weakly.
import type { Finding } from '../cors/findings';
import type { MessageRecord } from './records';

const SENSITIVE = /token|secret|passw|session|auth|credential|api[_-]?key|cookie|jwt|bearer/i;
const MAX_EVIDENCE = 50;

/** True when a message carried something (not undefined, null or an empty string). */
function carriesData(m: MessageRecord): boolean {
  return m.size > 1 && m.dataPreview !== '""';
}

function where(loc: { url: string; line: number } | null): string {
  return loc ? `${loc.url}:${loc.line}` : 'an unlocated listener';
}

export function postMessageFindings(messages: readonly MessageRecord[]): Finding[] {
  const out: Finding[] = [];

  // 1. postMessage(data, '*'): whoever the target window holds now gets the data.
  const wildcard = new Map<string, MessageRecord[]>();
  for (const m of messages) {
    if (m.channel !== 'window' || m.targetOrigin !== '*' || m.observed === 'receive' || !carriesData(m)) continue;
    const key = `${m.senderOrigin ?? 'null'} ${m.senderFrameUrl ?? ''}`;
    const list = wildcard.get(key) ?? [];
    list.push(m);
    wildcard.set(key, list);
  }
  for (const list of wildcard.values()) {
    const first = list[0]!;
    const crossOrigin = list.some((m) => m.receiverOrigin !== null && m.receiverOrigin !== m.senderOrigin);
    const sensitive = list.some((m) => SENSITIVE.test(m.dataPreview));
    out.push({
      id: `postmessage-wildcard-target ${first.senderFrameUrl ?? first.senderOrigin ?? 'null'}`,
      code: 'postmessage-wildcard-target',
      severity: sensitive ? 'high' : crossOrigin ? 'medium' : 'low',
      title: "postMessage sends data to any origin ('*')",
      explanation:
        `${first.senderFrameUrl ?? first.senderOrigin ?? 'A frame'} posted ${list.length} message(s) with targetOrigin '*'` +
        `${crossOrigin ? ' to another origin' : ''}: if that window navigates elsewhere (an attacker's page can navigate a frame or popup it holds), ` +
        `the new page receives the data. Pass the receiver's exact origin instead of '*'` +
        (sensitive ? '; the data looks sensitive.' : '.'),
      confidence: 'certain',
      subject: first.senderOrigin ?? 'null',
      evidence: list.slice(0, MAX_EVIDENCE).map((m) => m.id),
    });
  }

  // 2. Listeners that never read event.origin / event.source, or compare the origin weakly.
  const byListener = new Map<string, { check: 'no' | 'weak'; location: MessageRecord['listeners'][number]['location']; receiver: string; messages: MessageRecord[]; senders: Set<string> }>();
  for (const m of messages) {
    if (m.channel !== 'window' || m.observed === 'send') continue;
    for (const l of m.listeners) {
      if (l.check !== 'no' && l.check !== 'weak') continue;
      const key = `${l.check} ${m.receiverOrigin ?? 'null'} ${where(l.location)}`;
      let g = byListener.get(key);
      if (!g) byListener.set(key, (g = { check: l.check, location: l.location, receiver: m.receiverOrigin ?? 'null', messages: [], senders: new Set() }));
      g.messages.push(m);
      g.senders.add(m.senderOrigin ?? 'null');
    }
  }
  for (const g of byListener.values()) {
    const foreign = [...g.senders].filter((s) => s !== g.receiver);
    const none = g.check === 'no';
    out.push({
      id: `${none ? 'message-listener-no-origin-check' : 'message-listener-weak-origin-check'} ${g.receiver} ${where(g.location)}`,
      code: none ? 'message-listener-no-origin-check' : 'message-listener-weak-origin-check',
      severity: none ? (foreign.length > 0 ? 'high' : 'medium') : 'medium',
      title: none ? 'A message listener never checks the sender' : 'A message listener checks the sender weakly',
      explanation: none
        ? `The listener at ${where(g.location)} handled ${g.messages.length} message(s)` +
          `${foreign.length ? ` (also from ${foreign.join(', ')})` : ''} without reading event.origin or event.source: ` +
          'any page that can reach this window (a frame, a popup, an opener) can send it data. Compare event.origin with an exact origin first.'
        : `The listener at ${where(g.location)} compares event.origin with indexOf/includes/startsWith/endsWith or an unanchored regex: ` +
          "an origin like https://trusted.example.attacker.test passes. Compare the whole origin with === (or an allow-list's includes/has).",
      // 'no' is what the listener did at run time; 'weak' comes from reading its source text.
      confidence: none ? 'certain' : 'firm',
      subject: g.location?.url ?? g.receiver,
      evidence: g.messages.slice(0, MAX_EVIDENCE).map((m) => m.id),
    });
  }
  return out;
}
