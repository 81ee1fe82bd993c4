import { portMessage, THEME_CHANNEL, type DevtoolsMessage } from '../core/protocol';

function apply(theme: string | null): void {
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
}

/**
 * Inside DevTools the panel wears DevTools' theme: the one named in its URL at load, then each
 * change the DevTools page relays. Elsewhere it follows the system's (prefers-color-scheme).
 */
export function followTheme(params: URLSearchParams): void {
  apply(params.get('theme'));
  if (params.get('host') !== 'devtools') return;
  new BroadcastChannel(THEME_CHANNEL).onmessage = (e: MessageEvent) => {
    const m = portMessage<DevtoolsMessage>(e.data);
    if (m?.type === 'theme') apply(m.theme);
  };
}
