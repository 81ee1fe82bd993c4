import type { HeaderList } from './headers';
import type { WorkerSource } from '../session/worker';

// The webRequest event stream, normalised: one shape for both browsers, plain data only, so
// that recorded sequences can be replayed in tests and stored as fixtures.
export type NetEvent =
  | {
      kind: 'request';
      id: string;
      tabId: number;
      time: number;
      frameId: number;
      parentFrameId: number;
      url: string;
      method: string;
      type: string;
      /** Serialized origin of the initiator ("null" when opaque), null when the browser gave none. */
      initiator: string | null;
      /** Firefox gives the URL of the frame's document; Chromium does not. */
      documentUrl: string | null;
      /** Set when a worker made the request (see session/worker.ts); absent for a document's. */
      worker?: WorkerSource;
    }
  | { kind: 'send-headers'; id: string; tabId: number; time: number; headers: HeaderList }
  | { kind: 'headers'; id: string; tabId: number; time: number; status: number; statusLine: string; headers: HeaderList }
  | { kind: 'redirect'; id: string; tabId: number; time: number; status: number; headers: HeaderList; location: string }
  | { kind: 'complete'; id: string; tabId: number; time: number; status: number; fromCache: boolean; ip: string | null }
  | { kind: 'error'; id: string; tabId: number; time: number; error: string };
