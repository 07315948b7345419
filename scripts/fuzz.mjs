#!/usr/bin/env node
// The long property runs: every *.property.test.ts file, one after another, each with a share
// of the time budget and a printed seed, so a failure can be replayed with --seed.
//
//   npm run fuzz -- [--budget SECONDS] [--filter TEXT] [--seed N] [--runs N]
//
// The budget bounds the whole run. Each file gets the time left divided by the files left, less
// the mean start-up cost of the files before it (vitest, Redis, imports: 2 to 4 s on a busy
// 2-core machine), and at least MIN_FILE_MS; overruns come out of the later shares. Inside a
// file, fuzzParameters (test/support/fuzz.ts) splits FUZZ_TIME_MS between its properties.
//
// Each file runs in its own vitest, in a process group of its own: vitest dies on SIGINT
// without stopping its worker or the Redis of its global setup, so Ctrl-C (or a file past its
// hard limit) stops the whole group by its id, the vitest PID printed for each file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const MIN_FILE_MS = 1000;
// A file that outlives twice its share plus this is stopped (a hung hook or worker).
const HARD_LIMIT_EXTRA_MS = 120_000;
// How long a stopped group may take to go before it is killed outright.
const GROUP_GRACE_MS = 5_000;

const USAGE = `usage: npm run fuzz -- [options]

  --budget SECONDS  the whole run, start-up included (default 300; a whole or decimal number)
  --filter TEXT     only the *.property.test.ts files whose path contains TEXT
  --seed N          replay: the seed a failed file printed (default: a new one per file)
  --runs N          at most N cases per property (default: unbounded, the budget decides)
  --help            this text
`;

/** Exits 2 before anything starts, with a message naming the option, value, rule and fix. */
function refuse(message) {
  process.stderr.write(`fuzz: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function readOptions() {
  let values;
  try {
    values = parseArgs({
      options: {
        budget: { type: 'string', default: '300' },
        filter: { type: 'string', default: '' },
        seed: { type: 'string' },
        runs: { type: 'string', default: '1000000000' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    refuse(error.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  // Number() would also read "0x10", "1e3", " 5" or "Infinity" (no limit at all).
  const budgetSeconds = /^\d+(\.\d+)?$/.test(values.budget) ? Number(values.budget) : 0;
  if (!(budgetSeconds > 0))
    refuse(`--budget "${values.budget}" must be a positive number of seconds, e.g. --budget 60`);
  const seed = values.seed;
  if (seed !== undefined && !(/^-?\d+$/.test(seed) && Number.isSafeInteger(Number(seed))))
    refuse(`--seed "${seed}" must be an integer: the seed a failed run printed`);
  if (!(/^[1-9]\d*$/.test(values.runs) && Number.isSafeInteger(Number(values.runs))))
    refuse(`--runs "${values.runs}" must be a positive whole number, e.g. --runs 10000`);

  return { budgetSeconds, filter: values.filter, seed, runs: values.runs };
}

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

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGINT to the group (Redis and vitest shut down on it), SIGKILL for what is left. */
async function stopGroup(pgid) {
  signalGroup(pgid, 'SIGINT');
  const deadline = Date.now() + GROUP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  signalGroup(pgid, 'SIGKILL');
}

const state = { child: undefined, interrupted: undefined };

/** Runs one file in its own vitest and process group; resolves with its exit code. */
async function runFile(file, env, shareMs) {
  const timeout = String(shareMs * 2 + 60_000);
  const args = [VITEST, 'run', file, `--testTimeout=${timeout}`];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
  state.child = child;
  console.log(`[fuzz] vitest PID ${child.pid} (its process group: ${child.pid})`);
  const hardLimit = setTimeout(
    () => {
      console.log(`[fuzz] ${file} ran past its hard limit: stopping vitest ${child.pid}`);
      void stopGroup(child.pid);
    },
    shareMs * 2 + HARD_LIMIT_EXTRA_MS,
  );
  const [code, signal] = await once(child, 'exit');
  clearTimeout(hardLimit);
  // Workers or Redis left by a vitest that did not end cleanly.
  if (code !== 0 && groupAlive(child.pid)) await stopGroup(child.pid);
  state.child = undefined;
  return signal ? 1 : code;
}

async function main() {
  const options = readOptions();
  const roots = ['packages', 'test', 'examples'].map((dir) => join(ROOT, dir));
  const files = roots
    .flatMap(propertyFiles)
    .map((path) => path.slice(ROOT.length + 1))
    .filter((file) => file.includes(options.filter));
  if (files.length === 0) refuse(`--filter "${options.filter}": no *.property.test.ts matches`);

  const startMs = Date.now();
  const deadlineMs = startMs + options.budgetSeconds * 1000;
  let failed = 0;
  // Start-up and wind-down of one file beyond its share: a guess until one is measured.
  let overheadMs = 2000;
  for (const [index, file] of files.entries()) {
    if (state.interrupted) break;
    const seed = options.seed ?? String(Math.floor(Math.random() * 2 ** 31));
    const fileStartMs = Date.now();
    const fairMs = (deadlineMs - fileStartMs) / (files.length - index) - overheadMs;
    const shareMs = Math.max(MIN_FILE_MS, Math.floor(fairMs));
    console.log(`[fuzz ${index + 1}/${files.length}] ${file}: ${shareMs / 1000} s, seed ${seed}`);
    const env = {
      ...process.env,
      FUZZ_TIME_MS: String(shareMs),
      FUZZ_RUNS: options.runs,
      FUZZ_SEED: seed,
    };
    const code = await runFile(file, env, shareMs);
    // The mean time a file took beyond its share so far.
    overheadMs += (Date.now() - fileStartMs - shareMs - overheadMs) / (index + 1);
    if (code !== 0 && !state.interrupted) {
      failed += 1;
      console.log(
        `[fuzz] FAILED ${file}: replay with npm run fuzz -- --filter ${file} --seed ${seed}`,
      );
    }
  }
  if (state.interrupted) process.exit(130);
  const tookSeconds = ((Date.now() - startMs) / 1000).toFixed(1);
  console.log(
    `[fuzz] ${files.length - failed} passed, ${failed} failed in ${tookSeconds} s ` +
      `(budget ${options.budgetSeconds} s)`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

// Ctrl-C: stop the running file's whole group, start no other; a second Ctrl-C is ignored.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (state.interrupted) return;
    state.interrupted = signal;
    const pid = state.child?.pid;
    console.log(`[fuzz] ${signal}: stopping${pid ? ` vitest ${pid} and its process group` : ''}`);
    if (pid) void stopGroup(pid);
    else process.exit(130);
  });
}
// A crash of this script must not leave a vitest running on its own.
process.on('exit', () => {
  if (state.child?.pid) signalGroup(state.child.pid, 'SIGKILL');
});

await main();
