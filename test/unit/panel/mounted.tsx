import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, vi } from 'vitest';
import { findingsFor } from '../../../src/core/session/judge';
import type { MessageRecord, WebSocketRecord } from '../../../src/core/page/records';
import type { Browser } from '../../../src/core/browser';
import type { RequestRecord } from '../../../src/core/session/record';
import { App, type AppProps } from '../../../src/panel/App';
import { JudgingBrowser } from '../../../src/panel/judging-browser';
import { SessionModel } from '../../../src/panel/model';
import { PAGE } from '../../support/records';

// The panel's App mounted in the test's page (happy-dom), and the ways the tests touch it.

const NO_DROPS = { messages: 0, websockets: 0, requests: 0, rejected: 0 };

export interface Mounted {
  root: HTMLElement;
  model: SessionModel;
  props: AppProps;
  /** Renders again after the model changed, as the live source does. */
  refresh: (over?: Partial<AppProps>) => void;
}

let mounted: Mounted | null = null;

/** The panel as main.tsx renders it: the App, speaking the judging browser's words. */
function view(props: AppProps, browser: Browser) {
  return (
    <JudgingBrowser.Provider value={browser}>
      <App {...props} />
    </JudgingBrowser.Provider>
  );
}

export function mount(records: RequestRecord[], over: Partial<AppProps> & { messages?: MessageRecord[]; websockets?: WebSocketRecord[]; browser?: Browser } = {}): Mounted {
  const { messages = [], websockets = [], browser = 'chromium', ...rest } = over;
  const model = new SessionModel();
  model.load({ tabId: 1, pageUrl: `${PAGE}/`, startedAt: 0, records, navigations: [], dropped: 0 }, false, { messages, websockets, dropped: NO_DROPS });
  const root = document.createElement('div');
  document.body.append(root);
  const props: AppProps = {
    model,
    version: model.version,
    findings: findingsFor(records, 'chromium'),
    live: true,
    title: `${PAGE}/`,
    onExport: vi.fn(),
    onImport: vi.fn(),
    error: null,
    notice: null,
    ...rest,
  };
  act(() => render(view(props, browser), root));
  const m: Mounted = {
    root,
    model,
    props,
    refresh: (more = {}) => {
      m.props = { ...m.props, version: model.version, findings: findingsFor(model.records, 'chromium'), ...more };
      act(() => render(view(m.props, browser), root));
    },
  };
  mounted = m;
  return m;
}

/** Takes the mounted App out of the page (each test's last one goes after the test). */
export function unmount(): void {
  if (mounted) {
    act(() => render(null, mounted!.root));
    mounted.root.remove();
    mounted = null;
  }
}

afterEach(unmount);

export const $ = <T extends Element = HTMLElement>(sel: string, from: ParentNode = document) => from.querySelector<T>(sel);
export const $$ = <T extends Element = HTMLElement>(sel: string, from: ParentNode = document) => [...from.querySelectorAll<T>(sel)];
export const rowIds = () => $$('.row').map((r) => r.dataset.id);
export const button = (text: string | RegExp) => {
  const b = $$<HTMLButtonElement>('button').find((x) => (typeof text === 'string' ? x.textContent?.trim() === text : text.test(x.textContent ?? '')));
  if (!b) throw new Error(`no button ${text}`);
  return b;
};
export const click = (el: Element) => act(() => (el as HTMLElement).click());
export const key = (k: string) => act(() => void document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
export function type(text: string) {
  const input = $<HTMLInputElement>('input[type=search]')!;
  act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
export const checkbox = (label: string) => $$('label').find((l) => l.textContent?.trim() === label)!.querySelector('input')!;

export { webSocketFrame as frame, webSocketRecord as socket } from '../../support/records';

