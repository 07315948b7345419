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
    const resetTime = new ReservedTime(resetAtMs, reservation);

    return { totalHits, resetTime };
  }

  /** The reservation made for the request whose `rateLimit.resetTime` is `resetTime`. */
  reservationOf(resetTime: unknown): Reservation | undefined {
    return resetTime instanceof ReservedTime ? resetTime.reservation : undefined;
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

/**
 * The reset time of the address window, carrying the reservation made with it. A subclass
 * rather than a WeakMap entry or an added property: a WeakMap keyed by short-lived Dates
 * makes every minor GC slower, and an added property gives express-rate-limit's shared code
 * an extra Date shape.
 */
class ReservedTime extends Date {
  constructor(
    ms: number,
    readonly reservation: Reservation,
  ) {
    super(ms);
  }
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');

  return [key.slice(0, bar), key.slice(bar + 1)];
}

function retryMs(reservation: Reservation): number {
  return reservation.allowed ? 1000 : reservation.retryAfterSeconds * 1000;
}
