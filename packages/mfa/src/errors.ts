/**
 * Stable codes of {@link MfaError}; each is listed once in the package README.
 *
 * @example
 * if (err instanceof MfaError && err.code === 'ERR_MFA_STORE') res.status(503).end();
 */
export type MfaErrorCode =
  | 'ERR_MFA_OPTION'
  | 'ERR_MFA_ARGUMENT'
  | 'ERR_MFA_STATE'
  | 'ERR_MFA_DECRYPT'
  | 'ERR_MFA_STORE'
  | 'ERR_MFA_IDP_TOKEN'
  | 'ERR_MFA_IDP_NO_SECOND_FACTOR'
  | 'ERR_MFA_IDP_UNAVAILABLE';

/**
 * The one error class of `@galaxy-harden/mfa`. `code` is stable; `cause` is kept. Messages
 * never carry a secret, a code or a token.
 *
 * @example
 * try {
 *   await mfa.confirmEnrolment('u1', '123456');
 * } catch (err) {
 *   if (err instanceof MfaError && err.code === 'ERR_MFA_STATE') startAgain();
 * }
 */
export class MfaError extends Error {
  readonly code: MfaErrorCode;

  constructor(code: MfaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MfaError';
    this.code = code;
  }
}

const PACKAGE = '@galaxy-harden/mfa';
const INVISIBLE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * A configuration error naming the package, option, value, rule and fix. With `secret`, the
 * value is shown only by its type and length: a key passed as a short string (a hex key, a
 * passphrase) must not reach a start-up log.
 */
export function optionError(
  option: string,
  value: unknown,
  rule: string,
  fix: string,
  { secret = false }: { secret?: boolean } = {},
): MfaError {
  const shown = secret ? shape(value) : describe(value);
  return new MfaError(
    'ERR_MFA_OPTION',
    `${PACKAGE}: option ${option} ${rule}, got ${shown}; ${fix}`,
  );
}

/** A programming error in an argument passed at run time (empty user id, ...). */
export function argumentError(name: string, rule: string): MfaError {
  return new MfaError('ERR_MFA_ARGUMENT', `${PACKAGE}: argument ${name} ${rule}`);
}

/** Renders a rejected option value without ever printing key material in full. */
function describe(value: unknown): string {
  if (typeof value === 'string' && value.length <= 40) {
    // JSON leaves C1, separators and bidi controls raw: they would reach the log as they are.
    return JSON.stringify(value).replace(INVISIBLE, (char) => `\\u${hex4(char)}`);
  }

  return shape(value);
}

/** The type and size of a value, never its content. */
function shape(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return `a string of ${value.length} chars`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function hex4(char: string): string {
  return char.charCodeAt(0).toString(16).padStart(4, '0');
}
