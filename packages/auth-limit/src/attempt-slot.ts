import type { AttemptStore, TakenCounter } from '@galaxy-harden/store';
import type { LimiterCore } from './limiter-core.js';
import type { LimiterKeys } from './limiter-keys.js';
import type { Slot } from './reservation.js';

/** What a slot needs to settle its reservation in the store that took it. */
export interface SlotContext {
  core: LimiterCore;
  /** Normalised account name. */
  account: string;
  /** Client address as given. */
  address: string;
  keys: LimiterKeys;
  /** The reservation also took a hit from the address window. */
  windowed: boolean;
  store: AttemptStore;
}

const DONE: Promise<void> = Promise.resolve();

/** A reservation that went through; see {@link Slot}. */
export class AttemptSlot implements Slot {
  readonly allowed = true;
  readonly stepUp: boolean;
  readonly account: string;
  private settled = false;

  constructor(
    private readonly context: SlotContext,
    private readonly taken: TakenCounter[],
    flagged: boolean,
  ) {
    this.stepUp = flagged;
    this.account = context.account;
  }

  // No store call: the failure was counted when the attempt was reserved.
  failure(): Promise<void> {
    if (!this.settle() && this.context.core.reporting) this.reportFailure();

    return DONE;
  }

  private reportFailure(): void {
    const { core } = this.context;
    const pair = this.taken[0];
    const waitMs = pair ? pair.lockedUntilMs - core.options.now() : 0;
    const lockedForSeconds = Math.max(0, Math.ceil(waitMs / 1000));
    const failures = pair?.failures ?? 0;
    core.event({ type: 'auth.failure', ...core.who(this.context), failures, lockedForSeconds });
  }

  async success(): Promise<void> {
    if (this.settle()) return;

    await this.give('success');
    const before = (this.taken[0]?.failures ?? 1) - 1;
    const { core } = this.context;
    if (core.reporting && before >= core.options.accountAddress.threshold) {
      core.event({ type: 'auth.unblocked', ...core.who(this.context), cause: 'success' });
    }
  }

  async release(): Promise<void> {
    if (this.settle()) return;

    await this.give('release');
  }

  /** Marks the slot settled; true when it already was. */
  private settle(): boolean {
    const was = this.settled;
    this.settled = true;
    return was;
  }

  // A failing store here only leaves the attempt counted as a failure, the safe side, so
  // the error is reported and not thrown into the login that already succeeded.
  private async give(outcome: 'success' | 'release'): Promise<void> {
    const { core, keys, store } = this.context;
    const [pair, account] = this.taken as [TakenCounter, TakenCounter];
    const input = {
      nowMs: core.options.now(),
      outcome,
      windowKey: this.context.windowed ? keys.window : undefined,
      counters: [
        { key: keys.pair, taken: pair, clearOnSuccess: true },
        { key: keys.account, taken: account, clearOnSuccess: false },
      ],
      mark: { key: keys.known, ttlMs: core.options.knownAddressTtlMs },
    };
    try {
      await store.settleAttempt(input);
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      const policy = core.options.storeErrorPolicy;
      core.event({ type: 'store.error', operation: 'settle', code: String(code), policy });
    }
  }
}

/**
 * The slot `unsafe-fail-open` hands out while the store is down: nothing is counted, but
 * wrong secrets are still reported, so fail2ban keeps seeing them.
 */
export function openSlot(context: SlotContext): Slot {
  let settled = false;
  const once = () => {
    const first = !settled;
    settled = true;
    return first;
  };
  const { core } = context;

  return {
    allowed: true,
    stepUp: false,
    account: context.account,
    success: async () => {
      once();
    },
    release: async () => {
      once();
    },
    failure: async () => {
      if (!once()) return;
      core.event({ type: 'auth.failure', ...core.who(context), failures: 0, lockedForSeconds: 0 });
    },
  };
}
