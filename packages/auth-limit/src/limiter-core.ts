import {
  type AttemptStore,
  type FailureCounterSpec,
  MemoryStore,
  type ReserveAttemptInput,
  type ReserveAttemptResult,
  StoreError,
  type WindowCount,
} from '@galaxy-harden/store';
import { addressKey, clientAddress } from './address-key.js';
import { AttemptSlot, openSlot, type SlotContext } from './attempt-slot.js';
import { argumentError } from './errors.js';
import { type AuthLimitEvent, type BlockReason, emit } from './events.js';
import { type LimiterKeys, limiterKeys } from './limiter-keys.js';
import { accountKey, normalizeAccount } from './normalize-account.js';
import { type AttemptLimiterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { Blocked, Reservation } from './reservation.js';

/** The attempt to reserve: who claims to log in, and from where. */
export interface Attempt {
  /** The account name as typed; it is normalised here. */
  account: string;
  /** The client's IP address (Express: `req.ip`, with a correct `trust proxy`). */
  address: string;
}

/** The per-address window the Express adapter folds into the same round trip. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/** A reservation and, when a window was asked for, the address's count in it. */
export interface CoreResult {
  reservation: Reservation;
  window: WindowCount | undefined;
}

const BLOCKED_BY: Record<string, BlockReason> = {
  window: 'address',
  0: 'account-address',
  1: 'account',
};

/**
 * The engine behind `AttemptLimiter` and the Express `loginLimiter`: one store call to
 * reserve, at most one to settle. Not exported from the package.
 */
export class LimiterCore {
  readonly options: ResolvedOptions;
  readonly store: AttemptStore;
  private readonly fallback: AttemptStore | undefined;
  private readonly counters: readonly [FailureCounterSpec, FailureCounterSpec];

  constructor(options: AttemptLimiterOptions) {
    this.options = resolveOptions(options);
    this.store = this.options.store ?? new MemoryStore();
    const local = this.options.storeErrorPolicy === 'local-fallback';
    this.fallback = local ? new MemoryStore({ now: this.options.now }) : undefined;
    const { accountAddress, account } = this.options;
    const { mode, ...accountLimit } = account;
    this.counters = [
      { key: '', ...accountAddress, onLimit: 'block' },
      { key: '', ...accountLimit, onLimit: mode === 'slow' ? 'block' : 'flag' },
    ];
  }

  /** Normalises the attempt and returns its keys (the account also in display form). */
  keysOf(attempt: Attempt): { account: string; keys: LimiterKeys } {
    if (typeof attempt?.address !== 'string') throw argumentError('address', 'must be a string');
    const account = normalizeAccount(attempt.account);
    const address = addressKey(attempt.address, this.options.ipv6Subnet);

    return { account, keys: limiterKeys(this.options.keyPrefix, accountKey(account), address) };
  }

  async reserve(attempt: Attempt, window?: WindowLimit): Promise<CoreResult> {
    const { account, keys } = this.keysOf(attempt);
    const nowMs = this.options.now();
    const input = this.input(keys, nowMs, window);
    const answered = await this.reserveIn(input);
    const windowed = window !== undefined;
    const context = { core: this, account, address: attempt.address, keys, nowMs, windowed };
    if (answered === undefined)
      return { reservation: this.unavailable(context), window: undefined };

    const { result, store } = answered;
    return { reservation: this.decide(result, { ...context, store }), window: result.window };
  }

  /** Deletes the account's counters, and its pair counter when `address` is given. */
  async unblock(target: { account: string; address?: string }): Promise<void> {
    const address = target.address ?? '0.0.0.0';
    const { account, keys } = this.keysOf({ account: target.account, address });
    if (target.address !== undefined) await this.store.delete(keys.pair);
    await this.store.delete(keys.account);

    const shown = target.address === undefined ? '' : this.who({ account, address }).address;
    this.event({ type: 'auth.unblocked', account, address: shown, cause: 'unblock' });
  }

  /** Emits an event with the limiter's name and the clock's time filled in. */
  event(event: EventBody): void {
    if (!this.options.onEvent) return;

    const full = { ...event, at: this.options.now(), limiter: this.options.keyPrefix };
    emit(this.options.onEvent, full as AuthLimitEvent);
  }

  // Applies the store error policy; undefined means "no answer" (fail closed or open).
  private async reserveIn(input: ReserveAttemptInput) {
    try {
      return { result: await this.store.reserveAttempt(input), store: this.store };
    } catch (error) {
      if (isCallerBug(error)) throw error;

      const code = error instanceof StoreError ? error.code : 'ERR_STORE_UNAVAILABLE';
      const policy = this.options.storeErrorPolicy;
      this.event({ type: 'store.error', operation: 'reserve', code, policy });
      if (!this.fallback) return undefined;

      return { result: await this.fallback.reserveAttempt(input), store: this.fallback };
    }
  }

  private input(keys: LimiterKeys, nowMs: number, window?: WindowLimit): ReserveAttemptInput {
    const [pair, account] = this.counters;
    const counters = [
      { ...pair, key: keys.pair },
      { ...account, key: keys.account, exemptKey: keys.known },
    ];
    if (!window) return { nowMs, counters };

    return { nowMs, counters, window: { key: keys.window, ...window } };
  }

  private decide(result: ReserveAttemptResult, context: SlotContext): Reservation {
    if (!result.allowed) {
      const reason = BLOCKED_BY[result.blockedBy] ?? 'account';
      return this.blocked(context, reason, Math.ceil(result.retryAfterMs / 1000));
    }

    const slot = new AttemptSlot(context, result.taken, result.flagged);
    if (slot.stepUp) this.event({ type: 'auth.step-up', ...this.who(context) });
    return slot;
  }

  private unavailable(context: Omit<SlotContext, 'store'>): Reservation {
    if (this.options.storeErrorPolicy === 'unsafe-fail-open') return openSlot(context);

    return this.blocked(context, 'store-unavailable', this.options.storeRetryAfterSeconds);
  }

  private blocked(
    context: Omit<SlotContext, 'store'>,
    reason: BlockReason,
    seconds: number,
  ): Blocked {
    const retryAfterSeconds = Math.max(1, seconds);
    this.event({ type: 'auth.blocked', ...this.who(context), reason, retryAfterSeconds });

    return { allowed: false, reason, retryAfterSeconds };
  }

  /** The account and display address of an attempt, for events. */
  who(context: { account: string; address: string }): { account: string; address: string } {
    return { account: context.account, address: clientAddress(context.address) };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the limiter's name and the time are filled in. */
export type EventBody = DistributiveOmit<AuthLimitEvent, 'at' | 'limiter'>;

// A malformed key or option is a bug in the caller, not an outage: it must surface.
function isCallerBug(error: unknown): boolean {
  return (
    error instanceof StoreError &&
    (error.code === 'ERR_STORE_KEY' || error.code === 'ERR_STORE_OPTION')
  );
}
