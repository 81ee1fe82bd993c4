import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { launchFirefox, type FirefoxBrowser } from './browsers';
import { askBackground, askBackgroundUntil, findTabId, waitReady } from './extension';

// The panel inside the browser's own DevTools. Firefox's toolbox can be opened and driven from
// its chrome context; Chromium's DevTools front end is not reachable from a test driver, so
// there the panel is tested as the tab the toolbar button opens (same page, same code).

let lab: Lab;
let firefox: FirefoxBrowser;
beforeAll(async () => {
  lab = await startLab();
  firefox = await launchFirefox();
});
afterAll(async () => {
  await firefox?.close();
  await lab?.close();
});

/** Chrome-context preamble: DevTools, and `tab`, the browser tab showing the lab. */
const devtoolsOn = (urlPrefix: string) => `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const tab = Services.wm.getMostRecentWindow('navigator:browser').gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(urlPrefix)}));`;

/** Chrome-context script tail: resolves with `expression` once it is truthy, re-checked on timers. */
const until = (expression: string) => `return new Promise((resolve) => {
    const check = () => {
      const value = ${expression};
      if (value) resolve(value);
      else setTimeout(check, 20);
    };
    check();
  });`;

describe('firefox DevTools host', () => {
  it('adds an "Origin Lens" panel to the toolbox that follows the inspected tab', async () => {
    const control = await firefox.openExtensionPage('panel.html');
    await waitReady(control);
    // Only tabs with a panel open are recorded: what the lab records below, the DevTools panel's
    // subscription made the background record.
    expect((await askBackground(control, 'set-settings', { settings: { scope: 'inspected' } })).settings.scope).toBe('inspected');

    const page = await firefox.open(`${lab.origins.app}/?run=none`);
    const tabId = await findTabId(control, `${lab.origins.app}/?run=none`);
    const DEVTOOLS = devtoolsOn(`${lab.origins.app}/`);
    expect(await askBackground(control, 'session', { tabId })).toBeNull();
    await firefox.chromeScript(`${DEVTOOLS} return gDevTools.showToolboxForTab(tab).then(() => true);`);
    // The DevTools page registers the panel once the toolbox has loaded it.
    const panelId = await firefox.chromeScript<string>(
      `${DEVTOOLS} ${until("gDevTools.getToolboxForTab(tab).getAdditionalTools().find((t) => t.label === 'Origin Lens')?.id")}`,
    );
    await firefox.chromeScript(`${DEVTOOLS} return gDevTools.getToolboxForTab(tab).selectTool(${JSON.stringify(panelId)}).then(() => true);`);
    // The panel's page loads once the tool is selected.
    const panelUrl = await firefox.chromeScript<string>(`${DEVTOOLS}
      const frame = gDevTools.getToolboxForTab(tab).doc.getElementById('toolbox-panel-iframe-' + ${JSON.stringify(panelId)});
      const url = () => frame.contentDocument?.querySelector('browser')?.currentURI?.spec ?? '';
      ${until("url().includes('panel.html') && url()")}`);
    const params = new URL(panelUrl).searchParams;
    expect(params.get('tabId')).toBe(String(tabId));
    expect(params.get('host')).toBe('devtools');
    expect(params.get('theme')).toMatch(/^(light|dark)$/);

    // The panel has subscribed once the background holds a session for the tab.
    await askBackgroundUntil(control, 'session', { tabId }, (s) => s !== null);
    await page.goto(`${lab.origins.app}/`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    const blocked = scenarios.filter((s) => s.expect.outcome === 'blocked');
    const session = await askBackgroundUntil(control, 'session', { tabId }, (s) =>
      blocked.every((b) => s?.records.some((r) => r.url === `${lab.origins[b.target]}/s/${b.id}` && r.verdict?.outcome === 'blocked')),
    );
    expect(session?.pageUrl).toBe(`${lab.origins.app}/`);
  });
});
