// Runs a TypeScript script under Node: bundles it with esbuild (the same compiler as the
// product) into .tmp/ and runs the result. Usage: node test/tools/run-ts.mjs FILE [ARGS...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runTs(file, args = []) {
  const outDir = join(root, '.tmp', 'run');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, basename(file).replace(/\.tsx?$/, '.mjs'));
  await build({
    entryPoints: [resolve(file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
    plugins: [
      {
        // Plain .mjs modules (the lab) stay where they are: they find their files relative to themselves.
        name: 'external-mjs',
        setup(b) {
          b.onResolve({ filter: /\.mjs$/ }, (a) => ({ path: resolve(a.resolveDir, a.path), external: true }));
        },
      },
    ],
  });
  return spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node test/tools/run-ts.mjs FILE [ARGS...]');
    process.exit(64);
  }
  process.exit(await runTs(file, args));
}
