import type { Store } from '@galaxy-harden/store';
import { ServiceAuthError } from './errors.js';

/**
 * Remembers each accepted `jti` until its token can no longer pass the lifetime checks, so
 * a captured call cannot be sent again (the DPoP replay rule, RFC 9449 section 11.1). With a
 * shared store (Redis) this holds across every replica of the callee.
 */
export class ReplayGuard {
  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly toleranceSeconds: number,
    private readonly now: () => number,
  ) {}

  /**
   * Marks `jti` of `peer` as used; throws `ERR_SERVICE_AUTH_REPLAY` when it already was and
   * `ERR_SERVICE_AUTH_STORE` when the store fails (fail closed: a call that cannot be
   * checked for replay is refused).
   */
  claim(peer: string, jti: string, exp: number): Promise<void> {
    // The marker outlives the last instant the token could still pass the `exp` check on ANY
    // replica: clocks may differ by up to the tolerance, so a replica running that much behind
    // this one still accepts until `exp + 2 x tolerance` here. The TTL is counted from this
    // clock; a marker kept only to `exp + tolerance` let such a replica take the token again.
    const lastAcceptMs = (exp + 2 * this.toleranceSeconds + 1) * 1000;
    const ttlMs = Math.max(1, lastAcceptMs - this.now());
    // A plain `then` rather than an async frame: this runs once per verified call.
    let pending: Promise<boolean>;
    try {
      pending = Promise.resolve(this.store.setIfAbsent(`${this.prefix}${peer}:${jti}`, '1', ttlMs));
    } catch (cause) {
      return Promise.reject(storeFailed(cause));
    }

    return pending.then(refuseSeen, (cause: unknown) => Promise.reject(storeFailed(cause)));
  }
}

// A store that throws or rejects is a call that cannot be checked: refused (fail closed).
function storeFailed(cause: unknown): ServiceAuthError {
  return new ServiceAuthError('ERR_SERVICE_AUTH_STORE', 'token refused: replay store failed', {
    cause,
  });
}

function refuseSeen(fresh: boolean): void {
  if (!fresh)
    throw new ServiceAuthError('ERR_SERVICE_AUTH_REPLAY', 'token refused: jti seen before');
}
