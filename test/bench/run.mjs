// Runs every benchmark script (test/bench/*.bench.ts) in its own Node process, in order.
// `node test/bench/run.mjs NAME...` runs only the scripts whose file name contains a NAME;
// arguments after `--` go to each script (`node test/bench/run.mjs soak -- --hours 2`).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTs } from '../tools/run-ts.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dash = process.argv.indexOf('--');
const only = process.argv.slice(2, dash < 0 ? undefined : dash);
const args = dash < 0 ? [] : process.argv.slice(dash + 1);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = false;
for (const file of scripts) {
  console.log(`\n== ${file} ==`);
  if ((await runTs(join(here, file), args)) !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
