// Builds both unpacked extensions (dist/chrome, dist/firefox) from the one root manifest.json,
// and the offline analyzer (dist/cli). Usage:
//   node build.mjs [--browser chrome|firefox] [--watch] [--debug] [--package]
//   node build.mjs --cli      (the analyzer only)
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const TARGETS = ['chrome', 'firefox'];
const only = option('browser');
if (only && !TARGETS.includes(only)) {
  console.error(`build: unknown browser "${only}" (use ${TARGETS.join(' or ')})`);
  process.exit(64);
}
const targets = only ? [only] : TARGETS;
const debug = flag('debug');
const watch = flag('watch');

// Keys one browser rejects or warns about; everything else is shared.
function manifestFor(target) {
  const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  m.version = pkg.version;
  if (target === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    delete m.background.service_worker;
    delete m.minimum_chrome_version;
  }
  return m;
}

const entries = {
  background: 'src/background/main.ts',
  'content-main': 'src/content/main-world.ts',
  'content-bridge': 'src/content/bridge.ts',
  devtools: 'src/devtools/devtools.ts',
  panel: 'src/panel/main.tsx',
};
const staticFiles = [
  ['src/devtools/devtools.html', 'devtools.html'],
  ['src/panel/panel.html', 'panel.html'],
  ['src/panel/panel.css', 'panel.css'],
  ['icons', 'icons'],
];

function extensionOptions(target) {
  const outdir = join(root, 'dist', target);
  return {
    entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, join(root, v)])),
    outdir,
    bundle: true,
    format: 'iife',
    target: target === 'chrome' ? 'chrome111' : 'firefox128',
    minify: !debug,
    sourcemap: debug ? 'inline' : false,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { __BROWSER__: JSON.stringify(target === 'chrome' ? 'chromium' : 'firefox') },
    logLevel: 'warning',
    plugins: [
      {
        name: 'extension-files',
        setup(build) {
          build.onStart(() => {
            rmSync(outdir, { recursive: true, force: true });
            mkdirSync(outdir, { recursive: true });
          });
          build.onEnd(() => {
            for (const [from, to] of staticFiles) cpSync(join(root, from), join(outdir, to), { recursive: true });
            writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifestFor(target), null, 2) + '\n');
          });
        },
      },
    ],
  };
}

const cliOptions = {
  entryPoints: [join(root, 'src/cli/origin-lens.ts')],
  outfile: join(root, 'dist/cli/origin-lens.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};

const builds = flag('cli') ? [cliOptions] : targets.map(extensionOptions);
if (!only && !flag('cli')) builds.push(cliOptions);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log(`build: watching ${targets.join(', ')} (Ctrl-C to stop)`);
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`build: wrote ${flag('cli') ? 'dist/cli' : targets.map((t) => `dist/${t}`).join(', ')}`);
  if (flag('package')) {
    for (const target of targets) {
      const r = spawnSync(
        process.execPath,
        [join(root, 'node_modules/web-ext/bin/web-ext.js'), 'build', '--overwrite-dest',
          '--source-dir', join(root, 'dist', target), '--artifacts-dir', join(root, 'dist', 'packages'),
          '--filename', `origin-lens-${target}-{version}.zip`],
        { stdio: 'inherit' },
      );
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
}
