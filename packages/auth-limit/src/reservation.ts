import type { BlockReason } from './events.js';

/**
 * A refused attempt: do not check the secret; answer with `retryAfterSeconds`.
 *
 * @example
 * if (!r.allowed) return res.status(429).set('Retry-After', String(r.retryAfterSeconds)).end();
 */
export interface Blocked {
  allowed: false;
  reason: BlockReason;
  /** Whole seconds until an attempt may be made again; at least 1. */
  retryAfterSeconds: number;
}

/**
 * A taken attempt. Check the secret, then call exactly one of the three; later calls do
 * nothing. Until one is called the attempt counts as a wrong secret, so a crash between the
 * check and the report never hands out a free guess.
 *
 * @example
 * const ok = await verify(password);
 * await (ok ? slot.success() : slot.failure());
 */
export interface Slot {
  allowed: true;
  /**
   * True when the account-wide limit is reached in `step-up` mode and this address is not
   * one the account logged in from: ask for more proof (CAPTCHA, e-mailed link) first.
   */
  stepUp: boolean;
  /** The normalised account name the attempt was counted under. */
  account: string;
  /** The secret was right: clears this address's failures and remembers the address. */
  success(): Promise<void>;
  /** The secret was wrong: keeps the failure counted and reports `auth.failure`. */
  failure(): Promise<void>;
  /** No secret was judged (second factor required, CSRF failure, disabled account). */
  release(): Promise<void>;
}

/**
 * The answer of `AttemptLimiter.reserve`.
 *
 * @example
 * const r: Reservation = await limiter.reserve({ account, address });
 */
export type Reservation = Blocked | Slot;
