import browser, { type Devtools } from 'webextension-polyfill';
import { THEME_CHANNEL, versioned, type DevtoolsMessage } from '../core/protocol';

// Recent Chrome leaves the polyfill's `browser.devtools` undefined in DevTools pages, so the
// DevTools API falls back to Chrome's own global there.
const devtools: Devtools.Static =
  (browser as { devtools?: Devtools.Static }).devtools ??
  (globalThis as unknown as { chrome: { devtools: Devtools.Static } }).chrome.devtools;

/** How each browser reports a theme change: Firefox an event, Chrome a handler it calls. */
type ThemePanels = {
  themeName?: string;
  onThemeChanged?: { addListener(listener: (name: string) => void): void };
  setThemeChangeHandler?: (handler: (name: string) => void) => void;
};
const panels = devtools.panels as unknown as ThemePanels;
// Firefox names its themes light and dark; Chrome default and dark.
const themeOf = (name: string | undefined) => (name === 'dark' ? 'dark' : 'light');

void devtools.panels.create(
  'Origin Lens',
  'icons/icon-32.png',
  `panel.html?tabId=${devtools.inspectedWindow.tabId}&host=devtools&theme=${themeOf(panels.themeName)}`,
);

// The panel follows DevTools' theme while it is open: the change is relayed to every panel page.
const channel = new BroadcastChannel(THEME_CHANNEL);
const relay = (name: string) => channel.postMessage(versioned<DevtoolsMessage>({ type: 'theme', theme: themeOf(name) }));
if (panels.onThemeChanged) panels.onThemeChanged.addListener(relay);
else panels.setThemeChangeHandler?.(relay);
