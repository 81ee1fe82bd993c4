import type { WebSocketRecord } from '../../core/page/records';
import type { RequestRecord } from '../../core/session/record';
import { OutcomeBadge } from './RequestTable';
import { clock } from '../clock';

const FRAME_COLUMNS = ['time', 'dir', 'size', 'kind', 'data'];

export function WebSockets({ sockets, handshake }: { sockets: WebSocketRecord[]; handshake: (s: WebSocketRecord) => RequestRecord | undefined }) {
  if (sockets.length === 0) return <div class="empty">No WebSocket opened in this tab yet.</div>;
  return (
    <div class="websockets" role="region" aria-label="WebSockets" tabIndex={0}>
      {sockets.map((s) => {
        const hs = handshake(s);
        return (
          <section class="socket" key={s.id}>
            <h3>
              {hs && <OutcomeBadge r={hs} />} {s.url}
            </h3>
            <p class="muted">
              Handshake Origin {s.handshake.origin ?? 'unknown'} · status {s.handshake.status ?? '…'} · from {s.frameUrl} ·{' '}
              {s.framesSent} sent, {s.framesReceived} received
              {s.closeCode !== null ? ` · closed ${s.closeCode} ${s.closeReason ?? ''}` : s.error ? ' · error' : ''}
            </p>
            <p class="note">WebSockets are not under CORS: the server alone decides whether to accept the handshake's Origin.</p>
            <table class="list">
              <thead>
                <tr>
                  {FRAME_COLUMNS.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.frames.map((f, i) => (
                  <tr key={i} class={`frame-${f.direction}`}>
                    <td>{clock(f.time)}</td>
                    <td>{f.direction === 'sent' ? '↑ sent' : '↓ received'}</td>
                    <td>{f.size} B</td>
                    <td>{f.binary ? 'binary' : 'text'}</td>
                    <td class="preview">{f.preview}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
