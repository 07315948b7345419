import { AttemptLimiter, type AuthLimitEvent } from '@galaxy-harden/auth-limit';
import { afterEach, describe, expect, it } from 'vitest';

describe('an audit sink that fails', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
    unhandled.length = 0;
  });

  // `async (e) => db.insert(e)` is a valid `(event) => void`; when the audit database is
  // down its rejection used to be unhandled, which ends a Node process.
  it('cannot end the process with the rejection of an async onEvent', async () => {
    process.on('unhandledRejection', record);
    const seen: AuthLimitEvent['type'][] = [];
    const limiter = new AttemptLimiter({
      onEvent: async (e) => {
        seen.push(e.type);
        throw new Error('audit database is down');
      },
    });
    const slot = await limiter.reserve({ account: 'ana', address: '192.0.2.1' });
    if (slot.allowed) await slot.failure();
    // Node reports an unhandled rejection once the microtasks of this turn have run.
    await new Promise((resolve) => setImmediate(resolve));

    expect(seen).toEqual(['auth.failure']);
    expect(unhandled).toEqual([]);
  });

  it('cannot change the decision by throwing', async () => {
    const limiter = new AttemptLimiter({
      accountAddress: { threshold: 1 },
      onEvent: () => {
        throw new Error('sink bug');
      },
    });
    const first = await limiter.reserve({ account: 'ana', address: '192.0.2.1' });
    if (first.allowed) await first.failure();
    const second = await limiter.reserve({ account: 'ana', address: '192.0.2.1' });

    expect(first.allowed).toBe(true);
    expect(second).toMatchObject({ allowed: false, reason: 'account-address' });
  });
});
