import { AttemptLimiter, type AuthLimitEvent, type Slot } from '@galaxy-harden/auth-limit';
import type { AttemptStore } from '@galaxy-harden/store';
import { afterEach, describe, expect, it } from 'vitest';
import { stores, testClock } from './support.js';

const MIN = 60_000;
const victim = { account: 'victim', address: '198.51.100.7' };

describe.each(stores)('AttemptLimiter on $name', ({ make }) => {
  let store: AttemptStore | undefined;
  afterEach(async () => store?.close());

  async function setup(options: ConstructorParameters<typeof AttemptLimiter>[0] = {}) {
    const clock = testClock();
    store = await make(clock.now);
    const events: AuthLimitEvent[] = [];
    const limiter = new AttemptLimiter({
      store,
      now: clock.now,
      onEvent: (e) => events.push(e),
      ...options,
    });
    const fail = async (attempt: { account: string; address: string }, times = 1) => {
      for (let i = 0; i < times; i++) {
        const slot = await limiter.reserve(attempt);
        if (slot.allowed) await slot.failure();
      }
    };
    return { limiter, clock, events, fail };
  }

  it('lets 10 of 100 parallel wrong passwords reach the check (parallel burst)', async () => {
    const { limiter } = await setup();
    let checks = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const slot = await limiter.reserve(victim);
        if (!slot.allowed) return;
        checks++;
        await slot.failure();
      }),
    );

    expect(checks).toBe(10);
    expect(await limiter.reserve(victim)).toMatchObject({
      allowed: false,
      reason: 'account-address',
      retryAfterSeconds: 60,
    });
  });

  it('waits longer as failures go on, in the manner of Keycloak', async () => {
    const { limiter, clock, fail } = await setup();
    await fail(victim, 10);
    const waits: number[] = [];
    for (let failure = 11; failure <= 20; failure++) {
      clock.advance(MIN);
      await fail(victim);
      const r = await limiter.reserve(victim);
      waits.push(r.allowed ? 0 : r.retryAfterSeconds);
    }

    expect(waits).toEqual([60, 60, 60, 60, 60, 60, 60, 60, 60, 120]);
  });

  it('clears the counter on success, so 50 good logins are never refused', async () => {
    const { limiter, fail } = await setup();
    await fail(victim, 9);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const slot = await limiter.reserve(victim);
      outcomes.push(slot.allowed);
      if (slot.allowed) await slot.success();
    }
    await fail(victim, 9);

    expect(outcomes.every(Boolean)).toBe(true);
    expect((await limiter.reserve(victim)).allowed).toBe(true);
  });

  it.each(['second factor required', 'CSRF failure', 'disabled account'])(
    'does not count a %s as a wrong secret',
    async () => {
      const { limiter } = await setup();
      for (let i = 0; i < 30; i++) {
        const slot = await limiter.reserve(victim);
        if (!slot.allowed) throw new Error(`refused after ${i} releases`);
        await slot.release();
      }

      expect((await limiter.reserve(victim)).allowed).toBe(true);
    },
  );

  it('counts a slot never reported as a failure (no free guess on a crash)', async () => {
    const { limiter } = await setup();
    for (let i = 0; i < 10; i++) await limiter.reserve(victim);

    expect(await limiter.reserve(victim)).toMatchObject({ allowed: false });
  });

  it('keeps the victim logging in from its own address while attackers are blocked', async () => {
    const { limiter, fail } = await setup();
    const own = (await limiter.reserve(victim)) as Slot;
    await own.success();
    for (let i = 0; i < 8; i++) await fail({ account: 'victim', address: `203.0.113.${i}` }, 10);

    const attacker = await limiter.reserve({ account: 'victim', address: '203.0.113.0' });
    const fresh = await limiter.reserve({ account: 'victim', address: '192.0.2.99' });
    const mine = await limiter.reserve(victim);
    expect(attacker).toMatchObject({ allowed: false, reason: 'account-address' });
    expect(fresh).toMatchObject({ allowed: false, reason: 'account' });
    expect(mine).toMatchObject({ allowed: true, stepUp: false });
  });

  it('asks unknown addresses for a step-up instead of refusing them in step-up mode', async () => {
    const { limiter, fail, events } = await setup({ account: { mode: 'step-up' } });
    const own = (await limiter.reserve(victim)) as Slot;
    await own.success();
    for (let i = 0; i < 3; i++) await fail({ account: 'victim', address: `203.0.113.${i}` }, 10);

    const fresh = await limiter.reserve({ account: 'victim', address: '192.0.2.99' });
    const mine = await limiter.reserve(victim);
    expect(fresh).toMatchObject({ allowed: true, stepUp: true });
    expect(mine).toMatchObject({ allowed: true, stepUp: false });
    expect(events.some((e) => e.type === 'auth.step-up')).toBe(true);
  });

  it('counts Alice, "alice " and ＡＬＩＣＥ as one account', async () => {
    const { limiter, fail } = await setup();
    const address = '192.0.2.1';
    await fail({ account: 'Alice', address }, 4);
    await fail({ account: 'alice ', address }, 3);
    await fail({ account: 'ＡＬＩＣＥ', address }, 3);

    expect(await limiter.reserve({ account: 'ALICE', address })).toMatchObject({
      allowed: false,
    });
  });

  it('limits 1 000 addresses of one IPv6 /64 as one client', async () => {
    const { limiter } = await setup();
    let allowed = 0;
    for (let i = 0; i < 1000; i++) {
      const slot = await limiter.reserve({
        account: 'bob',
        address: `2001:db8:0:1::${i.toString(16)}`,
      });
      if (slot.allowed) {
        allowed++;
        await slot.failure();
      }
    }

    expect(allowed).toBe(10);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const { limiter, fail } = await setup();
    await fail({ account: 'bob', address: '::ffff:192.0.2.5' }, 10);

    expect(await limiter.reserve({ account: 'bob', address: '192.0.2.5' })).toMatchObject({
      allowed: false,
    });
  });

  it('ignores settle calls after the first', async () => {
    const { limiter } = await setup();
    const slot = (await limiter.reserve(victim)) as Slot;
    await slot.failure();
    await slot.success();
    await slot.release();
    for (let i = 0; i < 8; i++) await ((await limiter.reserve(victim)) as Slot).failure();

    expect(await limiter.reserve(victim)).toMatchObject({ allowed: true });
    expect(await limiter.reserve(victim)).toMatchObject({ allowed: false });
  });

  it('lifts a block with unblock() and reports it', async () => {
    const { limiter, fail, events } = await setup();
    await fail(victim, 10);
    await limiter.unblock({ account: 'Victim', address: victim.address });

    expect((await limiter.reserve(victim)).allowed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'auth.unblocked', cause: 'unblock' });
  });

  it('reports failures, blocks and an unblock by success as typed events', async () => {
    const { limiter, clock, fail, events } = await setup();
    await fail(victim, 10);
    await limiter.reserve(victim);
    clock.advance(MIN);
    await ((await limiter.reserve(victim)) as Slot).success();

    expect(events.filter((e) => e.type === 'auth.failure')).toHaveLength(10);
    expect(events.find((e) => e.type === 'auth.failure' && e.failures === 10)).toMatchObject({
      lockedForSeconds: 60,
      account: 'victim',
      address: victim.address,
      limiter: 'login',
    });
    expect(events.filter((e) => e.type === 'auth.blocked')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'auth.unblocked', cause: 'success' });
  });

  it('keeps separate counters per keyPrefix (passwords and codes)', async () => {
    const { fail } = await setup();
    const mfa = new AttemptLimiter({ store, keyPrefix: 'mfa' });
    await fail(victim, 10);

    expect((await mfa.reserve(victim)).allowed).toBe(true);
  });

  it('refuses an address that is not an IP address', async () => {
    const { limiter } = await setup();

    await expect(limiter.reserve({ account: 'a', address: 'evil' })).rejects.toMatchObject({
      code: 'ERR_AUTH_LIMIT_ARGUMENT',
    });
  });
});
