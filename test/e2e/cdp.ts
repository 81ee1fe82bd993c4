// A minimal Chrome DevTools Protocol client for the targets Playwright does not expose: the
// DevTools front ends and the extension frames inside them, over the remote-debugging port.
import WebSocket from 'ws';

export interface CdpTarget {
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export async function cdpTargets(port: number): Promise<CdpTarget[]> {
  return (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as CdpTarget[];
}

interface EvaluateReply {
  error?: { message: string };
  result?: { result: { value: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } };
}

/** Evaluates `expression` in the target (awaiting the promise it gives) and returns its value. */
export async function cdpEvaluate<T>(target: CdpTarget, expression: string): Promise<T> {
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const reply = new Promise<EvaluateReply>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as EvaluateReply & { id?: number };
        if (message.id === 1) resolve(message);
      }),
    );
    ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }));
    const { error, result } = await reply;
    if (error) throw new Error(error.message);
    if (result!.exceptionDetails) throw new Error(result!.exceptionDetails.exception?.description ?? result!.exceptionDetails.text);
    return result!.result.value as T;
  } finally {
    ws.close();
  }
}
