#!/usr/bin/env node
// Launcher for the offline analyzer: runs dist/cli/origin-lens.mjs, building it first with
// build.mjs when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
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
    // Recursive: core's subsystem folders (src/core/fix/stacks, ...) are sources too.
    for (const f of readdirSync(full, { recursive: true })) newest = Math.max(newest, statSync(join(full, String(f))).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(out) || (existsSync(entry) && statSync(out).mtimeMs < newestSource());
if (stale) {
  const built = spawnSync(process.execPath, [join(root, 'build.mjs'), '--cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(pathToFileURL(out).href);
