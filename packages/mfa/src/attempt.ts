import type { MfaPurpose } from './events.js';

/**
 * The outcome of a submitted code. `replay` and `invalid` must look the same to the client;
 * they differ here for the server's own audit. `stale-login`: the login began before the
 * account's last lockout; end it and ask for the password again.
 *
 * @example
 * const outcome = await mfa.verify('u1', code);
 * if (!outcome.ok && outcome.reason === 'throttled') retryIn(outcome.retryAfterSeconds);
 */
export type VerifyOutcome =
  | { ok: true; method: 'totp'; credentialId: string; driftSteps: number }
  | { ok: true; method: 'recovery'; remaining: number }
  | { ok: false; reason: 'invalid' | 'replay' | 'not-enrolled' | 'stale-login' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Who is submitting, and for what.
 *
 * @example
 * const attempt: Attempt = { userId: 'u1', purpose: 'login', address: '192.0.2.1' };
 */
export interface Attempt {
  userId: string;
  purpose: MfaPurpose;
  /** The client's address, for the limiter's per-address counter and for events. */
  address: string;
  /** When this login's first factor passed, in ms; a login older than the last lockout fails. */
  passwordAt?: number;
}

/** The event fields naming who tried, from where, and for what. */
export function who(attempt: Attempt): { userId: string; purpose: MfaPurpose; address: string } {
  return { userId: attempt.userId, purpose: attempt.purpose, address: attempt.address };
}
