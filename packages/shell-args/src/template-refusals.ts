/*
 * Why the `sh` template scanner refuses an interpolation or a literal construct. The
 * messages name the construct, why a quoted value is not one literal argument there, and
 * the fix.
 */
import type { FrameKind } from './template-scanner.js';

const ARITHMETIC =
  'sits inside arithmetic ((...)), which evaluates text as an expression: check the ' +
  'number in JavaScript and interpolate it outside the arithmetic';

/** Refusal of an interpolation inside each kind of quoting or expansion frame. */
export const INSIDE: Partial<Record<FrameKind, string>> = {
  double:
    `sits inside double quotes of the template ("\${v}"); sh quotes every value itself, ` +
    `so drop those quotes: write --out=\${v}, not --out="\${v}"`,
  single:
    `sits inside single quotes of the template ('\${v}'); sh quotes every value itself, ` +
    'so drop those quotes',
  backtick: 'sits inside `...` command substitution, where quoting rules change: use $(...)',
  group:
    'sits inside a (...) glued to a word: a glob group (bash extglob @(...), zsh qualifiers ' +
    'such as *(e:...:), which run their text as code), not a subshell: put a space before (',
  param: `sits inside a \${...} parameter expansion: interpolate it as its own word instead`,
  arith: ARITHMETIC,
  arithcmd: ARITHMETIC,
  comment:
    'sits inside a # comment; a comment ends at the first newline even inside quotes, ' +
    'so the rest of the value would run as a command',
  heredoc:
    'sits inside a here-document, where quotes are not removed: pass the value as an ' +
    'argument or on stdin instead',
};

/** `$[...]` (bash, zsh): arithmetic that expands `$(...)` even inside a value's quotes. */
export function refuseOldArithmetic(next: string | undefined): void {
  if (next !== '[') return;

  throw new Error(
    'the template uses $[...] arithmetic (bash, zsh), which runs $(...) found in a quoted ' +
      'value; compute the number in JavaScript or write $((...)) without interpolations',
  );
}

/**
 * Inside `$((...))` and `((...))` bash pairs quotes (a `))` between them does not close),
 * zsh and dash do not, so the readings disagree on where the arithmetic ends.
 */
export function refuseQuoteInArithmetic(): never {
  throw new Error(
    'the template quotes or escapes inside arithmetic ((...)), where shells disagree on ' +
      'where it ends; write the expression without quotes, backquotes or backslashes',
  );
}

/**
 * In `"${x#'...'}"` dash, bash, mksh and busybox read the single quotes as quotes (zsh as
 * literal characters), and bash also in `"${x:-'...'}"`. The readings disagree on where the
 * expansion and the double quotes end, so a later value could land inside quotes.
 */
export function refuseQuoteInQuotedParam(): never {
  throw new Error(
    `the template puts ' inside a "\${...}" expansion, which shells read differently ` +
      '(quote or literal); move the word out of the double quotes or drop the single quotes',
  );
}

/**
 * `(` at the start of a word is a subshell in command position, where `#` starts a comment,
 * but in zsh a pattern group in an argument, `(#i)x` or `( #x)`, where it does not: a quote
 * the scanner skipped as comment text would be open in zsh, and a later value inside it.
 */
export function refuseCommentInParens(): never {
  throw new Error(
    'the template starts a # comment inside (...), which zsh reads as part of a glob ' +
      'pattern when the ( follows a command word; move the comment out of the parentheses',
  );
}

const FUNSUB_START = new Set([' ', '\t', '\n', '|']);

/**
 * `${ cmd;}` and `${|cmd;}` are command substitutions in mksh (and bash 5.3), where `#` starts
 * a comment and quotes pair as in commands; read as a parameter expansion, a quote in such a
 * comment would shift every later quote and put a value inside one.
 */
export function refuseFunctionSubstitution(
  next: string | undefined,
  after: string | undefined,
): void {
  if (next !== '{' || after === undefined || !FUNSUB_START.has(after)) return;

  throw new Error(
    `the template uses \${ ...;} or \${|...;}, a command substitution in mksh and bash 5.3 ` +
      'that the scanner does not follow; write $(...) instead',
  );
}
