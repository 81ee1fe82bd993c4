import browser, { type Runtime } from 'webextension-polyfill';
import { PANEL_PORT, portMessage, versioned, type BackgroundMessage, type PanelMessage } from '../core/protocol';

export type SourceListener = (message: BackgroundMessage) => void;

/**
 * The live feed of one tab from the background. The port drops whenever the browser stops the
 * worker; reconnecting wakes it, and the fresh snapshot replaces what the panel holds.
 */
export class LiveSource {
  private port: Runtime.Port | null = null;
  private closed = false;
  private keepAlive: ReturnType<typeof setInterval>;

  constructor(
    readonly tabId: number,
    private listener: SourceListener,
    private onVersionMismatch: () => void,
  ) {
    this.connect();
    // Chrome stops a worker that hears nothing for 30 s; an open panel wants it listening.
    this.keepAlive = setInterval(() => this.send({ type: 'ping' }), 20_000);
  }

  private connect(): void {
    const port = browser.runtime.connect({ name: PANEL_PORT });
    this.port = port;
    port.onMessage.addListener((message: unknown) => {
      const m = portMessage<BackgroundMessage>(message);
      if (m) this.listener(m);
      else this.onVersionMismatch();
    });
    port.onDisconnect.addListener(() => {
      this.port = null;
      if (!this.closed) this.connect();
    });
    this.send({ type: 'subscribe', tabId: this.tabId });
  }

  send(message: PanelMessage): void {
    this.port?.postMessage(versioned(message));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
    this.port?.disconnect();
  }
}
