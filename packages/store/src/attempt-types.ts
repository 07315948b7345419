import type { Store } from './types.js';

/**
 * A consecutive-failure counter with progressive waits, in the manner of Keycloak's
 * brute-force detection: once `threshold` failures are counted, every further failure
 * imposes a wait of `waitIncrementMs` per `threshold` failures, capped at `maxWaitMs`, and
 * the failures are forgotten `quietPeriodMs` after the last one.
 *
 * @example
 * const pair: FailureCounterSpec = { key: '{login}:f:192.0.2.1|ana', threshold: 10,
 *   waitIncrementMs: 60_000, maxWaitMs: 900_000, quietPeriodMs: 43_200_000, onLimit: 'block' };
 */
export interface FailureCounterSpec {
  /** Key of the counter; keys of one operation share a hash tag (see {@link AttemptStore}). */
  key: string;
  /** Failures at which waits begin; an integer of at least 1. */
  threshold: number;
  /** Wait added per `threshold` failures, in milliseconds. */
  waitIncrementMs: number;
  /** Longest wait, in milliseconds. */
  maxWaitMs: number;
  /** Failures are forgotten this long after the last one, in milliseconds. */
  quietPeriodMs: number;
  /** While this key exists the counter still counts but never blocks or flags. */
  exemptKey?: string;
  /** `block` refuses while a wait runs; `flag` lets attempts through flagged at threshold. */
  onLimit: 'block' | 'flag';
}

/**
 * A fixed-window hit counter, the model `express-rate-limit` uses per address.
 *
 * @example
 * const window: AttemptWindowSpec = { key: '{login}:w:192.0.2.1', limit: 100, windowMs: 900_000 };
 */
export interface AttemptWindowSpec {
  key: string;
  /** Hits allowed per window; the hit after that is refused. */
  limit: number;
  windowMs: number;
}

/**
 * Input of {@link AttemptStore.reserveAttempt}.
 *
 * @example
 * const input: ReserveAttemptInput = { nowMs: Date.now(), window, counters: [pair] };
 */
export interface ReserveAttemptInput {
  /** The caller's clock, milliseconds since the epoch; waits are absolute times on it. */
  nowMs: number;
  window?: AttemptWindowSpec;
  counters: readonly FailureCounterSpec[];
}

/**
 * A window counter after the hit.
 *
 * @example
 * const count: WindowCount = { hits: 3, resetAtMs: Date.now() + 60_000 };
 */
export interface WindowCount {
  hits: number;
  resetAtMs: number;
}

/**
 * What a reservation did to one counter, kept so that it can be given back exactly.
 *
 * @example
 * const taken: TakenCounter = { failures: 10, lockedUntilMs: t + 60_000,
 *   previousLockedUntilMs: 0 };
 */
export interface TakenCounter {
  /** Failures counted, including this attempt. */
  failures: number;
  /** End of the wait after this attempt, or the earlier one; 0 when none. */
  lockedUntilMs: number;
  /** End of the wait before this attempt; 0 when none. */
  previousLockedUntilMs: number;
}

/**
 * Outcome of {@link AttemptStore.reserveAttempt}.
 *
 * @example
 * const r: ReserveAttemptResult = await store.reserveAttempt(input);
 * if (!r.allowed) wait(r.retryAfterMs);
 */
export type ReserveAttemptResult =
  | {
      allowed: false;
      /** `window`, or the index of the counter whose wait ends last. */
      blockedBy: 'window' | number;
      retryAfterMs: number;
      window: WindowCount | undefined;
    }
  | {
      allowed: true;
      /** True when a `flag` counter stands at or above its threshold. */
      flagged: boolean;
      window: WindowCount | undefined;
      taken: TakenCounter[];
    };

/**
 * One counter to settle, with what its reservation took.
 *
 * @example
 * const c: SettleCounter = { key: pair.key, taken: r.taken[0]!, clearOnSuccess: true };
 */
export interface SettleCounter {
  key: string;
  taken: TakenCounter;
  /** On `success`, delete the counter instead of giving the attempt back. */
  clearOnSuccess: boolean;
}

/**
 * Input of {@link AttemptStore.settleAttempt}.
 *
 * @example
 * await store.settleAttempt({ nowMs: Date.now(), outcome: 'release', counters: [c] });
 */
export interface SettleAttemptInput {
  nowMs: number;
  /** `success` clears or gives back and sets `mark`; `release` only gives the attempt back. */
  outcome: 'success' | 'release';
  /** A window counter to give the hit back to. */
  windowKey?: string;
  counters: readonly SettleCounter[];
  /** Set on success, for `ttlMs` (for example "this address logged in before"). */
  mark?: { key: string; ttlMs: number };
}

/**
 * A {@link Store} with the one read-modify-write a login limiter needs: check several
 * counters and take an attempt from all of them atomically, in one round trip, before the
 * password is checked; then clear or give it back. Every key of one call must carry the same
 * Redis Cluster hash tag (`{login}:...`) so that a script may touch them all.
 *
 * @example
 * const r = await store.reserveAttempt({ nowMs: Date.now(), counters: [spec] });
 * if (r.allowed) await store.settleAttempt({ nowMs: Date.now(), outcome: 'release',
 *   counters: [{ key: spec.key, taken: r.taken[0]!, clearOnSuccess: true }] });
 */
export interface AttemptStore extends Store {
  /** Checks every counter and, when none blocks, counts one failure in each. */
  reserveAttempt(input: ReserveAttemptInput): Promise<ReserveAttemptResult>;
  /** Ends a reservation that was not a wrong secret (success or release). */
  settleAttempt(input: SettleAttemptInput): Promise<void>;
}
