import { type Attempt, LimiterCore } from './limiter-core.js';
import type { AttemptLimiterOptions } from './options.js';
import type { Reservation } from './reservation.js';

/**
 * Framework-free brute-force protection for any secret check (password, TOTP code,
 * recovery code). Take a slot before checking the secret, then report the outcome:
 * 100 parallel wrong guesses against a threshold of 10 reach the check at most 10 times.
 *
 * Counts consecutive wrong secrets per account and address (blocks after 10, then waits
 * that grow in the manner of Keycloak), and wrong secrets per account from all addresses
 * (slows down or asks for a step-up, but never for an address the account logged in from).
 *
 * @example
 * const limiter = new AttemptLimiter({ keyPrefix: 'mfa', store });
 * const slot = await limiter.reserve({ account: user.name, address: req.ip });
 * if (!slot.allowed) return tooMany(slot.retryAfterSeconds);
 * if (await checkCode(user, code)) await slot.success();
 * else await slot.failure();
 */
export class AttemptLimiter {
  private readonly core: LimiterCore;

  /** Checks every option; a wrong one throws `ERR_AUTH_LIMIT_OPTION` here, not later. */
  constructor(options: AttemptLimiterOptions = {}) {
    this.core = new LimiterCore(options);
  }

  /**
   * Takes one attempt for `account` from `address`, or says how long to wait. One store
   * round trip. Never rejects for a failing store: the `storeErrorPolicy` decides.
   */
  reserve(attempt: Attempt): Promise<Reservation> {
    return this.core.reserve(attempt).then((result) => result.reservation);
  }

  /**
   * Clears the account's counters, and its failures from `address` when given, for staff
   * helping an owner. Reports `auth.unblocked` (with an empty address when none was given).
   * Rejects with the store's error when the store fails.
   */
  unblock(target: { account: string; address?: string }): Promise<void> {
    return this.core.unblock(target);
  }
}
