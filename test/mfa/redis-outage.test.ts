import { randomBytes } from 'node:crypto';
import { MemoryMfaRecords, Mfa } from '@galaxy-harden/mfa';
import { createRedisStore } from '@galaxy-harden/store';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisServerInstalled } from '../support/redis-server.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

// A failing store fails closed: no code passes while Redis is down.
describe.runIf(redisServerInstalled())('a Redis outage', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis.close();
  });

  it('refuses valid codes and recovery codes while Redis is down, accepts after', async () => {
    let now = T0;
    const clock = () => now;
    const records = new MemoryMfaRecords();
    const encryption = { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' };
    const replica = async () => {
      const store = createRedisStore({ url: redis.url, commandTimeoutMs: 300 });
      await store.ready();
      return { store, mfa: new Mfa({ issuer: 'Galaxy', records, encryption, store, now: clock }) };
    };

    const first = await replica();
    const start = await first.mfa.startEnrolment({ userId: 'ana' });
    const code = () => generateSync({ secret: start.secret, epoch: Math.floor(now / 1000) });
    const confirmed = await first.mfa.confirmEnrolment('ana', code());
    if (!confirmed.ok) throw new Error('enrolment failed');
    now += 30_000;

    await redis.stop();
    for (const input of [code(), confirmed.recoveryCodes[0]]) {
      const outcome = await first.mfa.verify('ana', input).catch((error: unknown) => error);
      expect(outcome).not.toMatchObject({ ok: true });
      expect(outcome).toSatisfy(
        (o: unknown) =>
          (o as { reason?: string }).reason === 'throttled' ||
          (o as { code?: string }).code === 'ERR_MFA_STORE',
      );
    }
    await first.store.close();

    await redis.resume();
    const second = await replica();
    expect(await second.mfa.verify('ana', code())).toMatchObject({ ok: true, method: 'totp' });
    expect(await second.mfa.verify('ana', confirmed.recoveryCodes[0])).toMatchObject({
      ok: true,
      remaining: 9,
    });
    await second.store.close();
  });
});
