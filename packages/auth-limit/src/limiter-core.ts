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
import { type KeyHeads, keyHeads, type LimiterKeys, limiterKeys } from './limiter-keys.js';
import { accountKey, normalizeAccount } from './normalize-account.js';
import { type AttemptLimiterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { Blocked, Reservation } from './reservation.js';

/**
 * The attempt to reserve: who claims to log in, and from where.
 *
 * @example
 * const attempt: Attempt = { account: req.body.username, address: req.ip };
 */
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
  /** False when nobody listens, so that event fields are not even computed. */
  readonly reporting: boolean;
  private readonly fallback: AttemptStore | undefined;
  private readonly heads: KeyHeads;
  private readonly counters: readonly [FailureCounterSpec, FailureCounterSpec];

  /** `httpKeys`: options the Express adapter reads itself, so they are not unknown here. */
  constructor(options: AttemptLimiterOptions, httpKeys: readonly string[] = []) {
    this.options = resolveOptions(options, httpKeys);
    this.store = this.options.store ?? new MemoryStore();
    const local = this.options.storeErrorPolicy === 'local-fallback';
    this.fallback = local ? new MemoryStore({ now: this.options.now }) : undefined;
    this.reporting = this.options.onEvent !== undefined;
    this.heads = keyHeads(this.options.keyPrefix);
    const { accountAddress, account } = this.options;
    this.counters = [
      { key: '', ...accountAddress, onLimit: 'block' },
      { key: '', ...withoutMode(account), onLimit: account.mode === 'slow' ? 'block' : 'flag' },
    ];
  }

  /** Normalises the attempt and returns its keys (the account also in display form). */
  keysOf(attempt: Attempt): { account: string; keys: LimiterKeys } {
    const account = normalizeAccount(attempt?.account);

    return { account, keys: this.keysFor(account, attempt?.address) };
  }

  reserve(attempt: Attempt, window?: WindowLimit): Promise<CoreResult> {
    return this.reserveNormalized(normalizeAccount(attempt?.account), attempt?.address, window);
  }

  /** {@link reserve} for an account name that `normalizeAccount` already gave. */
  async reserveNormalized(
    account: string,
    address: string,
    window?: WindowLimit,
  ): Promise<CoreResult> {
    const keys = this.keysFor(account, address);
    const nowMs = this.options.now();
    const input = this.input(keys, nowMs, window);
    const windowed = window !== undefined;
    const context: SlotContext = {
      core: this,
      account,
      address,
      keys,
      windowed,
      store: this.store,
    };
    try {
      const result = await this.store.reserveAttempt(input);
      return { reservation: this.decide(result, context), window: result.window };
    } catch (error) {
      if (isCallerBug(error)) throw error;

      return this.afterStoreError(error, input, context);
    }
  }

  /** Deletes the account's counters, and its pair counter when `address` is given. */
  async unblock(target: { account: string; address?: string }): Promise<void> {
    const address = target.address ?? '0.0.0.0';
    const { account, keys } = this.keysOf({ account: target.account, address });
    if (target.address !== undefined) await this.store.delete(keys.pair);
    await this.store.delete(keys.account);

    const shown = this.who({ account, address });
    if (target.address === undefined) shown.address = '';
    this.event({ type: 'auth.unblocked', ...shown, cause: 'unblock' });
  }

  /** Emits an event with the limiter's name and the clock's time filled in. */
  event(event: EventBody): void {
    if (!this.options.onEvent) return;

    const full = { ...event, at: this.options.now(), limiter: this.options.keyPrefix };
    emit(this.options.onEvent, full as AuthLimitEvent);
  }

  // The store failed: report it, then apply the policy (fallback, fail closed or open).
  private async afterStoreError(
    error: unknown,
    input: ReserveAttemptInput,
    context: SlotContext,
  ): Promise<CoreResult> {
    const code = error instanceof StoreError ? error.code : 'ERR_STORE_UNAVAILABLE';
    const policy = this.options.storeErrorPolicy;
    this.event({ type: 'store.error', operation: 'reserve', code, policy });
    if (!this.fallback) return { reservation: this.unavailable(context), window: undefined };

    const result = await this.fallback.reserveAttempt(input);
    const local = { ...context, store: this.fallback };
    return { reservation: this.decide(result, local), window: result.window };
  }

  private keysFor(account: string, address: string): LimiterKeys {
    if (typeof address !== 'string') throw argumentError('address', 'must be a string');

    const addressPart = addressKey(address, this.options.ipv6Subnet);
    return limiterKeys(this.heads, accountKey(account), addressPart);
  }

  private input(keys: LimiterKeys, nowMs: number, window?: WindowLimit): ReserveAttemptInput {
    const [pair, account] = this.counters;
    const counters = [counter(pair, keys.pair), counter(account, keys.account, keys.known)];
    if (!window) return { nowMs, counters };

    const { limit, windowMs } = window;
    return { nowMs, counters, window: { key: keys.window, limit, windowMs } };
  }

  private decide(result: ReserveAttemptResult, context: SlotContext): Reservation {
    if (!result.allowed) {
      const reason = BLOCKED_BY[result.blockedBy] ?? 'account';
      return this.blocked(context, reason, Math.ceil(result.retryAfterMs / 1000));
    }

    const slot = new AttemptSlot(context, result.taken, result.flagged);
    if (slot.stepUp && this.reporting) this.event({ type: 'auth.step-up', ...this.who(context) });
    return slot;
  }

  private unavailable(context: SlotContext): Reservation {
    if (this.options.storeErrorPolicy === 'unsafe-fail-open') return openSlot(context);

    return this.blocked(context, 'store-unavailable', this.options.storeRetryAfterSeconds);
  }

  private blocked(context: SlotContext, reason: BlockReason, seconds: number): Blocked {
    const retryAfterSeconds = Math.max(1, seconds);
    if (this.reporting) {
      this.event({ type: 'auth.blocked', ...this.who(context), reason, retryAfterSeconds });
    }

    return { allowed: false, reason, retryAfterSeconds };
  }

  /**
   * The account and display address of an attempt, for events. A name over 200 characters
   * is shown in its store-key form (a digest): a 100 KB name would otherwise be written to
   * the audit log and the fail2ban file on every attempt (log flooding).
   */
  who(context: { account: string; address: string }): { account: string; address: string } {
    return { account: accountKey(context.account), address: clientAddress(context.address) };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the limiter's name and the time are filled in. */
export type EventBody = DistributiveOmit<AuthLimitEvent, 'at' | 'limiter'>;

// Same shape every time, no spread: this runs once per login request.
function counter(spec: FailureCounterSpec, key: string, exemptKey?: string): FailureCounterSpec {
  return {
    key,
    threshold: spec.threshold,
    waitIncrementMs: spec.waitIncrementMs,
    maxWaitMs: spec.maxWaitMs,
    quietPeriodMs: spec.quietPeriodMs,
    exemptKey,
    onLimit: spec.onLimit,
  };
}

function withoutMode(limit: ResolvedOptions['account']) {
  const { mode: _mode, ...rest } = limit;
  return rest;
}

// A malformed key or option is a bug in the caller, not an outage: it must surface.
function isCallerBug(error: unknown): boolean {
  return (
    error instanceof StoreError &&
    (error.code === 'ERR_STORE_KEY' || error.code === 'ERR_STORE_OPTION')
  );
}
