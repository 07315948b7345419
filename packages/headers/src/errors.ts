/**
 * Stable codes of {@link HeadersError}; each is listed once in the package README.
 *
 * @example
 * const atStartUp = (code: HeadersErrorCode) => code !== 'ERR_HEADERS_HOST';
 */
export type HeadersErrorCode =
  | 'ERR_HEADERS_OPTION'
  | 'ERR_HEADERS_PRELOAD'
  | 'ERR_HEADERS_ORDER'
  | 'ERR_HEADERS_HOST'
  | 'ERR_HEADERS_FETCH';

/**
 * The one error class of `@galaxy-harden/headers`; `code` is stable, `cause` is kept.
 *
 * Request-time errors carry `status` so Express's error handling answers with it.
 *
 * @example
 * try {
 *   securityHeaders({ hsts: { preload: true, includeSubDomains: false } });
 * } catch (err) {
 *   if (err instanceof HeadersError) log.fatal(err.code); // 'ERR_HEADERS_PRELOAD'
 * }
 */
export class HeadersError extends Error {
  readonly code: HeadersErrorCode;
  readonly status: number | undefined;

  constructor(
    code: HeadersErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'HeadersError';
    this.code = code;
    this.status = options?.status;
  }
}

/** A start-up error naming the package, option, value received, the rule and the fix. */
export function optionError(
  option: string,
  value: unknown,
  rule: string,
  fix: string,
  cause?: unknown,
): HeadersError {
  const got = `option ${option} got ${describe(value)}`;
  const message = `@galaxy-harden/headers: ${got}; ${rule}. Fix: ${fix}`;

  return new HeadersError('ERR_HEADERS_OPTION', message, { cause });
}

/** Renders an option value for a message, short enough to stay readable. */
export function describe(value: unknown): string {
  const text = render(value);

  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// JSON shows strings, arrays and objects as written (and escapes a CR or LF in them);
// numbers, booleans and undefined read better through String (NaN stays NaN).
function render(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'string' && typeof value !== 'object') return String(value);

  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws {@link optionError} unless `value` is a boolean. */
export function assertBooleanOption(option: string, value: unknown): void {
  if (typeof value === 'boolean') return;

  throw optionError(option, value, 'it must be a boolean', 'pass true or false');
}
