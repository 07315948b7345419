import { ShellArgError, showValue, typeName } from './errors.js';
import { assertArg, assertBooleanOption, assertOptions } from './value-checks.js';

/**
 * Options of {@link checkPositional}.
 *
 * @example
 * const options: PositionalOptions = { name: 'input file' };
 */
export interface PositionalOptions {
  /**
   * Accept a value that starts with `-`. Only safe when the value follows `--` on the command
   * line (the helpers put it there). Defaults to `false`.
   */
  allowLeadingDash?: boolean;
  /**
   * What the value is, for the error message (`'file name'`, `'pattern'`). Defaults to
   * `'value'`.
   */
  name?: string;
}

// `-` alone is not an option but standard input (or output) for sed, grep, awk and most
// other programs, even after `--`: a file operand `-` would read the job's stdin instead.
function stdinOperand(name: string): ShellArgError {
  return new ShellArgError(
    'ERR_SHELL_ARG_LEADING_DASH',
    `${name} "-" names standard input, not a file, even after "--" (sed, grep, awk and most ` +
      'programs read it so); for a file named -, pass ./-',
  );
}

/**
 * Refuses a positional value that a program would read as an option: quoting keeps
 * `-oProxyCommand=...` one word, but the program still parses it as a flag (argument
 * injection). `-` alone is refused even with `allowLeadingDash`: programs read it as standard
 * input after `--` too. Also refuses NUL and lone surrogates. Returns the value unchanged.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_LEADING_DASH`, `ERR_SHELL_ARG_TYPE`,
 *   `ERR_SHELL_ARG_NUL`, `ERR_SHELL_ARG_ENCODING`, `ERR_SHELL_ARG_OPTION`
 * @example
 * checkPositional(userFile, { name: 'input file' }); // throws for '-rf'
 */
export function checkPositional(value: string, options: PositionalOptions = {}): string {
  assertOptions('checkPositional', options, ['allowLeadingDash', 'name']);
  assertBooleanOption('checkPositional', 'allowLeadingDash', options.allowLeadingDash);
  const name = options.name ?? 'value';
  if (typeof name !== 'string') {
    throw new ShellArgError(
      'ERR_SHELL_ARG_OPTION',
      '@galaxy-harden/shell-args checkPositional: option name must be a string, got ' +
        `${typeName(name)}; pass a short description such as 'file name'`,
    );
  }
  assertArg(value, name);
  if (value === '-') throw stdinOperand(name);
  if (options.allowLeadingDash === true || !value.startsWith('-')) return value;

  throw new ShellArgError(
    'ERR_SHELL_ARG_LEADING_DASH',
    `${name} ${showValue(value)} starts with "-", so the program would read it as an ` +
      'option (argument injection); put "--" before operands (sedCommand and grepCommand ' +
      'do) and set allowLeadingDash: true, or reject the value',
  );
}
