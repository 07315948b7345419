// Command-line options of `npm run load`, checked once: a wrong one stops the run before
// anything starts, naming the option, the value, the rule and the fix.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `npm run load -- [options]

  --duration SECONDS   load against the demo, fault phase included (default 30, 2 to 600)
  --connections N      concurrent connections of the main route mix (default 8, 1 to 256)
  --no-fault           do not stop Redis mid-run
  --out DIR            where load-<timestamp>.json and .svg go (default bench-results/)
  --json FILE          also write the results JSON to FILE
  --help               this text
`;

/** A wrong command-line option: the message says what to pass instead. */
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
      help: { type: 'boolean', default: false },
    },
  });

  return {
    help: values.help,
    durationSeconds: whole('duration', values.duration, 2, 600),
    connections: whole('connections', values.connections, 1, 256),
    fault: !values['no-fault'],
    outDir: resolve(cwd, values.out),
    jsonFile: values.json === undefined ? undefined : resolve(cwd, values.json),
  };
}

function whole(option, text, min, max) {
  const value = Number(text);
  if (Number.isInteger(value) && value >= min && value <= max) return value;

  throw new LoadOptionError(
    option,
    text,
    `must be a whole number from ${min} to ${max}`,
    `e.g. --${option} ${min * 5 > max ? min : min * 5}`,
  );
}
