// Launches real Chromium and real Firefox with the built extension loaded, each in a fresh
// profile, and gives tests one small interface over both: open a tab, evaluate in it, wait
// on a state in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumTrustFlag, trustLabCaInFirefoxProfile } from '../lab/certs.mjs';
import { HOSTS } from '../lab/server.mjs';
import { Marionette } from './marionette';

import type { Browser as BrowserName } from '../../src/core/browser';
export type { BrowserName };
export const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

/** The repository root: the nearest folder up from here with the project's manifest.json (also when bundled into .tmp/). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'build.mjs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}
export const root = findRoot(import.meta.dirname);
export const EXTENSION_DIR: Record<BrowserName, string> = {
  chromium: join(root, 'dist', 'chrome'),
  firefox: join(root, 'dist', 'firefox'),
};
const GECKO_ID = (JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
  browser_specific_settings: { gecko: { id: string } };
}).browser_specific_settings.gecko.id;
const FIREFOX_UUID = '6f1e2a7c-0b1d-4c3e-9a55-0a11e5c0de01';

/** The lab's host names all resolve to loopback; everything else fails fast. */
export const LAB_HOSTS = Object.values(HOSTS);

// A function evaluated in a page: it must not close over test variables (it is serialized).
export type PageFunction<A extends unknown[], T> = (...args: A) => T | Promise<T>;

export interface Tab {
  evaluate<A extends unknown[], T>(fn: PageFunction<A, T>, ...args: A): Promise<T>;
  /** Resolves with the first truthy value `fn` returns, re-checked in the page until it holds (or 20 s pass). */
  waitFor<A extends unknown[], T>(fn: PageFunction<A, T>, ...args: A): Promise<NonNullable<T>>;
  goto(url: string): Promise<void>;
  close(): Promise<void>;
}

export interface ExtensionBrowser {
  readonly name: BrowserName;
  readonly extensionBase: string;
  open(url: string): Promise<Tab>;
  /** Opens a page of the extension (e.g. "panel.html?tabId=3") in a new tab. */
  openExtensionPage(path: string): Promise<Tab>;
  /** Every console message the pages have logged so far, the browser's own CORS errors included. */
  consoleMessages(): Promise<string[]>;
  /** Runs `action` (which starts one download) and resolves with the downloaded file. */
  download(action: () => Promise<unknown>): Promise<{ filename: string; text: string }>;
  /** Stops the extension's background as the browser does when it idles (worker / event page). */
  stopBackground(): Promise<void>;
  close(): Promise<void>;
}

export interface FirefoxBrowser extends ExtensionBrowser {
  readonly name: 'firefox';
  /** Runs `script` (a function body; `arguments` holds `args`) in Firefox's privileged chrome context. */
  chromeScript<T>(script: string, args?: unknown[]): Promise<T>;
}

// Page-side wait: a promise that settles when the predicate holds; serialized into the page.
function waiterSource(fnSource: string, args: unknown[], timeoutMs: number): string {
  return `new Promise((resolve, reject) => {
    const fn = (${fnSource});
    const args = ${JSON.stringify(args)};
    const started = Date.now();
    const tick = async () => {
      try {
        const value = await fn(...args);
        if (value) return resolve(value);
      } catch (e) { return reject(e); }
      if (Date.now() - started > ${timeoutMs}) return reject(new Error('waitFor timed out: ' + ${JSON.stringify(fnSource.slice(0, 200))}));
      // Timers, not animation frames: tabs in the background get no frames.
      setTimeout(tick, 20);
    };
    tick();
  })`;
}
const WAIT_MS = 20_000;

/** Starts `name` with the unpacked extension in `dir` (the built one by default); `proxyPort` sends all its http traffic, loopback's too, through a proxy on 127.0.0.1. */
export async function launch(name: BrowserName, dir = EXTENSION_DIR[name], { proxyPort }: { proxyPort?: number } = {}): Promise<ExtensionBrowser> {
  if (name === 'firefox') return launchFirefox(dir, { proxyPort });
  return launchChromium(dir, proxyPort === undefined ? {} : { args: [`--proxy-server=http://127.0.0.1:${proxyPort}`, '--proxy-bypass-list=<-loopback>'] });
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium's flags: the unpacked extension in `dir` (none when null), the lab's host
 * names on loopback and its HTTPS certificate accepted, no background noise.
 */
export function chromiumFlags(dir: string | null): string[] {
  return [
    '--headless=new',
    ...(dir ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : ['--disable-extensions']),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    chromiumTrustFlag(),
    `--host-resolver-rules=${LAB_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}, EXCLUDE localhost`,
  ];
}

export interface ChromiumBrowser extends ExtensionBrowser {
  /** The remote-debugging port, when launched with DevTools open on every tab; else null. */
  debuggingPort: number | null;
}

/** Chromium with the extension; `devtools` opens DevTools on every tab and a debugging port to reach them; `args` adds flags. */
export async function launchChromium(dir = EXTENSION_DIR.chromium, options: { devtools?: boolean; args?: string[] } = {}): Promise<ChromiumBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'ol-chromium-'));
  const args = [...chromiumFlags(dir), ...(options.devtools ? ['--auto-open-devtools-for-tabs', '--remote-debugging-port=0'] : []), ...(options.args ?? [])];
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args });
  const consoleLog: string[] = [];
  context.on('console', (m) => consoleLog.push(m.text()));
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionBase = worker.url().split('/').slice(0, 3).join('/');

  const wrap = (page: Page): Tab => ({
    evaluate: (fn, ...args) => page.evaluate(`(${fn.toString()})(...${JSON.stringify(args)})`) as never,
    waitFor: (fn, ...args) => page.evaluate(waiterSource(fn.toString(), args, WAIT_MS)) as never,
    goto: async (url) => {
      await page.goto(url);
    },
    close: () => page.close(),
  });
  return {
    name: 'chromium',
    extensionBase,
    // Chromium writes the port it chose into the profile as it starts.
    debuggingPort: options.devtools ? Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]) : null,
    async open(url) {
      const page = await context.newPage();
      await page.goto(url);
      return wrap(page);
    },
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`${extensionBase}/${path}`);
      return wrap(page);
    },
    consoleMessages: async () => consoleLog.slice(),
    async download(action) {
      const [download] = await Promise.all([context.waitForEvent('download'), action()]);
      const path = await download.path();
      return { filename: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
    },
    async stopBackground() {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      const stopped = new Promise<void>((resolve) => {
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((v) => v.scriptURL.startsWith(extensionBase) && v.runningStatus === 'stopped')) resolve();
        });
      });
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
      await cdp.detach();
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function firefoxPrefs(downloads: string, proxyPort?: number): string {
  const prefs: Record<string, string | number | boolean> = {
    // Downloads go straight to a known folder, no dialog.
    'browser.download.folderList': 2,
    'browser.download.dir': downloads,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.helperApps.neverAsk.saveToDisk': 'application/json',
    'marionette.port': 0,
    'network.dns.forceResolve': '127.0.0.1',
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.aboutwelcome.enabled': false,
    'dom.disable_open_during_load': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
  };
  if (proxyPort !== undefined) {
    Object.assign(prefs, { 'network.proxy.type': 1, 'network.proxy.http': '127.0.0.1', 'network.proxy.http_port': proxyPort, 'network.proxy.allow_hijacking_localhost': true, 'network.proxy.no_proxies_on': '' });
  }
  return Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n';
}

/** Resolves with Marionette's port once Firefox writes it into the profile. */
function marionettePort(profile: string, firefox: ChildProcess): Promise<number> {
  const file = join(profile, 'MarionetteActivePort');
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!existsSync(file)) return false;
      const port = Number(readFileSync(file, 'utf8').trim());
      if (!port) return false;
      watcher.close();
      resolve(port);
      return true;
    };
    const watcher = watch(profile, () => void check());
    firefox.once('exit', (code) => {
      watcher.close();
      reject(new Error(`firefox exited (${code}) before Marionette started`));
    });
    // A missing binary never starts, so it never exits either.
    firefox.once('error', (e) => {
      watcher.close();
      reject(e);
    });
    check();
  });
}

/** Firefox with the extension in `dir` installed as a temporary add-on (none when null). */
export async function launchFirefox(dir: string | null = EXTENSION_DIR.firefox, { proxyPort }: { proxyPort?: number } = {}): Promise<FirefoxBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'ol-firefox-'));
  const downloads = join(profile, 'downloads');
  mkdirSync(downloads);
  writeFileSync(join(profile, 'user.js'), firefoxPrefs(downloads, proxyPort));
  trustLabCaInFirefoxProfile(profile);
  const firefox = spawn(
    process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    ['--marionette', '--headless', '-remote-allow-system-access', '--no-remote', '--profile', profile],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
  );
  let stderr = '';
  firefox.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  let client: Marionette;
  try {
    client = await Marionette.connect(await marionettePort(profile, firefox));
  } catch (e) {
    firefox.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  // No acceptInsecureCerts: the profile trusts the lab's CA, as a person's Firefox would.
  await client.send('WebDriver:NewSession', {});
  await client.send('WebDriver:SetTimeouts', { script: WAIT_MS + 5_000, pageLoad: 30_000 });
  if (dir) await client.send('Addon:Install', { path: dir, temporary: true });
  const extensionBase = `moz-extension://${FIREFOX_UUID}`;

  // Marionette drives one window at a time: every call switches to its tab first.
  const handles = await client.send<string[] | { value: string[] }>('WebDriver:GetWindowHandles');
  const initial = (Array.isArray(handles) ? handles : handles.value)[0];
  let active = initial;
  let initialUsed = false;
  const on = async (handle: string) => {
    if (active !== handle) await client.send('WebDriver:SwitchToWindow', { handle, focus: false });
    active = handle;
  };
  const script = async (handle: string, source: string) => {
    await on(handle);
    const r = await client.send<{ value: unknown }>('WebDriver:ExecuteScript', { script: `return ${source};`, args: [] });
    return r.value;
  };
  const wrap = (handle: string): Tab => ({
    evaluate: (fn, ...args) => script(handle, `(${fn.toString()})(...${JSON.stringify(args)})`) as never,
    waitFor: (fn, ...args) => script(handle, waiterSource(fn.toString(), args, WAIT_MS)) as never,
    goto: async (url) => {
      await on(handle);
      await client.send('WebDriver:Navigate', { url });
    },
    close: async () => {
      await on(handle);
      // CloseWindow answers with the handles left; Marionette then has no current window until told one.
      const left = await client.send<string[] | { value: string[] }>('WebDriver:CloseWindow');
      const next = (Array.isArray(left) ? left : left.value)[0];
      active = '';
      if (next) await on(next);
    },
  });
  const newTab = async (url: string): Promise<Tab> => {
    let handle: string;
    if (!initialUsed) {
      initialUsed = true;
      handle = initial!;
    } else {
      handle = (await client.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: false })).handle;
    }
    const tab = wrap(handle);
    await tab.goto(url);
    return tab;
  };
  const chromeScript = async <T>(source: string, args: unknown[] = []): Promise<T> => {
    await client.send('Marionette:SetContext', { value: 'chrome' });
    try {
      return (await client.send<{ value: T }>('WebDriver:ExecuteScript', { script: source, args })).value;
    } finally {
      await client.send('Marionette:SetContext', { value: 'content' });
    }
  };
  return {
    name: 'firefox',
    extensionBase,
    chromeScript,
    open: newTab,
    openExtensionPage: (path) => newTab(`${extensionBase}/${path}`),
    consoleMessages: () => chromeScript<string[]>('return Services.console.getMessageArray().map((m) => m.message ?? m.errorMessage ?? String(m));'),
    async download(action) {
      const before = new Set(readdirSync(downloads));
      // Firefox writes NAME.part and renames it to NAME when done: wait for that state. A file
      // may be gone between listing and looking (a temporary one of Firefox's): the next change
      // looks again.
      const sizeOf = (n: string) => statSync(join(downloads, n), { throwIfNoEntry: false })?.size ?? 0;
      const done = new Promise<string>((resolve) => {
        const check = () => {
          const names = readdirSync(downloads);
          const fresh = names.find((n) => !before.has(n) && !n.endsWith('.part') && !names.includes(`${n}.part`) && sizeOf(n) > 0);
          if (fresh) {
            watcher.close();
            resolve(fresh);
          }
        };
        const watcher = watch(downloads, check);
      });
      await action();
      const filename = await done;
      return { filename, text: readFileSync(join(downloads, filename), 'utf8') };
    },
    async stopBackground() {
      await chromeScript('const ext = WebExtensionPolicy.getByID(arguments[0]).extension; return ext.terminateBackground();', [GECKO_ID]);
    },
    async close() {
      try {
        await client.send('Marionette:Quit', { flags: ['eForceQuit'] });
      } catch {
        // The connection drops as Firefox quits.
      }
      client.close();
      if (firefox.exitCode === null) await new Promise((r) => firefox.once('exit', r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
