import { randomBytes } from 'node:crypto';
import { AttemptLimiter } from '@galaxy-harden/auth-limit';
import { MemoryMfaRecords, Mfa, type VerifyOutcome } from '@galaxy-harden/mfa';
import { createRedisStore, type RedisStore } from '@galaxy-harden/store';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisUrl } from '../support/redis-server.js';

const url = sharedRedisUrl();
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const encryption = { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' };

// Two gateway replicas: separate Redis connections, one user database.
describe.runIf(url)('races against a real Redis (two replicas)', () => {
  const stores: RedisStore[] = [];
  let now = T0;
  const clock = () => now;

  beforeAll(async () => {
    const prefix = `mfa-race-${randomBytes(6).toString('hex')}:`;
    for (let i = 0; i < 2; i++) stores.push(createRedisStore({ url: url ?? '', prefix }));
    await Promise.all(stores.map((store) => store.ready()));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  function replicas(limits?: { threshold: number }) {
    const records = new MemoryMfaRecords();
    return stores.map((store) => {
      const limiter =
        limits &&
        new AttemptLimiter({
          keyPrefix: 'mfa',
          store,
          accountAddress: limits,
          account: limits,
          now: clock,
        });
      return new Mfa({
        issuer: 'Galaxy',
        records,
        encryption,
        store,
        now: clock,
        ...(limiter ? { limiter } : {}),
      });
    });
  }

  async function enrol(mfa: Mfa, userId: string) {
    const start = await mfa.startEnrolment({ userId });
    const confirmed = await mfa.confirmEnrolment(userId, code(start.secret));
    if (!confirmed.ok) throw new Error('enrolment failed');
    now += 30_000;
    return { secret: start.secret, recoveryCodes: confirmed.recoveryCodes };
  }

  function code(secret: string): string {
    return generateSync({ secret, epoch: Math.floor(now / 1000) });
  }

  function successes(outcomes: VerifyOutcome[]): number {
    return outcomes.filter((outcome) => outcome.ok).length;
  }

  it('accepts one code sent 20 times at once exactly once (race: same code)', async () => {
    const [a, b] = replicas({ threshold: 100 }) as [Mfa, Mfa];
    const userId = `ana-${randomBytes(4).toString('hex')}`;
    const { secret } = await enrol(a, userId);
    const submitted = code(secret);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).verify(userId, submitted, { address: `198.51.100.${i}` }),
      ),
    );
    expect(successes(outcomes)).toBe(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'replay')).toHaveLength(19);
  });

  it('accepts it exactly once with the default limiter too', async () => {
    const [a, b] = replicas() as [Mfa, Mfa];
    const userId = `bob-${randomBytes(4).toString('hex')}`;
    const { secret } = await enrol(a, userId);
    const submitted = code(secret);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).verify(userId, submitted)),
    );
    expect(successes(outcomes)).toBe(1);
  });

  it('accepts one recovery code sent 10 times at once exactly once, count -1', async () => {
    const [a, b] = replicas({ threshold: 100 }) as [Mfa, Mfa];
    const userId = `cyd-${randomBytes(4).toString('hex')}`;
    const { recoveryCodes } = await enrol(a, userId);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).verify(userId, recoveryCodes[0], { address: `203.0.113.${i}` }),
      ),
    );
    expect(successes(outcomes)).toBe(1);
    expect(outcomes.find((o) => o.ok)).toEqual({ ok: true, method: 'recovery', remaining: 9 });
    expect((await b.status(userId)).recoveryCodesLeft).toBe(9);
  });

  it('confirms one enrolment once when its code is sent twice at once', async () => {
    const [a, b] = replicas({ threshold: 100 }) as [Mfa, Mfa];
    const userId = `dan-${randomBytes(4).toString('hex')}`;
    const start = await a.startEnrolment({ userId });
    const submitted = code(start.secret);
    const outcomes = await Promise.all([
      a.confirmEnrolment(userId, submitted),
      b.confirmEnrolment(userId, submitted),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  });
});
