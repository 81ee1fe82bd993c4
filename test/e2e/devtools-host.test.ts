import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askBackground } from '../../src/core/protocol';
import { scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launchChromium, launchFirefox, type BrowserName, type ChromiumBrowser, type ExtensionBrowser, type FirefoxBrowser, type Tab } from './browsers';
import { cdpEvaluate, cdpTargets } from './cdp';
import { askBackgroundUntil, findTabId, sendFrom, until, waitReady } from './extension';

// The panel inside the browser's own DevTools, opened on a lab tab: the DevTools page must add
// an "Origin Lens" panel whose page follows the inspected tab. Firefox's toolbox is driven from
// its chrome context (Marionette); Chromium's front end over the remote-debugging port.

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const blocked = scenarios.filter((s) => s.expect.outcome === 'blocked');

/** Chrome-context script tail: resolves with `expression` once it is truthy, re-checked on timers. */
const resolveWhen = (expression: string) => `return new Promise((resolve) => {
    const check = () => {
      const value = ${expression};
      if (value) resolve(value);
      else setTimeout(check, 20);
    };
    check();
  });`;

interface Host {
  browser: ExtensionBrowser;
  /** Opens DevTools' Origin Lens panel on the tab showing `url`; resolves with the panel page's URL. */
  openPanel(control: Tab, url: string, tabId: number): Promise<string>;
  /** The panel's "blocked N" filter button, once it counts `n` (Chromium only: Firefox's panel frame is out of reach). */
  blockedChip?(n: number): Promise<string>;
  /**
   * Switches DevTools to its dark theme; resolves with the milliseconds until a panel page wore
   * it (its data-theme). Call after openPanel.
   */
  darkenDevtools(): Promise<number>;
}

/** Run in a panel page: records when the page turns dark (epoch ms, as window.darkAt). */
function watchDark(): boolean {
  new MutationObserver(() => {
    const w = window as unknown as { darkAt?: number };
    if (document.documentElement.dataset.theme === 'dark') w.darkAt ??= performance.timeOrigin + performance.now();
  }).observe(document.documentElement, { attributes: true });
  return true;
}

async function firefoxHost(): Promise<Host> {
  const firefox: FirefoxBrowser = await launchFirefox();
  return {
    browser: firefox,
    // The toolbox's panel frame is out of Marionette's reach: a panel page opened as a tab, as
    // inside DevTools (host=devtools), hears the same relay from the DevTools page.
    async darkenDevtools() {
      const watcher = await firefox.openExtensionPage('panel.html?host=devtools&theme=light');
      await watcher.evaluate(watchDark);
      const changedAt = await firefox.chromeScript<number>("const t = Date.now(); Services.prefs.setCharPref('devtools.theme', 'dark'); return t;");
      return (await watcher.waitFor(() => (window as unknown as { darkAt?: number }).darkAt)) - changedAt;
    },
    async openPanel(_control, url) {
      const DEVTOOLS = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
        const { gDevTools } = require('devtools/client/framework/devtools');
        const tab = Services.wm.getMostRecentWindow('navigator:browser').gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(url)});`;
      await firefox.chromeScript(`${DEVTOOLS} return gDevTools.showToolboxForTab(tab).then(() => true);`);
      // The DevTools page registers the panel once the toolbox has loaded it.
      const panelId = await firefox.chromeScript<string>(
        `${DEVTOOLS} ${resolveWhen("gDevTools.getToolboxForTab(tab).getAdditionalTools().find((t) => t.label === 'Origin Lens')?.id")}`,
      );
      await firefox.chromeScript(`${DEVTOOLS} return gDevTools.getToolboxForTab(tab).selectTool(${JSON.stringify(panelId)}).then(() => true);`);
      // The panel's page loads once the tool is selected.
      return firefox.chromeScript<string>(`${DEVTOOLS}
        const frame = gDevTools.getToolboxForTab(tab).doc.getElementById('toolbox-panel-iframe-' + ${JSON.stringify(panelId)});
        const url = () => frame.contentDocument?.querySelector('browser')?.currentURI?.spec ?? '';
        ${resolveWhen("url().includes('panel.html') && url()")}`);
    },
  };
}

// In a DevTools front end: waits until it has started and the extension's panel is registered,
// then shows that panel.
const SHOW_PANEL = `new Promise((resolve) => {
  const check = async () => {
    try {
      const UI = await import('./ui/legacy/legacy.js');
      const views = UI.ViewManager.ViewManager.instance();
      const id = [...views.views.keys()].find((k) => k.startsWith('chrome-extension://') && k.endsWith('OriginLens'));
      if (id) {
        await views.showView(id);
        return resolve(id);
      }
    } catch {
      // The front end is still starting: its view manager does not exist yet.
    }
    setTimeout(check, 20);
  };
  check();
})`;

async function chromiumHost(): Promise<Host> {
  const chromium: ChromiumBrowser = await launchChromium(undefined, { devtools: true });
  const port = chromium.debuggingPort!;
  let panelFrame: Awaited<ReturnType<typeof cdpTargets>>[number] | undefined;
  return {
    browser: chromium,
    async openPanel(control, _url, tabId) {
      // Every tab has its own DevTools window: show the panel in each, then find the one whose
      // page inspects our tab.
      const fronts = (await cdpTargets(port)).filter((t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html'));
      for (const front of fronts) await cdpEvaluate(front, SHOW_PANEL);
      panelFrame = await until(
        control,
        async () => (await cdpTargets(port)).find((t) => t.type === 'iframe' && new URL(t.url).searchParams.get('tabId') === String(tabId)),
        `an Origin Lens panel frame for tab ${tabId}`,
      );
      return panelFrame.url;
    },
    async darkenDevtools() {
      await cdpEvaluate(panelFrame!, `(${watchDark.toString()})()`);
      const fronts = (await cdpTargets(port)).filter((t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html'));
      const changedAt = Math.min(
        ...(await Promise.all(
          fronts.map((front) =>
            cdpEvaluate<number>(
              front,
              `import('./core/common/common.js').then((Common) => {
                const t = performance.timeOrigin + performance.now();
                Common.Settings.Settings.instance().moduleSetting('ui-theme').set('dark');
                return t;
              })`,
            ),
          ),
        )),
      );
      const darkAt = await cdpEvaluate<number>(
        panelFrame!,
        `new Promise((resolve) => {
          const check = () => (window.darkAt ? resolve(window.darkAt) : setTimeout(check, 20));
          check();
        })`,
      );
      return darkAt - changedAt;
    },
    blockedChip: (n) =>
      cdpEvaluate<string>(
        panelFrame!,
        `new Promise((resolve) => {
          const check = () => {
            const chip = [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith('blocked '));
            if (chip && chip.textContent === 'blocked ${n}') resolve(chip.textContent);
            else setTimeout(check, 20);
          };
          check();
        })`,
      ),
  };
}

const hosts: Record<BrowserName, () => Promise<Host>> = { chromium: chromiumHost, firefox: firefoxHost };

describe.each(BROWSERS)('%s DevTools host', (name) => {
  let host: Host;
  beforeAll(async () => {
    host = await hosts[name]();
  });
  afterAll(async () => {
    await host?.browser.close();
  });

  it('adds an "Origin Lens" panel that follows the inspected tab and shows its verdicts', async () => {
    const control = await host.browser.openExtensionPage('panel.html');
    await waitReady(control);
    // Only tabs with a panel open are recorded: what the lab records below, the DevTools panel's
    // subscription made the background record.
    expect((await askBackground(sendFrom(control), 'set-settings', { settings: { scope: 'inspected' } })).settings.scope).toBe('inspected');
    const url = `${lab.origins.app}/?run=none`;
    const page = await host.browser.open(url);
    const tabId = await findTabId(control, url);
    expect(await askBackground(sendFrom(control), 'session', { tabId })).toBeNull();

    const params = new URL(await host.openPanel(control, url, tabId)).searchParams;
    expect(params.get('tabId')).toBe(String(tabId));
    expect(params.get('host')).toBe('devtools');
    expect(params.get('theme')).toMatch(/^(light|dark)$/);

    // The panel has subscribed once the background holds a session for the tab.
    await askBackgroundUntil(control, 'session', { tabId }, (s) => s !== null);
    await page.goto(`${lab.origins.app}/`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    const session = await askBackgroundUntil(control, 'session', { tabId }, (s) =>
      blocked.every((b) => s?.records.some((r) => r.url === `${lab.origins[b.target]}/s/${b.id}` && r.verdict?.outcome === 'blocked')),
    );
    expect(session?.pageUrl).toBe(`${lab.origins.app}/`);
    if (host.blockedChip) expect(await host.blockedChip(blocked.length)).toBe(`blocked ${blocked.length}`);
  });

  it('follows DevTools into its dark theme while the panel is open', async () => {
    const took = await host.darkenDevtools();
    console.log(`${name}: DevTools theme changed → panel dark after ${took.toFixed(0)} ms`);
    expect(took).toBeGreaterThanOrEqual(0);
  });
});
