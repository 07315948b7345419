/**
 * Stable codes of {@link ShellArgError}; each is listed once in the package README.
 *
 * @example
 * const refused: ShellArgErrorCode[] = ['ERR_SHELL_ARG_NUL', 'ERR_SHELL_ARG_LEADING_DASH'];
 */
export type ShellArgErrorCode =
  | 'ERR_SHELL_ARG_TYPE'
  | 'ERR_SHELL_ARG_NUL'
  | 'ERR_SHELL_ARG_ENCODING'
  | 'ERR_SHELL_ARG_TEMPLATE'
  | 'ERR_SHELL_ARG_LEADING_DASH'
  | 'ERR_SHELL_ARG_SED_UNSAFE'
  | 'ERR_SHELL_ARG_AWK_UNSAFE'
  | 'ERR_SHELL_ARG_SIGNIFICANT'
  | 'ERR_SHELL_ARG_OPTION';

/**
 * One character that a POSIX-family shell treats specially, as found by
 * `detectShellSignificant`.
 *
 * @example
 * const [first]: ShellSignificantChar[] = detectShellSignificant('a;b'); // ';' 'separator'
 */
export interface ShellSignificantChar {
  /** Offset in UTF-16 code units, as `String.prototype.slice` counts. */
  index: number;
  /** The character (one code point, so a surrogate pair is one entry). */
  char: string;
  /** Why a shell cares about it. */
  category: ShellCharCategory;
}

/**
 * What a shell-significant character can do to an unquoted word.
 *
 * @example
 * const category: ShellCharCategory = detectShellSignificant('$HOME')[0]!.category; // 'expansion'
 */
export type ShellCharCategory =
  | 'quote'
  | 'escape'
  | 'expansion'
  | 'separator'
  | 'redirection'
  | 'glob'
  | 'grouping'
  | 'whitespace'
  | 'control'
  | 'comment'
  | 'tilde'
  | 'brace'
  | 'history'
  | 'assignment'
  | 'job'
  | 'non-ascii';

/**
 * The one error class of `@galaxy-harden/shell-args`. `code` is stable; `cause` is kept.
 *
 * @example
 * try { quote('a\0b'); } catch (err) {
 *   if (err instanceof ShellArgError && err.code === 'ERR_SHELL_ARG_NUL') reply(400);
 * }
 */
export class ShellArgError extends Error {
  readonly code: ShellArgErrorCode;
  /** For `ERR_SHELL_ARG_SIGNIFICANT`: every character found, in order. */
  readonly findings: readonly ShellSignificantChar[] | undefined;

  constructor(
    code: ShellArgErrorCode,
    message: string,
    options?: { cause?: unknown; findings?: readonly ShellSignificantChar[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShellArgError';
    this.code = code;
    this.findings = options?.findings;
  }
}

const SHOWN_CHARS = 60;

/**
 * A short, printable rendering of a user value for messages: JSON-escaped (so control
 * characters stay visible in logs) and cut at 60 characters.
 */
export function showValue(value: string): string {
  const cut = value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
  return JSON.stringify(cut);
}

/** Names a non-string value's type for TypeError-like messages without echoing it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
