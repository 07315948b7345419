/**
 * Why an attempt was refused before the secret was checked.
 *
 * - `address`: too many attempts from this address, whatever the account (per-address window).
 * - `account-address`: too many consecutive wrong secrets for this account from this address.
 * - `account`: too many wrong secrets for this account from all addresses; only addresses
 *   the account never logged in from meet it.
 * - `store-unavailable`: the counters could not be read and the policy is to fail closed.
 *
 * @example
 * const status = (reason: BlockReason) => (reason === 'store-unavailable' ? 503 : 429);
 */
export type BlockReason = 'address' | 'account-address' | 'account' | 'store-unavailable';

interface Base {
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
  /** The limiter's `keyPrefix`, so password and second-factor events tell apart. */
  limiter: string;
}

interface Attempt extends Base {
  /** The normalised account name. */
  account: string;
  /** The client address; IPv4-mapped IPv6 is shown as IPv4. */
  address: string;
}

/**
 * A security event. Events carry account names and addresses, never a password, a code or a
 * session; send them to an audit log, and through {@link formatAuthLogLine} to fail2ban.
 *
 * - `auth.failure`: the app reported a wrong secret; `failures` counts the consecutive
 *   ones for this account and address, `lockedForSeconds` the wait it started (0 if none).
 * - `auth.blocked`: an attempt was refused before its secret was checked.
 * - `auth.step-up`: an attempt went through flagged (account-wide threshold, step-up mode).
 * - `auth.unblocked`: a success or `unblock()` cleared a counter that stood at its threshold.
 * - `store.error`: the store failed; `policy` says what the limiter did about it.
 * - `limiter.warning`: a misconfiguration express-rate-limit noticed at request time.
 *
 * @example
 * const onEvent = (e: AuthLimitEvent) => auditLog.write(JSON.stringify(e));
 */
export type AuthLimitEvent =
  | (Attempt & { type: 'auth.failure'; failures: number; lockedForSeconds: number })
  | (Attempt & { type: 'auth.blocked'; reason: BlockReason; retryAfterSeconds: number })
  | (Attempt & { type: 'auth.step-up' })
  | (Attempt & { type: 'auth.unblocked'; cause: 'success' | 'unblock' })
  | (Base & { type: 'store.error'; operation: 'reserve' | 'settle'; code: string; policy: string })
  | (Base & { type: 'limiter.warning'; code: string; message: string });

/**
 * The `onEvent` callback. Called synchronously; a throw from it, or a rejection of the
 * promise an async one returns, is swallowed, so an audit sink can never change a login
 * decision or end the process.
 *
 * @example
 * const onEvent: AuthLimitEventHandler = (e) => process.stderr.write(formatAuthLogLine(e));
 */
export type AuthLimitEventHandler = (event: AuthLimitEvent) => void;

/** Calls `handler` and ignores its failure: an audit sink must not decide a login. */
export function emit(handler: AuthLimitEventHandler | undefined, event: AuthLimitEvent): void {
  if (!handler) return;

  try {
    const result: unknown = handler(event);
    // `async (e) => db.insert(e)` type-checks as a void handler; left alone, its rejection
    // (the audit database is down) is an unhandled rejection, which ends a Node process.
    if (isThenable(result)) result.then(undefined, ignore);
  } catch {
    // Deliberately ignored: see AuthLimitEventHandler.
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function ignore(): void {}
