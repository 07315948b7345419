/**
 * Stable codes of {@link ServiceAuthError}; each is listed once in the package README.
 *
 * @example
 * const retry = (code: ServiceAuthErrorCode) => code === 'ERR_SERVICE_AUTH_KEYS_UNAVAILABLE';
 */
export type ServiceAuthErrorCode =
  | 'ERR_SERVICE_AUTH_OPTION'
  | 'ERR_SERVICE_AUTH_KEY'
  | 'ERR_SERVICE_AUTH_TOO_LARGE'
  | 'ERR_SERVICE_AUTH_MALFORMED'
  | 'ERR_SERVICE_AUTH_HEADER'
  | 'ERR_SERVICE_AUTH_UNKNOWN_PEER'
  | 'ERR_SERVICE_AUTH_UNKNOWN_KEY'
  | 'ERR_SERVICE_AUTH_KEYS_UNAVAILABLE'
  | 'ERR_SERVICE_AUTH_SIGNATURE'
  | 'ERR_SERVICE_AUTH_CLAIMS'
  | 'ERR_SERVICE_AUTH_LIFETIME'
  | 'ERR_SERVICE_AUTH_BINDING'
  | 'ERR_SERVICE_AUTH_CERTIFICATE'
  | 'ERR_SERVICE_AUTH_ROUTE'
  | 'ERR_SERVICE_AUTH_REPLAY'
  | 'ERR_SERVICE_AUTH_STORE'
  | 'ERR_SERVICE_AUTH_BODY'
  | 'ERR_SERVICE_AUTH_RESPONSE';

/**
 * The one error class of `@galaxy-harden/service-auth`. `code` is stable; `cause` is kept.
 * Messages never contain a token, a key or a body.
 *
 * @example
 * try {
 *   await verifier.verify(request);
 * } catch (error) {
 *   if (error instanceof ServiceAuthError && error.code === 'ERR_SERVICE_AUTH_REPLAY') alert();
 * }
 */
export class ServiceAuthError extends Error {
  readonly code: ServiceAuthErrorCode;
  /** HTTP status of the answer, for `ERR_SERVICE_AUTH_RESPONSE` raised by the fetch wrapper. */
  readonly status: number | undefined;

  constructor(
    code: ServiceAuthErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServiceAuthError';
    this.code = code;
    this.status = options?.status;
  }
}

const PKG = '@galaxy-harden/service-auth';

/**
 * A start-up error naming the package, the option, the value it got, the rule and the fix.
 * `value` must never be a secret: callers pass a description for key material.
 */
export function optionError(option: string, value: unknown, rule: string, fix: string) {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new ServiceAuthError(
    'ERR_SERVICE_AUTH_OPTION',
    `${PKG}: option ${option} ${rule}, got ${shown}; ${fix}`,
  );
}

/** Throws an option error unless `value` is a finite number in `[min, max]`. */
export function assertNumberInRange(option: string, value: unknown, min: number, max: number) {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return;

  throw optionError(option, value, `must be a number from ${min} to ${max}`, 'pass one in range');
}

/**
 * Throws an option error unless `value` is a function or, when `optional`, undefined. A
 * callback given as something else would otherwise fail at request time (`now`) or drop
 * audit events without a word (`onEvent`).
 */
export function assertFunction(option: string, value: unknown, optional = true) {
  if (typeof value === 'function' || (optional && value === undefined)) return;

  const fix = optional ? 'pass a function or leave it out' : 'pass a function';
  throw optionError(option, typeof value, 'must be a function', fix);
}
