/**
 * The outcome of an atomic increment.
 *
 * @example
 * const { value, ttlMs } = await store.increment('fail:ana', { ttlMs: 60_000 });
 */
export interface Counter {
  /** The counter's value after the increment. */
  value: number;
  /** Milliseconds until the counter expires (and starts again from zero). */
  ttlMs: number;
}

/**
 * The small state interface every galaxy-harden package shares: attempt counters, one-time
 * markers and last-accepted values. Every operation is atomic on its own; implementations
 * must never let two callers both win a `setIfAbsent` or a `setIfGreater`.
 *
 * A failing backend rejects the returned promise with a {@link StoreError}; callers decide
 * (and document) whether that fails closed.
 *
 * @example
 * const store: Store = new MemoryStore();
 * if (!(await store.setIfAbsent(`jti:${jti}`, '1', 60_000))) throw new Error('replayed');
 */
export interface Store {
  /**
   * Adds `by` (default 1, may be negative) to the counter at `key` and returns the new value.
   * A missing or expired counter starts at 0 and gets `ttlMs`; an existing one keeps its
   * expiry unless `resetTtl` is true.
   */
  increment(key: string, options: IncrementOptions): Promise<Counter>;
  /** Stores `value` under `key` for `ttlMs` only when the key is absent; true when it did. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Stores the number `value` under `key` for `ttlMs` only when the key is absent or holds a
   * smaller number; true when it did. Used for "last accepted time step" replay guards.
   */
  setIfGreater(key: string, value: number, ttlMs: number): Promise<boolean>;
  /** The value under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Removes `key`; absent keys are not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * Options of {@link Store.increment}.
 *
 * @example
 * const options: IncrementOptions = { ttlMs: 15 * 60_000, resetTtl: true };
 */
export interface IncrementOptions {
  /** Lifetime of a new counter in milliseconds. */
  ttlMs: number;
  /** Amount to add; defaults to 1. */
  by?: number;
  /** Give the counter a fresh `ttlMs` on every increment; defaults to false. */
  resetTtl?: boolean;
}
