#!/usr/bin/env node
// The long property runs: every *.property.test.ts file, one after another, each with a share
// of the time budget and a printed seed, so a failure can be replayed with --seed.
//
//   npm run fuzz -- [--budget SECONDS] [--filter TEXT] [--seed N] [--runs N]
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

const budgetMs = Number(values.budget) * 1000;
const shareMs = Math.max(1000, Math.floor(budgetMs / files.length));
let failed = 0;
for (const [index, file] of files.entries()) {
  const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
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
  if (run.status !== 0) {
    failed += 1;
    console.log(
      `[fuzz] FAILED ${file}: replay with npm run fuzz -- --filter ${file} --seed ${seed}`,
    );
  }
}
console.log(`[fuzz] ${files.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
