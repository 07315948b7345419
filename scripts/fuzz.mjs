#!/usr/bin/env node
// The long property runs: every *.property.test.ts file, one after another, each with a share
// of the time budget and a printed seed, so a failure can be replayed with --seed.
//
//   npm run fuzz -- [--budget SECONDS] [--filter TEXT] [--seed N] [--runs N]
//
// The budget bounds the whole run. Each file gets the time left divided by the files left, less
// the mean start-up cost of the files before it (npx, vitest, Redis, imports: 2 to 4 s on a
// busy 2-core machine), and at least MIN_FILE_MS; overruns come out of the later shares. Inside
// a file, fuzzParameters (test/support/fuzz.ts) splits FUZZ_TIME_MS between its properties.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '300' },
    filter: { type: 'string', default: '' },
    seed: { type: 'string' },
    runs: { type: 'string', default: '1000000000' },
  },
});

function propertyFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...propertyFiles(path));
    else if (name.endsWith('.property.test.ts')) found.push(path);
  }
  return found;
}

const roots = ['packages', 'test', 'examples'];
const files = roots.flatMap(propertyFiles).filter((file) => file.includes(values.filter));
if (files.length === 0) {
  console.error(`fuzz: no *.property.test.ts file matches "${values.filter}"`);
  process.exit(2);
}

/** Exits with a message naming the option, its value, the rule and the fix. */
function refuse(option, rule) {
  console.error(`fuzz: --${option} "${values[option]}" ${rule}`);
  process.exit(2);
}

const budgetSeconds = Number(values.budget);
if (!(budgetSeconds > 0)) refuse('budget', 'must be a positive number of seconds, e.g. 60');
if (values.seed !== undefined && !/^-?\d+$/.test(values.seed))
  refuse('seed', 'must be an integer: the seed a failed run printed');
if (!/^[1-9]\d*$/.test(values.runs)) refuse('runs', 'must be a positive integer');

const MIN_FILE_MS = 1000;
const startMs = Date.now();
const deadlineMs = startMs + budgetSeconds * 1000;
let failed = 0;
// Start-up and wind-down of one file beyond its share: a guess until the first file is measured.
let overheadMs = 2000;
for (const [index, file] of files.entries()) {
  const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
  const fileStartMs = Date.now();
  const fairMs = (deadlineMs - fileStartMs) / (files.length - index) - overheadMs;
  const shareMs = Math.max(MIN_FILE_MS, Math.floor(fairMs));
  console.log(`[fuzz ${index + 1}/${files.length}] ${file}: ${shareMs / 1000} s, seed ${seed}`);
  const env = {
    ...process.env,
    FUZZ_TIME_MS: String(shareMs),
    FUZZ_RUNS: values.runs,
    FUZZ_SEED: seed,
  };
  const timeout = String(shareMs * 2 + 60_000);
  const run = spawnSync('npx', ['vitest', 'run', file, `--testTimeout=${timeout}`], {
    env,
    stdio: 'inherit',
  });
  // The mean time a file took beyond its share so far.
  overheadMs += (Date.now() - fileStartMs - shareMs - overheadMs) / (index + 1);
  if (run.status !== 0) {
    failed += 1;
    console.log(
      `[fuzz] FAILED ${file}: replay with npm run fuzz -- --filter ${file} --seed ${seed}`,
    );
  }
}
const tookSeconds = ((Date.now() - startMs) / 1000).toFixed(1);
console.log(
  `[fuzz] ${files.length - failed} passed, ${failed} failed in ${tookSeconds} s ` +
    `(budget ${budgetSeconds} s)`,
);
process.exit(failed === 0 ? 0 : 1);
