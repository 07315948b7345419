import {
  type AccountLimit,
  AttemptLimiter,
  type AttemptLimiterOptions,
  AuthLimitError,
  type StoreErrorPolicy,
} from '@galaxy-harden/auth-limit';
import { loginLimiter } from '@galaxy-harden/auth-limit/express';
import { type AttemptStore, MemoryStore } from '@galaxy-harden/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stores, testClock } from './support.js';

describe('AttemptLimiter options', () => {
  it.each<[AttemptLimiterOptions, RegExp]>([
    [{ accountAddress: { threshold: 0 } }, /accountAddress\.threshold .*got 0/],
    [{ accountAddress: { threshold: 2.5 } }, /accountAddress\.threshold/],
    [{ accountAddress: { waitIncrementMs: 0 } }, /accountAddress\.waitIncrementMs/],
    [{ accountAddress: { maxWaitMs: Number.POSITIVE_INFINITY } }, /accountAddress\.maxWaitMs/],
    [{ account: { quietPeriodMs: -1 } }, /account\.quietPeriodMs/],
    [{ account: { threshold: 5 } }, /account\.threshold .*not be below accountAddress/],
    [{ account: { mode: 'lock' as AccountLimit['mode'] } }, /account\.mode/],
    [{ keyPrefix: '{login}' }, /keyPrefix/],
    [{ knownAddressTtlMs: 0 }, /knownAddressTtlMs/],
    [{ ipv6Subnet: 16 }, /ipv6Subnet .*32 to 64/],
    [{ storeErrorPolicy: 'open' as StoreErrorPolicy }, /storeErrorPolicy .*fail-closed/],
    [{ storeRetryAfterSeconds: 0 }, /storeRetryAfterSeconds/],
    [{ now: 5 as unknown as () => number }, /option now/],
  ])('refuses %o at construction, naming the package, option and value', (options, message) => {
    const make = () => new AttemptLimiter(options);

    expect(make).toThrow(AuthLimitError);
    expect(make).toThrow(message);
    expect(make).toThrow(/^@galaxy-harden\/auth-limit: option /);
    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
  });
});

// A misspelt or misplaced option used to be ignored, leaving its default in force.
describe('a silently ignored option', () => {
  it.each<[object, RegExp]>([
    [
      { accountAdress: { threshold: 3 } },
      /option accountAdress is not an option.*accountAddress\?/,
    ],
    [
      { accountAddress: { treshold: 3 } },
      /accountAddress\.treshold is not an option, got 3.*threshold/,
    ],
    [{ account: { lockout: true } }, /option account\.lockout is not an option/],
    [{ perAddress: { limit: 5 } }, /option perAddress is not an option/],
    [{ accountAddress: null }, /option accountAddress must be an object, got null/],
  ])('is refused by AttemptLimiter: %o', (options, message) => {
    const make = () => new AttemptLimiter(options as AttemptLimiterOptions);

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
    expect(make).toThrow(message);
  });

  it.each<[object, RegExp]>([
    [{ limit: 5 }, /option limit is not an option, got 5; did you mean perAddress\.limit\?/],
    [{ windowMs: 60_000 }, /option windowMs .*did you mean perAddress\.windowMs\?/],
    [{ perAddress: { max: 5 } }, /option perAddress\.max is not an option/],
    [{ perAddress: null }, /option perAddress must be an object, got null/],
  ])('is refused by loginLimiter: %o', (options, message) => {
    const make = () => loginLimiter({ accountFrom: () => 'a', ...options });

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
    expect(make).toThrow(message);
  });
});

// A store that is not an AttemptStore used to fall back to memory in silence (`null`) or
// fail closed on every login (`{}`, a URL, a bare Redis client); a broken clock never blocked.
describe('a store or clock that cannot work', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, /got null/],
    ['a URL', 'redis://127.0.0.1:6379', /got "redis:\/\/127\.0\.0\.1:6379"/],
    ['an empty object', {}, /got an object/],
    ['a plain Store', { get() {}, delete() {}, increment() {} }, /got an object/],
  ])('refuses %s as store at construction', (_name, store, message) => {
    const make = () => new AttemptLimiter({ store: store as AttemptStore });

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
    expect(make).toThrow(/option store must be an AttemptStore .*reserveAttempt, settleAttempt/);
    expect(make).toThrow(message);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['NaN', () => Number.NaN, /got NaN/],
    ['a function (now: () => Date.now)', () => Date.now, /got a function/],
    ['a Date', () => new Date(), /got an object/],
    ['a string', () => '1750000000000', /got "1750000000000"/],
  ])('refuses a clock that returns %s', (_name, now, message) => {
    const make = () => new AttemptLimiter({ now: now as () => number });

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
    expect(make).toThrow(/option now must return a finite number of milliseconds/);
    expect(make).toThrow(message);
  });
});

// Keycloak 30969: a combination of settings that never locks. Every mode and store-error
// policy, on every store, must still block the pair and act on the account-wide limit.
const modes = ['slow', 'step-up'] as const;
const policies: StoreErrorPolicy[] = ['fail-closed', 'local-fallback', 'unsafe-fail-open'];
const combos = stores.flatMap((s) =>
  modes.flatMap((mode) => policies.map((policy) => ({ store: s, mode, policy }))),
);

describe.each(combos)('a limit that never blocks: $store.name, $mode, $policy', (combo) => {
  it.each([1, 3, 10])('blocks after threshold %i and acts account-wide', async (threshold) => {
    const clock = testClock();
    const store = await combo.store.make(clock.now);
    const limiter = new AttemptLimiter({
      store,
      now: clock.now,
      storeErrorPolicy: combo.policy,
      accountAddress: { threshold },
      account: { threshold: 2 * threshold, mode: combo.mode },
    });
    const fail = async (address: string) => {
      const slot = await limiter.reserve({ account: 'acct', address });
      if (slot.allowed) await slot.failure();
      return slot.allowed;
    };
    for (let i = 0; i < threshold; i++) await fail('192.0.2.1');
    const pair = await limiter.reserve({ account: 'acct', address: '192.0.2.1' });
    for (let i = 0; i < threshold; i++) await fail('192.0.2.2');
    const stranger = await limiter.reserve({ account: 'acct', address: '192.0.2.3' });
    await store.close();

    expect(pair).toMatchObject({ allowed: false, reason: 'account-address' });
    if (combo.mode === 'slow')
      expect(stranger).toMatchObject({ allowed: false, reason: 'account' });
    else expect(stranger).toMatchObject({ allowed: true, stepUp: true });
  });
});

describe('any accepted setting blocks', () => {
  it('blocks the pair after its threshold for every valid option set', async () => {
    const limits = fc.record({
      threshold: fc.integer({ min: 1, max: 15 }),
      waitIncrementMs: fc.integer({ min: 1, max: 3_600_000 }),
      maxWaitMs: fc.integer({ min: 1, max: 86_400_000 }),
      quietPeriodMs: fc.integer({ min: 1, max: 86_400_000 }),
    });
    await fc.assert(
      fc.asyncProperty(limits, fc.constantFrom(...modes), async (limit, mode) => {
        const clock = testClock();
        const store = new MemoryStore({ now: clock.now });
        const limiter = new AttemptLimiter({
          store,
          now: clock.now,
          accountAddress: limit,
          account: { ...limit, mode },
        });
        for (let i = 0; i < limit.threshold; i++) {
          const slot = await limiter.reserve({ account: 'a', address: '192.0.2.1' });
          if (!slot.allowed) return false;
          await slot.failure();
        }
        const next = await limiter.reserve({ account: 'a', address: '192.0.2.1' });
        await store.close();
        return !next.allowed && next.retryAfterSeconds >= 1;
      }),
      { numRuns: 100 },
    );
  });
});
