import { ShellArgError, typeName } from './errors.js';
import { assertArgContent, assertString } from './value-checks.js';

/*
 * Characters no shell of the family (sh/dash, bash, zsh, ksh/mksh, busybox ash) expands or
 * splits in any position, in any common option set. Left out on purpose:
 *   ~ tilde (also zsh `foo~bar` exclusion), = (zsh `=cmd` at word start, assignment in
 *   command position, bash tilde after `=`), # comment and zsh `x#`, ^ zsh extendedglob,
 *   ! history, {} braces, * ? [ ] globs, quotes, $ ` \ expansions, whitespace and
 *   operators, every control character and all non-ASCII (U+00A0 is a separator for some
 *   readers; multibyte locales differ).
 * `%` may not start a word: `%1` names a job in bash, zsh and ksh.
 * A single regex test over one character class is linear: no backtracking is possible.
 */
const BARE = /^[A-Za-z0-9_./:@+,-][A-Za-z0-9_./:@%+,-]*$/;

// One native scan for anything that may not survive argv; the exact checks run only on a hit.
const SUSPECT = /[\0\uD800-\uDFFF]/;

/**
 * Quotes without the type check. `role` (and `index`, for list items) name the value in
 * error messages; they are only joined on the slow path, so the hot path allocates nothing.
 */
export function quoteChecked(value: string, role: string, index?: number): string {
  if (BARE.test(value)) return value;

  if (SUSPECT.test(value))
    assertArgContent(value, index === undefined ? role : `${role}[${index}]`);
  // Inside single quotes every shell of the family is literal; `'\''` closes the quote,
  // adds an escaped quote and reopens. No `$'...'`: dash and busybox read it differently.
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * Quotes `value` as one POSIX shell word that sh, dash, bash, zsh, mksh and busybox ash all
 * read back as exactly `value`. Safe values stay bare; everything else is single-quoted;
 * `''` for the empty string. Never alters a value: NUL and lone surrogates throw.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_TYPE`, `ERR_SHELL_ARG_NUL`, `ERR_SHELL_ARG_ENCODING`
 * @example
 * quote('sample 1.fastq'); // "'sample 1.fastq'"
 * quote("x'; touch PWNED #"); // "'x'\\''; touch PWNED #'"
 */
export function quote(value: string): string {
  assertString(value, 'quote: value');

  return quoteChecked(value, 'quote: value');
}

/**
 * Quotes every value and joins the words with single spaces.
 *
 * @example
 * quoteArgs(['grep', '-e', 'a b', '--', 'in.txt']); // "grep -e 'a b' -- in.txt"
 */
export function quoteArgs(values: readonly string[]): string {
  if (!Array.isArray(values)) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_TYPE',
      `quoteArgs: values must be an array of strings, got ${typeName(values)}`,
    );
  }

  let out = '';
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (typeof value !== 'string') assertString(value, `quoteArgs: values[${i}]`);
    out += (i === 0 ? '' : ' ') + quoteChecked(value, 'quoteArgs: values', i);
  }
  return out;
}
