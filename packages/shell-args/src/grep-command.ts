import { checkOperands } from './operands.js';
import { quoteArgs } from './quote.js';
import { assertArg, assertBooleanOption, assertOptions } from './value-checks.js';

/**
 * Options of {@link grepArgv} and {@link grepCommand}.
 *
 * @example
 * const options: GrepOptions = { pattern: 'AC[TG]', files: ['reads.fa'], count: true };
 */
export interface GrepOptions {
  /** The pattern, passed with `-e` so `--help` or `-f` stay a pattern. May be empty. */
  pattern: string;
  /** Input files, placed after `--`. Defaults to `[]` (grep reads stdin). */
  files?: readonly string[];
  /** Ignore case (`-i`). Defaults to `false`. */
  ignoreCase?: boolean;
  /** Print the lines that do not match (`-v`). Defaults to `false`. */
  invert?: boolean;
  /** Print only a count of matching lines (`-c`). Defaults to `false`. */
  count?: boolean;
  /** Read the pattern as a fixed string, not a regex (`-F`). Defaults to `false`. */
  fixedStrings?: boolean;
  /** Extended regular expressions (`-E`). Defaults to `false`. */
  extendedRegex?: boolean;
  /** Prefix each line with its line number (`-n`). Defaults to `false`. */
  lineNumbers?: boolean;
}

const FLAGS: ReadonlyArray<[keyof GrepOptions, string]> = [
  ['ignoreCase', '-i'],
  ['invert', '-v'],
  ['count', '-c'],
  ['fixedStrings', '-F'],
  ['extendedRegex', '-E'],
  ['lineNumbers', '-n'],
];
const GREP_KEYS = ['pattern', 'files', ...FLAGS.map(([option]) => option)];

/**
 * The argv of a grep run: `grep [flags] -e PATTERN -- FILE...`. The pattern follows `-e`
 * and the files follow `--`, so neither can be read as an option.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_OPTION`, `ERR_SHELL_ARG_TYPE`, `ERR_SHELL_ARG_NUL`,
 *   `ERR_SHELL_ARG_ENCODING`
 * @example
 * execFile('grep', grepArgv({ pattern: '--help', files: [path] }).slice(1));
 */
export function grepArgv(options: GrepOptions): string[] {
  assertOptions('grepArgv', options, GREP_KEYS);
  const argv = ['grep'];
  for (const [option, flag] of FLAGS) {
    assertBooleanOption('grepArgv', option, options[option]);
    if (options[option] === true) argv.push(flag);
  }
  assertArg(options.pattern, 'grepArgv: pattern');
  const files = checkOperands('grepArgv', options.files);

  argv.push('-e', options.pattern, '--', ...files);
  return argv;
}

/**
 * The shell command line of {@link grepArgv}, every word quoted.
 *
 * @example
 * grepCommand({ pattern: 'AC[TG]', files: ['reads.fa'], count: true });
 * // "grep -c -e 'AC[TG]' -- reads.fa"
 */
export function grepCommand(options: GrepOptions): string {
  return quoteArgs(grepArgv(options));
}
