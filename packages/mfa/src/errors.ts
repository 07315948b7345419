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

/** A configuration error naming the package, option, value, rule and fix. */
export function optionError(option: string, value: unknown, rule: string, fix: string): MfaError {
  return new MfaError(
    'ERR_MFA_OPTION',
    `${PACKAGE}: option ${option} ${rule}, got ${describe(value)}; ${fix}`,
  );
}

/** A programming error in an argument passed at run time (empty user id, ...). */
export function argumentError(name: string, rule: string): MfaError {
  return new MfaError('ERR_MFA_ARGUMENT', `${PACKAGE}: argument ${name} ${rule}`);
}

/** Renders a rejected option value without ever printing key material in full. */
function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} chars` : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
