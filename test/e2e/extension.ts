// Talks to the extension's background from one of its own pages, through the product's protocol.
import { askBackground, PROTOCOL_VERSION, type BackgroundRequests, type RequestMessage, type RequestType, type SendRequest } from '../../src/core/protocol';
import type { Tab } from './browsers';

type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> }; tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } };

/** The transport for askBackground: the request is sent by the extension page `control`. */
export function sendFrom(control: Tab): SendRequest {
  return (message) =>
    control.evaluate(
      (m) => ((globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome).runtime.sendMessage(m),
      message,
    );
}

/** The id of the tab whose URL starts with `prefix`. */
export async function findTabId(control: Tab, prefix: string): Promise<number> {
  const id = await control.evaluate(async (p) => {
    const api = (globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome;
    const tabs = await api.tabs.query({});
    return tabs.find((t) => t.url?.startsWith(p))?.id ?? null;
  }, prefix);
  if (id === null) throw new Error(`no tab at ${prefix}`);
  return id;
}

/** Waits until the background has its listeners in place and its kept sessions restored. */
export async function waitReady(control: Tab): Promise<void> {
  await control.waitFor(async (message) => {
    const api = (globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome;
    return ((await api.runtime.sendMessage(message)) as { ready: boolean }).ready;
  }, { v: PROTOCOL_VERSION, type: 'status' } satisfies RequestMessage);
}

/** Runs `probe` until it gives a truthy value (or 20 s pass), between tries yielding a timer turn of `control`. */
export async function until<T>(control: Tab, probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never reached: ${what}`);
    // The next try waits for the page's next timer turn, not for a fixed delay.
    await control.evaluate(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

/** Asks the background `type` until `done` holds for the answer (or 20 s pass). */
export async function askBackgroundUntil<K extends RequestType>(
  control: Tab,
  type: K,
  request: BackgroundRequests[K]['request'],
  done: (answer: BackgroundRequests[K]['response']) => boolean,
): Promise<BackgroundRequests[K]['response']> {
  return (
    await until(
      control,
      async () => {
        const answer = await askBackground(sendFrom(control), type, request);
        return done(answer) && { answer };
      },
      `the background's ${type}: ${done.toString()}`,
    )
  ).answer;
}
