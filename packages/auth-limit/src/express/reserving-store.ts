import type { ClientRateLimitInfo, Store } from 'express-rate-limit';
import type { LimiterCore } from '../limiter-core.js';
import type { Reservation } from '../reservation.js';

/**
 * An express-rate-limit `Store` that counts the address window and reserves the account
 * attempt in the same store call: one Redis round trip for the whole check.
 *
 * express-rate-limit hands the store only a key, so the key carries `address|account`
 * (an IP address never contains `|`), and the reservation travels back through the
 * `resetTime` Date object, which express-rate-limit keeps as `req.rateLimit.resetTime`.
 */
export class ReservingStore implements Store {
  /** Counters may be shared with other processes (Redis). */
  readonly localKeys = false;
  readonly prefix: string;
  // Keyed by the Date express-rate-limit keeps: a property added to the Date itself would
  // give express-rate-limit's shared code a second Date shape and slow every limiter down.
  private readonly reservations = new WeakMap<Date, Reservation>();

  constructor(
    private readonly core: LimiterCore,
    private readonly window: { limit: number; windowMs: number },
  ) {
    this.prefix = `${core.options.keyPrefix}:`;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const bar = key.indexOf('|');
    const address = key.slice(0, bar);
    const account = key.slice(bar + 1);
    const { reservation, window } = await this.core.reserveNormalized(
      account,
      address,
      this.window,
    );
    const totalHits = window?.hits ?? this.window.limit + 1;
    const resetAtMs = window?.resetAtMs ?? this.core.options.now() + retryMs(reservation);
    const resetTime = new Date(resetAtMs);
    this.reservations.set(resetTime, reservation);

    return { totalHits, resetTime };
  }

  /** The reservation made for the request whose `rateLimit.resetTime` is `resetTime`. */
  reservationOf(resetTime: unknown): Reservation | undefined {
    return resetTime instanceof Date ? this.reservations.get(resetTime) : undefined;
  }

  // express-rate-limit calls decrement only with skipFailedRequests or
  // skipSuccessfulRequests, which the login limiter never sets: the slot gives back instead.
  async decrement(_key: string): Promise<void> {}

  async resetKey(key: string): Promise<void> {
    const [address, account] = splitKey(key);
    const { keys } = this.core.keysOf({ address, account });
    await this.core.store.delete(keys.window);
  }
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');

  return [key.slice(0, bar), key.slice(bar + 1)];
}

function retryMs(reservation: Reservation): number {
  return reservation.allowed ? 1000 : reservation.retryAfterSeconds * 1000;
}
