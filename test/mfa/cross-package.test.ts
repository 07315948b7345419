import { randomBytes } from 'node:crypto';
import { AttemptLimiter } from '@galaxy-harden/auth-limit';
import * as mfaPackage from '@galaxy-harden/mfa';
import { MemoryMfaRecords, Mfa } from '@galaxy-harden/mfa';
import * as mfaExpressEntry from '@galaxy-harden/mfa/express';
import { type AttemptStore, createRedisStore, MemoryStore } from '@galaxy-harden/store';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisUrl } from '../support/redis-server.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const url = sharedRedisUrl();

describe('the built package, imported the way a user does', () => {
  it('exports the public API and no internals', () => {
    expect(Object.keys(mfaPackage).sort()).toEqual([
      'DEFAULT_TOTP_PARAMETERS',
      'IdTokenVerifier',
      'MemoryMfaRecords',
      'Mfa',
      'MfaError',
      'SecretBox',
      'TotpVerifier',
      'decodeBase32',
      'encodeBase32',
      'enforcementStatus',
      'hasFreshMfa',
      'normaliseTotpInput',
      'otpauthUri',
      'qrImages',
    ]);
    expect(Object.keys(mfaExpressEntry).sort()).toEqual([
      'MemorySessions',
      'mfaExpress',
      'safeNext',
    ]);
  });
});

// Keycloak 46164: one counter for both let an attacker lock the owner out of the second step.
describe('one counter for passwords and codes', () => {
  const stores: AttemptStore[] = [];
  let now = T0;
  const clock = () => now;

  beforeAll(async () => {
    if (url) {
      const redis = createRedisStore({ url, prefix: `mfa-x-${randomBytes(6).toString('hex')}:` });
      await redis.ready();
      stores.push(redis);
    }
    stores.push(new MemoryStore({ now: clock }));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  async function setUp(store: AttemptStore) {
    const passwords = new AttemptLimiter({ keyPrefix: 'login', store, now: clock });
    const mfa = new Mfa({
      issuer: 'Galaxy',
      records: new MemoryMfaRecords(),
      encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
      store,
      now: clock,
    });
    const userId = `ana-${randomBytes(4).toString('hex')}`;
    const start = await mfa.startEnrolment({ userId });
    await mfa.confirmEnrolment(userId, code(start.secret), { address: '192.0.2.10' });
    now += 30_000;
    return { passwords, mfa, userId, secret: start.secret };
  }

  function code(secret: string): string {
    return generateSync({ secret, epoch: Math.floor(now / 1000) });
  }

  async function wrongPassword(passwords: AttemptLimiter, account: string, address: string) {
    const slot = await passwords.reserve({ account, address });
    if (slot.allowed) await slot.failure();
    return slot.allowed;
  }

  for (const kind of url ? ['Redis', 'memory'] : ['memory']) {
    const store = () => (kind === 'Redis' ? stores[0] : stores.at(-1)) as AttemptStore;

    it(`keeps the owner's code working after many wrong passwords (${kind})`, async () => {
      const { passwords, mfa, userId, secret } = await setUp(store());
      let refused = 0;
      for (let i = 0; i < 60; i++)
        if (!(await wrongPassword(passwords, userId, `203.0.113.${i % 30}`))) refused++;
      expect(refused).toBeGreaterThan(0);
      expect(await mfa.verify(userId, code(secret), { address: '198.51.100.4' })).toMatchObject({
        ok: true,
      });
    });

    it(`keeps password logins open after many wrong codes (${kind})`, async () => {
      const { passwords, mfa, userId } = await setUp(store());
      const outcomes = [];
      for (let i = 0; i < 30; i++)
        outcomes.push(await mfa.verify(userId, '000000', { address: `203.0.113.${i % 20}` }));
      expect(outcomes.some((o) => !o.ok && o.reason === 'throttled')).toBe(true);
      const slot = await passwords.reserve({ account: userId, address: '198.51.100.4' });
      expect(slot.allowed).toBe(true);
    });
  }
});
