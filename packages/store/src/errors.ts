/**
 * Stable codes of {@link StoreError}; each is listed once in the package README.
 *
 * @example
 * const retry = (code: StoreErrorCode) => code === 'ERR_STORE_UNAVAILABLE';
 */
export type StoreErrorCode =
  | 'ERR_STORE_OPTION'
  | 'ERR_STORE_KEY'
  | 'ERR_STORE_FULL'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_STORE_CLOSED';

/**
 * The one error class of `@galaxy-harden/store`; `code` is stable, `cause` is kept.
 *
 * @example
 * store.get('k').catch((e) => e instanceof StoreError && e.code === 'ERR_STORE_UNAVAILABLE');
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Throws unless `value` is a finite number above zero, naming the option in the message. */
export function assertPositive(pkg: string, option: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return;

  throw new StoreError(
    'ERR_STORE_OPTION',
    `${pkg}: option ${option} must be a finite number above 0, got ${String(value)}`,
  );
}

/** Refuses empty keys and keys over 1 KiB: they point at a bug in the caller. */
export function assertKey(key: string): void {
  if (typeof key === 'string' && key.length > 0 && key.length <= 1024) return;

  throw new StoreError('ERR_STORE_KEY', 'store key must be a string of 1 to 1024 characters');
}

/** Checks the options of `increment`: Redis `INCRBY` takes integers only. */
export function assertIncrement(options: { ttlMs: number; by?: number }): void {
  assertPositive('@galaxy-harden/store', 'ttlMs', options.ttlMs);
  const by = options.by ?? 1;
  if (Number.isSafeInteger(by)) return;

  throw new StoreError(
    'ERR_STORE_OPTION',
    `@galaxy-harden/store: option by must be a safe integer, got ${String(by)}`,
  );
}
