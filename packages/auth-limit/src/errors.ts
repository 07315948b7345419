/**
 * Stable codes of {@link AuthLimitError}; each is listed once in the package README.
 *
 * @example
 * if (err instanceof AuthLimitError && err.code === 'ERR_AUTH_LIMIT_TRUST_PROXY') exit(1);
 */
export type AuthLimitErrorCode =
  | 'ERR_AUTH_LIMIT_OPTION'
  | 'ERR_AUTH_LIMIT_ARGUMENT'
  | 'ERR_AUTH_LIMIT_TRUST_PROXY';

/**
 * The one error class of `@galaxy-harden/auth-limit`. `code` is stable; `cause` is kept.
 * Messages never carry a password or a session.
 *
 * @example
 * try {
 *   new AttemptLimiter({ accountAddress: { threshold: 0 } });
 * } catch (err) {
 *   if (err instanceof AuthLimitError) log.error({ code: err.code }, err.message);
 * }
 */
export class AuthLimitError extends Error {
  readonly code: AuthLimitErrorCode;

  constructor(code: AuthLimitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthLimitError';
    this.code = code;
  }
}

const PACKAGE = '@galaxy-harden/auth-limit';

/** A configuration error naming the package, option, value, rule and fix. */
export function optionError(option: string, value: unknown, rule: string, fix: string) {
  return new AuthLimitError(
    'ERR_AUTH_LIMIT_OPTION',
    `${PACKAGE}: option ${option} ${rule}, got ${describe(value)}; ${fix}`,
  );
}

/** A programming error in an argument passed at run time. */
export function argumentError(name: string, rule: string): AuthLimitError {
  return new AuthLimitError('ERR_AUTH_LIMIT_ARGUMENT', `${PACKAGE}: ${name} ${rule}`);
}

/**
 * The refusal of an Express `trust proxy` that trusts any address (`true`, or a setting that
 * acts like it), raised at start-up and at request time.
 */
export function trustProxyError(setting: unknown): AuthLimitError {
  const what = setting === true ? 'is true' : `(${describe(setting)}) trusts any address`;
  return new AuthLimitError(
    'ERR_AUTH_LIMIT_TRUST_PROXY',
    `${PACKAGE}: Express 'trust proxy' ${what}, so req.ip is the left-most X-Forwarded-For ` +
      'entry, which any client can write, and every request could claim a new address. Set ' +
      "it to the number of proxy hops in front of this app (app.set('trust proxy', 1)) or to " +
      "the proxies' addresses (app.set('trust proxy', ['10.0.0.5'])).",
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (Array.isArray(value)) return shortList(value) ? JSON.stringify(value) : 'a list';
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function shortList(value: unknown[]): boolean {
  return value.length <= 4 && value.every((v) => typeof v === 'string' && v.length <= 40);
}
