// Command-line options of `npm run load`, checked once: a wrong one stops the run before
// anything starts, naming the option, the value, the rule and the fix.
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `npm run load -- [options]

  --duration SECONDS   the demo's soak, Redis fault inside (default 30, 2 to 600); the
                       comparison with bare Express (HTTPS and plain HTTP) takes about
                       1.5 times as long again, plus warm-ups
  --connections N      concurrent connections of the main route mix (default 8, 1 to 256);
                       two more run the job stream
  --no-fault           do not stop Redis mid-run
  --out DIR            where load-<timestamp>.json and .svg go (default bench-results/)
  --json FILE          also write the results JSON to FILE
  --profile DIR        write a V8 CPU profile of each stack process to DIR; summarise one
                       with node scripts/load/profile-summary.mjs FILE
  --help               this text
`;

/**
 * A wrong command-line option: the message says what to pass instead.
 *
 * @example
 * new LoadOptionError('duration', '0', 'must be from 2 to 600', 'e.g. --duration 20').code;
 * // 'ERR_LOAD_OPTION'
 */
export class LoadOptionError extends Error {
  constructor(option, value, rule, fix) {
    super(`npm run load: --${option} ${JSON.stringify(value)} ${rule}; ${fix}`);
    this.name = 'LoadOptionError';
    this.code = 'ERR_LOAD_OPTION';
  }
}

/**
 * Reads the options of `scripts/load.mjs`.
 *
 * @example
 * parseLoadOptions(['--duration', '20']).durationSeconds; // 20
 */
export function parseLoadOptions(argv, cwd = process.cwd()) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '8' },
      'no-fault': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
      json: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });

  return {
    help: values.help,
    durationSeconds: whole('duration', values.duration, [2, 600], 30),
    connections: whole('connections', values.connections, [1, 256], 8),
    fault: !values['no-fault'],
    outDir: resolve(cwd, values.out),
    jsonFile: values.json === undefined ? undefined : resolve(cwd, values.json),
    profileDir: values.profile === undefined ? undefined : resolve(cwd, values.profile),
  };
}

function whole(option, text, [min, max], usual) {
  // Digits only: Number() would also read "0x10", "1e1" or " 20" as a duration.
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;

  const rule = `must be a whole number from ${min} to ${max}`;
  throw new LoadOptionError(option, text, rule, `e.g. --${option} ${usual}`);
}

function unwritable(option, path, error) {
  const why = error.code ?? error.message;
  return new LoadOptionError(option, path, `cannot be written (${why})`, 'pass a writable path');
}

/**
 * mkdir -p one level at a time: Node's recursive mkdirSync loops for ever where the kernel
 * answers ENOENT for a parent that exists (`/proc/x`).
 */
function makeDir(dir) {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDir(parent);
  mkdirSync(dir);
}

/** Creates `dir` if needed and writes and removes a probe file in it. */
function probeDir(option, dir, shown = dir) {
  const probe = join(dir, `.load-probe-${process.pid}`);
  try {
    makeDir(dir);
    closeSync(openSync(probe, 'wx'));
    rmSync(probe);
  } catch (error) {
    throw unwritable(option, shown, error);
  }
}

/**
 * Checks, before anything starts, that the run can write its results where the options say:
 * otherwise a run of several minutes would end in a stack trace and lose them.
 *
 * @example
 * checkOutputs(parseLoadOptions(['--out', '/proc/nope'])); // throws LoadOptionError
 */
export function checkOutputs({ outDir, jsonFile, profileDir }) {
  probeDir('out', outDir);
  if (profileDir) probeDir('profile', profileDir);
  if (!jsonFile) return;

  probeDir('json', dirname(jsonFile), jsonFile);
  const existing = statSync(jsonFile, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw unwritable('json', jsonFile, { code: 'EISDIR' });
  try {
    closeSync(openSync(jsonFile, 'a'));
    if (!existing) rmSync(jsonFile);
  } catch (error) {
    throw unwritable('json', jsonFile, error);
  }
}
