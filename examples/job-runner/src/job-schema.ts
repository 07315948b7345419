import { JobRunnerError } from './errors.js';

/** `sed` flags a job may set; both default to `false`. */
export interface SedOptions {
  /** `-n`: print only what the script prints. */
  readonly quiet: boolean;
  /** `-E`: extended regular expressions. */
  readonly extendedRegex: boolean;
}

/** `grep` flags a job may set; all default to `false`. */
export interface GrepOptions {
  readonly ignoreCase: boolean;
  readonly invert: boolean;
  readonly count: boolean;
  readonly fixedStrings: boolean;
  readonly extendedRegex: boolean;
  readonly lineNumbers: boolean;
}

/** A checked `sed` job: the user's script over one dataset. */
export interface SedJob {
  readonly tool: 'sed';
  readonly dataset: string;
  readonly script: string;
  readonly options: SedOptions;
}

/** A checked `grep` job: the user's pattern over one dataset. */
export interface GrepJob {
  readonly tool: 'grep';
  readonly dataset: string;
  readonly pattern: string;
  readonly options: GrepOptions;
}

/** A job that passed {@link parseJob}. */
export type Job = SedJob | GrepJob;

/** Caps applied while parsing. */
export interface JobLimits {
  /** Most UTF-8 bytes in the script or pattern. */
  readonly maxInputBytes: number;
}

type Fields = Record<string, unknown>;

const SED_FIELDS = ['tool', 'dataset', 'script', 'options'];
const GREP_FIELDS = ['tool', 'dataset', 'pattern', 'options'];
const SED_FLAGS = ['quiet', 'extendedRegex'] as const;
const GREP_FLAGS = [
  'ignoreCase',
  'invert',
  'count',
  'fixedStrings',
  'extendedRegex',
  'lineNumbers',
] as const;
const MAX_DATASET_BYTES = 128;

/**
 * Turns a request body into a {@link Job}, or throws a `JobRunnerError` whose code names the
 * rule broken. Unknown fields are refused rather than ignored: a client that sends
 * `"inPlace": true` must learn it had no effect.
 *
 * @example
 * const body = { tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' };
 * parseJob(body, { maxInputBytes: 4096 }).options; // { quiet: false, extendedRegex: false }
 */
export function parseJob(body: unknown, limits: JobLimits): Job {
  const fields = record(body, 'the job');
  if (fields.tool === 'sed') return parseSed(fields, limits);
  if (fields.tool === 'grep') return parseGrep(fields, limits);

  throw new JobRunnerError('ERR_JOB_TOOL', 'field "tool" must be "sed" or "grep"');
}

function parseSed(fields: Fields, limits: JobLimits): SedJob {
  onlyKnown(fields, SED_FIELDS, 'a sed job');

  return {
    tool: 'sed',
    dataset: string(fields, 'dataset', MAX_DATASET_BYTES),
    script: string(fields, 'script', limits.maxInputBytes),
    options: flags(fields.options, SED_FLAGS, 'sed'),
  };
}

function parseGrep(fields: Fields, limits: JobLimits): GrepJob {
  onlyKnown(fields, GREP_FIELDS, 'a grep job');

  return {
    tool: 'grep',
    dataset: string(fields, 'dataset', MAX_DATASET_BYTES),
    pattern: string(fields, 'pattern', limits.maxInputBytes),
    options: flags(fields.options, GREP_FLAGS, 'grep'),
  };
}

function record(value: unknown, what: string): Fields {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Fields;

  throw new JobRunnerError(
    'ERR_JOB_BODY',
    `${what} must be a JSON object (send Content-Type: application/json)`,
  );
}

function onlyKnown(fields: Fields, known: readonly string[], what: string): void {
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown === undefined) return;

  throw new JobRunnerError(
    'ERR_JOB_FIELD_UNKNOWN',
    `${what} has no field ${JSON.stringify(unknown.slice(0, 40))}; allowed: ${known.join(', ')}`,
  );
}

function string(fields: Fields, name: string, maxBytes: number): string {
  const value = fields[name];
  if (value === undefined) {
    throw new JobRunnerError('ERR_JOB_FIELD_MISSING', `field "${name}" is required`);
  }
  if (typeof value !== 'string') {
    throw new JobRunnerError('ERR_JOB_FIELD_TYPE', `field "${name}" must be a string`);
  }
  if (Buffer.byteLength(value, 'utf8') > maxBytes) {
    throw new JobRunnerError(
      'ERR_JOB_FIELD_TOO_LONG',
      `field "${name}" must be at most ${maxBytes} bytes of UTF-8`,
    );
  }

  return value;
}

function flags<K extends string>(
  value: unknown,
  names: readonly K[],
  tool: string,
): Record<K, boolean> {
  const fields = value === undefined ? {} : record(value, 'field "options"');
  onlyKnown(fields, names, `${tool} options`);
  const entries = names.map((name) => [name, flag(fields, name)] as const);

  return Object.fromEntries(entries) as Record<K, boolean>;
}

function flag(fields: Fields, name: string): boolean {
  const value = fields[name];
  if (value === undefined || typeof value === 'boolean') return value ?? false;

  throw new JobRunnerError('ERR_JOB_FIELD_TYPE', `option "${name}" must be true or false`);
}
