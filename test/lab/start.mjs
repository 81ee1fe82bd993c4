// `npm start`: builds the extension, starts the demo lab (HTTP on --port, HTTPS on the port
// after it) and opens a real browser with the extension loaded on the lab page, the lab's
// certificate accepted. Usage: npm start [-- --browser firefox] [-- --port 8710]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumTrustFlag, trustLabCaInFirefoxProfile } from './certs.mjs';
import { startLab, HOSTS } from './server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const browser = option('browser', 'chromium');
const port = Number(option('port', '8710'));
if (!['chromium', 'firefox'].includes(browser)) {
  console.error(`start: --browser must be chromium or firefox, not "${browser}"`);
  process.exit(64);
}

const built = spawnSync(process.execPath, [join(root, 'build.mjs'), '--debug'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const lab = await startLab({ port, httpsPort: port + 1 });
const url = `${lab.httpsOrigins.app}/`;
const profile = mkdtempSync(join(tmpdir(), `origin-lens-${browser}-`));
console.log(`
Origin Lens demo lab on 127.0.0.1:${lab.httpsPort} (HTTPS) and 127.0.0.1:${lab.port} (HTTP)
  page:        ${url}   (also ${lab.origins.app}/)
  cookie lab:  ${lab.httpsOrigins.app}/page/cookies.html
  API:         ${lab.httpsOrigins.api} (same site)   other site: ${lab.httpsOrigins.other}, ${lab.httpsOrigins.otherApi}
  dev page:    ${lab.origins.dev}/   (a dev server's page, its /api/ proxied to the API)
The lab's names resolve to 127.0.0.1, and its certificate is accepted, inside the browser
opened now (${browser}). Open DevTools > "Origin Lens" on the lab tab. Close the browser or
press Ctrl-C to stop.
`);
if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.warn('start: no DISPLAY is set; the browser needs a screen (or run under xvfb-run).');
}

const command =
  browser === 'chromium'
    ? [
        process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        [
          `--user-data-dir=${profile}`,
          `--load-extension=${join(root, 'dist', 'chrome')}`,
          `--disable-extensions-except=${join(root, 'dist', 'chrome')}`,
          `--host-resolver-rules=${Object.values(HOSTS).map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`,
          chromiumTrustFlag(),
          '--auto-open-devtools-for-tabs',
          '--no-first-run',
          '--no-default-browser-check',
          '--disable-quic',
          // Chromium refuses to start as root with its sandbox on (containers, CI machines).
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
          url,
        ],
      ]
    : [
        process.execPath,
        [
          join(root, 'node_modules', 'web-ext', 'bin', 'web-ext.js'),
          'run',
          '--target', 'firefox-desktop',
          '--firefox', process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          '--source-dir', join(root, 'dist', 'firefox'),
          '--firefox-profile', profile,
          '--no-reload',
          '--start-url', url,
          // Firefox has no per-host mapping: every name resolves to loopback in this profile.
          '--pref', 'network.dns.forceResolve=127.0.0.1',
          // Firefox's own -devtools opens DevTools on the lab tab (web-ext's --devtools would
          // open the add-on's debugger instead).
          '--arg=-devtools',
        ],
      ];

// web-ext starts Firefox on a copy of this profile, its NSS database (the lab's CA) included.
if (browser === 'firefox') trustLabCaInFirefoxProfile(profile);
const child = spawn(command[0], command[1], { stdio: 'inherit' });
const stop = async () => {
  await lab.close();
  rmSync(profile, { recursive: true, force: true });
};
child.on('exit', async (code) => {
  await stop();
  process.exit(code ?? 0);
});
child.on('error', async (e) => {
  console.error(`start: could not run ${command[0]}: ${e.message}`);
  await stop();
  process.exit(1);
});
process.on('SIGINT', () => child.kill('SIGTERM'));
