import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askBackground } from '../../src/core/protocol';
import { scenarios } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launchChromium, launchFirefox, root, type BrowserName, type ChromiumBrowser, type ExtensionBrowser, type FirefoxBrowser, type Tab } from './browsers';
import { cdpBrowser, cdpEvaluate, cdpSend, cdpTargets } from './cdp';
import { askBackgroundUntil, findTabId, sendFrom, until, waitReady } from './extension';
import { layoutFaults, PANEL_WIDTHS } from './panel-layout';

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
  /**
   * Makes the DevTools window holding the panel `width` px wide (the panel spans it); resolves,
   * once the panel has that width, with what is wrong with its layout (layoutFaults) and a PNG of
   * the window. Call after openPanel.
   */
  sizeAndShoot(width: number): Promise<{ faults: string[]; png: Buffer }>;
}

/** Where the screenshots go: test-results/ is not committed. */
const SHOTS = join(root, 'test-results', 'devtools');

/** An expression giving what is wrong with the layout of the window `win` names (layoutFaults). */
const measure = (win: string) => `(${layoutFaults.toString()})(${win}.document)`;
/**
 * An expression: `then` run two frames later in the window `win` names, once the panel has laid
 * itself out for its new width (which bar items it shows follows the width a render later).
 */
const afterTwoFrames = (win: string, then: string) => `${win}.requestAnimationFrame(() => ${win}.requestAnimationFrame(() => ${then}))`;
/** An expression: whether the panel in the window `win` names is `width` px wide and shows its rows. */
const shown = (win: string, width: number) => `${win}.innerWidth === ${width} && ${win}.document.querySelector('.requests .row')`;

/** Run in a panel page: records when the page turns dark (epoch ms, as window.darkAt). */
function watchDark(): boolean {
  new MutationObserver(() => {
    const w = window as unknown as { darkAt?: number };
    if (document.documentElement.dataset.theme === 'dark') w.darkAt ??= performance.timeOrigin + performance.now();
  }).observe(document.documentElement, { attributes: true });
  return true;
}

/** Chrome-context script head: DevTools' module loader and its gDevTools. */
const LOADER = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');`;

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
    async sizeAndShoot(width) {
      // The one toolbox, moved into a window of its own (the DevTools window), sized as a user
      // sizes it; then the panel's <browser> element, once it has the width.
      const PANEL = `${LOADER} const toolbox = gDevTools.getToolboxes()[0];
        const panel = () => toolbox.doc.getElementById('toolbox-panel-iframe-' + toolbox.currentToolId).contentDocument.querySelector('browser');`;
      await firefox.chromeScript(`${PANEL}
        return (toolbox.hostType === 'window' ? Promise.resolve() : toolbox.switchHost('window')).then(() => {
          // Asked again until it holds: a new window may still apply its own first size after ours.
          const sized = () => panel()?.getBoundingClientRect().width === ${width} || void toolbox.topWindow.resizeTo(${width}, 800);
          ${resolveWhen('sized()')}
        });`);
      // The panel's page lives in the extension's process, out of reach of chrome scripts: a frame
      // script measures it there, once its window has the width and its rows.
      const frameScript = `const check = () => (${shown('content', width)} ? ${afterTwoFrames('content', `sendAsyncMessage('origin-lens-test:layout', ${measure('content')})`)} : content.setTimeout(check, 20));
        check();`;
      // Loaded again into whatever <browser> the panel has every 2 s until one answers: right after
      // the toolbox moves into its window the panel's <browser> can be replaced, and a frame script
      // loaded into the old one never runs (about one run in three).
      const faults = await firefox.chromeScript<string[]>(`${PANEL}
        return new Promise((resolve) => {
          let answered = false;
          const attach = () => {
            if (answered) return;
            const mm = panel()?.messageManager;
            if (mm) {
              mm.addMessageListener('origin-lens-test:layout', function once(message) {
                mm.removeMessageListener('origin-lens-test:layout', once);
                if (!answered) resolve(message.data);
                answered = true;
              });
              mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(frameScript)}), true);
            }
            toolbox.topWindow.setTimeout(attach, 2000);
          };
          attach();
        });`);
      // What Marionette's chrome-context screenshot does, for the toolbox's window rather than the browser's.
      const png = await firefox.chromeScript<string>(`${PANEL}
        const win = toolbox.topWindow;
        return win.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, 'white').then((bitmap) => {
          const canvas = win.document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
          canvas.width = bitmap.width;
          canvas.height = bitmap.height;
          canvas.getContext('2d').drawImage(bitmap, 0, 0);
          return canvas.toDataURL('image/png');
        });`);
      return { faults, png: Buffer.from(png.slice(png.indexOf(',') + 1), 'base64') };
    },
    async openPanel(_control, url) {
      const DEVTOOLS = `${LOADER}
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
    async sizeAndShoot(width) {
      const browserTarget = await cdpBrowser(port);
      // The front end inspecting the lab's tab, undocked: a window of its own, sized like any.
      const fronts = (await cdpTargets(port)).filter((t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html'));
      const inspected = await Promise.all(
        fronts.map((front) => cdpEvaluate<string>(front, `import('./core/sdk/sdk.js').then((SDK) => SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? '')`)),
      );
      const front = fronts[inspected.findIndex((u) => u.startsWith(lab.origins.app))]!;
      await cdpEvaluate(front, `import('./ui/legacy/legacy.js').then((UI) => UI.DockController.DockController.instance().setDockSide('undocked'))`);
      const { windowId } = await cdpSend<{ windowId: number }>(browserTarget, 'Browser.getWindowForTarget', { targetId: front.id });
      await cdpSend(browserTarget, 'Browser.setWindowBounds', { windowId, bounds: { width, height: 800 } });
      const faults = await cdpEvaluate<string[]>(
        panelFrame!,
        `new Promise((resolve) => {
          const check = () => (${shown('window', width)} ? ${afterTwoFrames('window', `resolve(${measure('window')})`)} : setTimeout(check, 20));
          check();
        })`,
      );
      // The panel's frame is composited apart from the front end: both paint once more at the new size first.
      const painted = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))';
      await Promise.all([cdpEvaluate(panelFrame!, painted), cdpEvaluate(front, painted)]);
      const { data } = await cdpSend<{ data: string }>(front, 'Page.captureScreenshot', { format: 'png' });
      return { faults, png: Buffer.from(data, 'base64') };
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

  it('fits DevTools windows of 600, 900 and 1400 px: toolbar and filter bar on one line, no sized column cut', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const faults: Record<number, string[]> = {};
    for (const width of PANEL_WIDTHS) {
      const shot = await host.sizeAndShoot(width);
      writeFileSync(join(SHOTS, `${name}-${width}.png`), shot.png);
      faults[width] = shot.faults;
    }
    expect(faults).toEqual(Object.fromEntries(PANEL_WIDTHS.map((w) => [w, []])));
  });

  it('follows DevTools into its dark theme while the panel is open', async () => {
    const took = await host.darkenDevtools();
    console.log(`${name}: DevTools theme changed → panel dark after ${took.toFixed(0)} ms`);
    expect(took).toBeGreaterThanOrEqual(0);
  });
});
