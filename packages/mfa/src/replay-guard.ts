import type { Store } from '@galaxy-harden/store';
import { MfaError } from './errors.js';
import type { TotpParameters } from './totp-parameters.js';

/**
 * Remembers the last accepted RFC 6238 time step per credential and accepts a step only when
 * it is above it, in one atomic conditional write (`setIfGreater`), so two replicas or two
 * parallel requests can never both accept the same code (better-auth 10423).
 *
 * The memory lasts as long as any code it blocks can still be valid: a step S accepted at
 * step S - window stays valid to the end of step S + window, so 2 * window + 1 periods, plus
 * one period for clock skew between replicas (a short cache was Infisical 6112).
 */
export class ReplayGuard {
  private readonly ttlMs: number;

  constructor(
    private readonly store: Store,
    params: TotpParameters,
  ) {
    this.ttlMs = (2 * params.window + 2) * params.periodSeconds * 1000;
  }

  /** True when `timeStep` is above every step accepted before for this credential. */
  async accept(credentialId: string, timeStep: number): Promise<boolean> {
    try {
      return await this.store.setIfGreater(key(credentialId), timeStep, this.ttlMs);
    } catch (cause) {
      throw storeError('record the accepted time step', cause);
    }
  }

  /** Drops the memory of a credential that was removed. */
  async forget(credentialId: string): Promise<void> {
    try {
      await this.store.delete(key(credentialId));
    } catch (cause) {
      throw storeError('forget a removed credential', cause);
    }
  }
}

function key(credentialId: string): string {
  return `mfa:totp-step:${credentialId}`;
}

/** The store failed: the caller must refuse, never accept without the replay check. */
export function storeError(action: string, cause: unknown): MfaError {
  return new MfaError('ERR_MFA_STORE', `@galaxy-harden/mfa: could not ${action}; refusing`, {
    cause,
  });
}
