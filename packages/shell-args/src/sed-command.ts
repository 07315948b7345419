import { checkOperands } from './operands.js';
import { quoteArgs } from './quote.js';
import { checkSedScript } from './sed-script.js';
import { assertBooleanOption, assertOptions } from './value-checks.js';

/**
 * Options of {@link sedArgv} and {@link sedCommand}.
 *
 * @example
 * const options: SedOptions = { script: 's/foo/bar/g', files: ['in.txt'], quiet: false };
 */
export interface SedOptions {
  /** The sed program; checked with `checkSedScript`. */
  script: string;
  /** Input files, placed after `--`. Defaults to `[]` (sed reads stdin). */
  files?: readonly string[];
  /** Print only what the script prints (`-n`). Defaults to `false`. */
  quiet?: boolean;
  /** Extended regular expressions (`-E`). Defaults to `false`. */
  extendedRegex?: boolean;
}

const SED_KEYS = ['script', 'files', 'quiet', 'extendedRegex'];

/**
 * The argv of a GNU sed run: `sed --sandbox [-n] [-E] -e SCRIPT -- FILE...`. The script is
 * checked first; `--sandbox` makes GNU sed itself refuse `e`, `r` and `w` (defence in depth).
 * For `execFile` and `spawn` without a shell.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_SED_UNSAFE`, `ERR_SHELL_ARG_OPTION`, and the value
 *   checks of `quote`
 * @example
 * execFile('sed', sedArgv({ script: 's/a/b/', files: [path] }).slice(1));
 */
export function sedArgv(options: SedOptions): string[] {
  assertOptions('sedArgv', options, SED_KEYS);
  assertBooleanOption('sedArgv', 'quiet', options.quiet);
  assertBooleanOption('sedArgv', 'extendedRegex', options.extendedRegex);
  const script = checkSedScript(options.script);
  const files = checkOperands('sedArgv', options.files);

  const argv = ['sed', '--sandbox'];
  if (options.quiet === true) argv.push('-n');
  if (options.extendedRegex === true) argv.push('-E');
  argv.push('-e', script, '--', ...files);
  return argv;
}

/**
 * The shell command line of {@link sedArgv}, every word quoted.
 *
 * @example
 * sedCommand({ script: 's/foo/bar/g', files: ['in 1.txt'] });
 * // "sed --sandbox -e s/foo/bar/g -- 'in 1.txt'"
 */
export function sedCommand(options: SedOptions): string {
  return quoteArgs(sedArgv(options));
}
