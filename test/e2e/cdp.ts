// A minimal Chrome DevTools Protocol client for the targets Playwright does not expose: the
// DevTools front ends and the extension frames inside them, over the remote-debugging port.
import WebSocket from 'ws';

export interface CdpTarget {
  id: string;
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export async function cdpTargets(port: number): Promise<CdpTarget[]> {
  return (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as CdpTarget[];
}

/** The browser's own target (window bounds, screenshots of other targets go through it). */
export async function cdpBrowser(port: number): Promise<CdpTarget> {
  const { webSocketDebuggerUrl } = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  return { id: 'browser', type: 'browser', url: '', webSocketDebuggerUrl };
}

/** Sends one command to the target and resolves with its result. */
export async function cdpSend<T>(target: CdpTarget, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const ws = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const reply = new Promise<{ error?: { message: string }; result?: T }>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; error?: { message: string }; result?: T };
        if (message.id === 1) resolve(message);
      }),
    );
    ws.send(JSON.stringify({ id: 1, method, params }));
    const { error, result } = await reply;
    if (error) throw new Error(`${method}: ${error.message}`);
    return result!;
  } finally {
    ws.close();
  }
}

interface EvaluateResult {
  result: { value: unknown };
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

/** Evaluates `expression` in the target (awaiting the promise it gives) and returns its value. */
export async function cdpEvaluate<T>(target: CdpTarget, expression: string): Promise<T> {
  const result = await cdpSend<EvaluateResult>(target, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
  return result.result.value as T;
}
