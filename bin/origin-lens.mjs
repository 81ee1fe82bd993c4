#!/usr/bin/env node
// Launcher for the offline analyzer: runs dist/cli/origin-lens.mjs, building it first with
// esbuild when it is missing or older than its sources (build.mjs builds it too).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli', 'origin-lens.mjs');
const entry = join(root, 'src', 'cli', 'origin-lens.ts');

function newestSource() {
  let newest = 0;
  for (const dir of ['src/cli', 'src/core']) {
    const full = join(root, dir);
    if (!existsSync(full)) continue;
    for (const f of readdirSync(full)) newest = Math.max(newest, statSync(join(full, f)).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(out) || (existsSync(entry) && statSync(out).mtimeMs < newestSource());
if (stale) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
await import(pathToFileURL(out).href);
