// Origin Lens with parts switched off, to split what it costs a page in the page-cost bench.
// Each variant is the built extension (dist/BROWSER) with its background rebuilt from src with
// one patch, or its manifest without the page hooks. Usage:
//   node build.mjs && node test/bench/page-cost/variants.mjs [chrome|firefox] [NAME...]
// writes .tmp/variants/BROWSER/NAME and prints the PAGE_COST_EXTRA value that compares them.
import * as esbuild from 'esbuild';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [target = 'firefox', ...only] = process.argv.slice(2);

/** Source patches: file (under src/background) → [text, replacement]. */
const VARIANTS = {
  // The same background, rebuilt here: tells this script's build from build.mjs's.
  rebuilt: {},
  // No page hooks: no content scripts, so no fetch hook in the page and no page-events messages.
  'no-hooks': { manifest: (m) => delete m.content_scripts },
  // The page hooks run and send their batches, which the background drops unread.
  'drop-page-events': { 'main.ts': ["'page-events': ({ batch }, sender) => ({ accepted: pages.acceptFrom(sender, batch) })", "'page-events': () => ({ accepted: 0 })"] },
  // No cookie verdicts: the collector gets no cookie reader.
  'no-cookies': { 'main.ts': ['new CookieReader(BROWSER, new CookieJar(BROWSER))', 'null'] },
  // No IndexedDB writes: every save succeeds at once.
  'no-keep': { 'collector.ts': ['this.store\n      .save(changes, pages)', 'Promise.resolve()'] },
  // Events converted by the listeners and dropped: no sessions, verdicts or writes.
  'convert-only': { 'main.ts': ['(event) => collector.enqueue(event)', '() => undefined'] },
};

const patching = (patches) => ({
  name: 'patch',
  setup(build) {
    build.onLoad({ filter: /src\/background\/[^/]+\.ts$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      const patch = patches[args.path.split('/').pop()];
      if (patch) {
        if (!text.includes(patch[0])) throw new Error(`${args.path}: no "${patch[0]}" to patch`);
        text = text.replace(patch[0], patch[1]);
      }
      return { contents: text, loader: 'ts' };
    });
  },
});

const extra = [];
for (const [name, { manifest, ...patches }] of Object.entries(VARIANTS)) {
  if (only.length && !only.includes(name)) continue;
  const out = join(root, '.tmp', 'variants', target, name);
  rmSync(out, { recursive: true, force: true });
  cpSync(join(root, 'dist', target), out, { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'src/background/main.ts')],
    outfile: join(out, 'background.js'),
    bundle: true,
    format: 'iife',
    target: target === 'chrome' ? 'chrome111' : 'firefox128',
    minify: true,
    legalComments: 'none',
    define: { __BROWSER__: JSON.stringify(target === 'chrome' ? 'chromium' : 'firefox') },
    logLevel: 'warning',
    plugins: [patching(patches)],
  });
  if (manifest) {
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    manifest(m);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  }
  extra.push(`${name}=${out}`);
}
console.log(extra.join(','));
