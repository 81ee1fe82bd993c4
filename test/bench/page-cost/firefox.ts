// Headless Firefox for the page-cost bench, driven as the end-to-end tests drive it (Marionette,
// a profile that trusts the lab's CA, the extension installed as a temporary add-on). Origin
// Lens is asked for its status from its panel page, through the product's protocol.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { askBackground } from '../../../src/core/protocol';
import { launchFirefox } from '../../e2e/browsers';
import { askBackgroundUntil, findTabId, sendFrom, waitReady } from '../../e2e/extension';
import type { BurstResult, Config, Launcher, Running } from './launcher';

/** The add-on id the unpacked extension in `dir` declares. */
function geckoId(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } }).browser_specific_settings.gecko.id;
}

async function start(config: Config): Promise<Running> {
  const firefox = await launchFirefox(config.dir);
  // The burst loads in the first tab, the selected one: other tabs are in the background.
  const page = await firefox.open('about:blank');
  const control = config.originLens ? await firefox.openExtensionPage('panel.html') : null;
  if (control) await waitReady(control).catch(async (e: unknown) => {
    await firefox.close();
    throw e;
  });
  return {
    config,
    async round(url) {
      await page.goto(url);
      const result = await page.evaluate(() => (window as unknown as { burstDone: Promise<BurstResult> }).burstDone);
      // Origin Lens applies events in batches (150 ms) and stores them: wait until it has.
      if (control) await askBackgroundUntil(control, 'status', {}, (s) => s.settled);
      return result;
    },
    async session(url) {
      return control && askBackground(sendFrom(control), 'session', { tabId: await findTabId(control, url) });
    },
    // The observer answers "counts" to its own page (counts.html), opened at the end only.
    async counts() {
      if (!config.dir || config.originLens) return null;
      const host = await firefox.chromeScript<string>('return WebExtensionPolicy.getByID(arguments[0]).mozExtensionHostname;', [geckoId(config.dir)]);
      const tab = await firefox.open(`moz-extension://${host}/counts.html`);
      type Api = { runtime: { sendMessage(m: unknown): Promise<Record<string, number>> } };
      return tab.evaluate(() => (globalThis as unknown as { browser: Api }).browser.runtime.sendMessage('counts'));
    },
    version: () => firefox.chromeScript<string>('return Services.appinfo.version;'),
    // Extensions' backgrounds and pages share one "extension" process; pages run in "web" ones.
    cpu: () =>
      firefox.chromeScript<Record<string, number>>(`return ChromeUtils.requestProcInfo().then((info) => {
        const ms = { parent: info.cpuTime / 1e6 };
        for (const c of info.children) ms[c.type] = (ms[c.type] ?? 0) + c.cpuTime / 1e6;
        return ms;
      });`),
    close: () => firefox.close(),
  };
}

export const firefoxLauncher: Launcher = {
  name: 'Firefox',
  originLensDir: (dist) => join(dist, 'firefox'),
  start,
};
