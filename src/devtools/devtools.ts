import browser, { type Devtools } from 'webextension-polyfill';

// Recent Chrome leaves the polyfill's `browser.devtools` undefined in DevTools pages, so the
// DevTools API falls back to Chrome's own global there.
const devtools: Devtools.Static =
  (browser as { devtools?: Devtools.Static }).devtools ??
  (globalThis as unknown as { chrome: { devtools: Devtools.Static } }).chrome.devtools;

// The panel follows DevTools' own light or dark theme (Firefox and Chrome both report it).
const theme = (devtools.panels as { themeName?: string }).themeName === 'dark' ? 'dark' : 'light';
void devtools.panels.create('Origin Lens', 'icons/icon-32.png', `panel.html?tabId=${devtools.inspectedWindow.tabId}&host=devtools&theme=${theme}`);
