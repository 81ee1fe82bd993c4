import { describe, expect, it, vi } from 'vitest';
import { answerRequest, askBackground, PROTOCOL_VERSION, type RequestHandlers } from '../../../src/core/protocol';
import { DEFAULT_SETTINGS } from '../../../src/core/session/settings';

type Sender = { frame: number };
const status = { version: PROTOCOL_VERSION, ready: true, settled: true, settings: DEFAULT_SETTINGS, browser: 'firefox' as const };

function background() {
  const handlers: RequestHandlers<Sender> = {
    status: vi.fn(() => status),
    session: vi.fn(({ tabId }) => (tabId === 3 ? { tabId, pageUrl: null, startedAt: 0, records: [], navigations: [], dropped: 0 } : null)),
    'set-settings': vi.fn(async ({ settings }) => ({ ...status, settings: { ...status.settings, ...settings } })),
    'page-events': vi.fn(({ batch }, sender) => ({ accepted: batch.length + sender.frame })),
    'page-records': vi.fn(({ tabId }) => ({ tabId, messages: [], websockets: [], requests: [], dropped: { messages: 0, websockets: 0, requests: 0, rejected: 0 } })),
  };
  // The protocol in memory: what askBackground sends is what answerRequest receives.
  const send = (message: unknown) => answerRequest(handlers, message, { frame: 2 }) ?? Promise.resolve(undefined);
  return { handlers, send };
}

describe('the background protocol', () => {
  it('answers each request type with its own handler, which gets the sender', async () => {
    const { send } = background();
    expect(await askBackground(send, 'status', {})).toEqual(status);
    expect((await askBackground(send, 'session', { tabId: 3 }))?.tabId).toBe(3);
    expect(await askBackground(send, 'session', { tabId: 4 })).toBeNull();
    expect((await askBackground(send, 'set-settings', { settings: { scope: 'inspected' } })).settings.scope).toBe('inspected');
    expect(await askBackground(send, 'page-events', { batch: 'abc' })).toEqual({ accepted: 5 });
    expect((await askBackground(send, 'page-records', { tabId: 9 })).tabId).toBe(9);
  });

  it('leaves unanswered what is not a request of this version, or lacks the fields its handler needs', () => {
    const { handlers } = background();
    for (const message of [
      null,
      'status',
      { type: 'status' },
      { v: PROTOCOL_VERSION - 1, type: 'status' },
      { v: PROTOCOL_VERSION, type: 'toString' },
      { v: PROTOCOL_VERSION, type: 'session' },
      { v: PROTOCOL_VERSION, type: 'page-records', tabId: '3' },
      { v: PROTOCOL_VERSION, type: 'page-events', batch: { events: [] } },
      { v: PROTOCOL_VERSION, type: 'set-settings', settings: null },
    ]) {
      expect(answerRequest(handlers, message, { frame: 0 })).toBeUndefined();
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });
});
