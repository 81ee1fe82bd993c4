// Headless Chromium for the page-cost bench: the end-to-end tests' flags, plus a debugging port
// to read the extension worker's heap. Origin Lens is asked for its status from its panel page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { PROTOCOL_VERSION as V } from '../../../src/core/protocol';
import type { SessionState } from '../../../src/core/session/session';
import { CHROMIUM_PATH, chromiumFlags } from '../../e2e/browsers';
import type { BurstResult, Config, Launcher, Running } from './launcher';

/** Asks Origin Lens's background for its status, from its page `control`, until `field` holds. */
function untilStatus(control: Page, field: 'ready' | 'settled'): Promise<void> {
  return control.evaluate(
    async ({ v, field }) => {
      for (;;) {
        const s = (await chrome.runtime.sendMessage({ v, type: 'status' })) as Record<string, unknown> | undefined;
        if (s?.[field]) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    { v: V, field },
  );
}

async function start(config: Config): Promise<Running> {
  const profile = mkdtempSync(join(tmpdir(), `ol-bench-cost-${config.key}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...chromiumFlags(config.dir), '--remote-debugging-port=0'],
  });
  /** The Origin Lens page used to ask its background for its status. */
  let control: Page | null = null;
  if (config.dir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    if (config.originLens) {
      const base = worker.url().split('/').slice(0, 3).join('/');
      control = await context.newPage();
      await control.goto(`${base}/panel.html`);
      await untilStatus(control, 'ready');
    }
  }
  const page = context.pages().find((p) => p !== control && p.url() === 'about:blank') ?? (await context.newPage());
  const devtools = () => readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').trim().split('\n');

  return {
    config,
    async round(url) {
      await page.goto(url);
      const result = (await page.evaluate('window.burstDone')) as BurstResult;
      // Origin Lens applies events in batches (150 ms) and stores them: wait until it has.
      if (control) await untilStatus(control, 'settled');
      return result;
    },
    async session(url) {
      if (!control) return null;
      const tabId = await control.evaluate(async (prefix) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(prefix))?.id ?? -1, url);
      return (await control.evaluate(({ v, tabId }) => chrome.runtime.sendMessage({ v, type: 'session', tabId }), { v: V, tabId })) as SessionState | null;
    },
    async counts() {
      if (!config.dir || config.originLens) return null;
      const worker = context.serviceWorkers()[0];
      return worker ? await worker.evaluate(() => (globalThis as unknown as { counts?: Record<string, number> }).counts ?? null) : null;
    },
    // The user agent's version is reduced to 156.0.0.0: the DevTools endpoint has the full one.
    async version() {
      const info = (await (await fetch(`http://127.0.0.1:${devtools()[0]}/json/version`)).json()) as { Browser: string };
      return info.Browser.replace(/^[^/]*\//, '');
    },
    heap: () => (config.dir ? workerHeap(devtools()) : Promise.resolve(null)),
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The extension service worker's JS heap, through the browser's DevTools endpoint. */
async function workerHeap([port, path]: string[]): Promise<{ used: number; afterGc: number } | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const n = ++id;
      pending.set(n, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result as T)));
      ws.send(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  try {
    const { targetInfos } = await send<{ targetInfos: { targetId: string; type: string; url: string }[] }>('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    if (!target) return null;
    const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
    const before = await send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
    await send('HeapProfiler.collectGarbage', {}, sessionId);
    const after = await send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
    return { used: before.usedSize, afterGc: after.usedSize };
  } finally {
    ws.close();
  }
}

export const chromiumLauncher: Launcher = {
  name: 'Chromium',
  originLensDir: (dist) => join(dist, 'chrome'),
  start,
};
