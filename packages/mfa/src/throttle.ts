/**
 * A refused attempt: the account has failed too often and must wait.
 *
 * @example
 * if (!slot.allowed) res.set('Retry-After', String(slot.retryAfterSeconds));
 */
export interface AttemptRefused {
  allowed: false;
  retryAfterSeconds: number;
  /** auth-limit says `store-unavailable` when its store failed (it then fails closed). */
  reason?: string;
}

/**
 * A granted attempt. Exactly one of the three must be called once the outcome is known:
 * `success` (resets the account's failures), `failure` (counts one), `release` (neither,
 * e.g. the store failed before a decision).
 *
 * @example
 * if (slot.allowed) await (valid ? slot.success() : slot.failure());
 */
export interface AttemptGranted {
  allowed: true;
  success(): unknown;
  failure(): unknown;
  release(): unknown;
}

/**
 * The limiter the package throttles failed codes with: the framework-free core of
 * `@galaxy-harden/auth-limit`, or anything with the same `reserve`. Give it a key prefix of
 * its own so failed codes and failed passwords never share a counter (Keycloak 46164).
 *
 * @example
 * import { AttemptLimiter as AuthLimiter } from '@galaxy-harden/auth-limit';
 * const limiter: AttemptLimiter = new AuthLimiter({ keyPrefix: 'mfa', store: redisStore });
 */
export interface AttemptLimiter {
  reserve(attempt: { account: string; address: string }): Promise<AttemptRefused | AttemptGranted>;
}
