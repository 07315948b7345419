import { randomBytes } from 'node:crypto';
import { MemoryStore } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { MemoryMfaRecords, Mfa } from '../src/index.js';
import { codeAt, enrolled, FakeClock, harness, T0, testKeys } from './support.js';

describe('Mfa.verify', () => {
  it('accepts the current code once, with its drift, and reports it', async () => {
    const h = harness();
    const { secret, start } = await enrolled(h);
    const outcome = await h.mfa.verify('ana', codeAt(secret, h.clock.ms), { address: '192.0.2.7' });
    expect(outcome).toEqual({
      ok: true,
      method: 'totp',
      credentialId: start.credentialId,
      driftSteps: 0,
    });
    expect(h.events.at(-1)).toEqual({
      type: 'mfa.verified',
      at: h.clock.ms,
      userId: 'ana',
      purpose: 'login',
      credentialId: start.credentialId,
      driftSteps: 0,
    });
  });

  it('refuses the same valid code twice (code reused inside its window)', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const code = codeAt(secret, h.clock.ms);
    expect((await h.mfa.verify('ana', code)).ok).toBe(true);
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: false, reason: 'replay' });
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.replay', userId: 'ana' });
  });

  it('refuses a code of an earlier step than the last accepted one', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const earlier = codeAt(secret, h.clock.ms);
    expect((await h.mfa.verify('ana', codeAt(secret, h.clock.ms + 30_000))).ok).toBe(true);
    expect(await h.mfa.verify('ana', earlier)).toEqual({ ok: false, reason: 'replay' });
  });

  it('refuses a replay at the last valid second (replay memory too short)', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    // Accepted one step early (client 30 s fast): valid until the end of the step after it.
    const stepStart = h.clock.ms;
    const code = codeAt(secret, stepStart + 30_000);
    expect(await h.mfa.verify('ana', code)).toMatchObject({ ok: true, driftSteps: 1 });
    h.clock.ms = stepStart + 90_000 - 1000;
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: false, reason: 'replay' });
    h.clock.ms = stepStart + 90_000;
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts a code from a client clock 30 s fast with the default window', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    expect(await h.mfa.verify('ana', codeAt(secret, h.clock.ms + 30_000))).toMatchObject({
      ok: true,
      driftSteps: 1,
    });
  });

  it.each([['123 456'], [' 123456 '], ['123456\n']])(
    'accepts the code typed as %j',
    async (shape) => {
      const h = harness();
      const { secret } = await enrolled(h);
      const code = codeAt(secret, h.clock.ms);
      const typed = shape
        .replace('123456', code)
        .replace('123 456', `${code.slice(0, 3)} ${code.slice(3)}`);
      expect((await h.mfa.verify('ana', typed)).ok).toBe(true);
    },
  );

  it.each([
    '',
    '1',
    '12',
    '123',
    '1234',
    '12345',
    '1234567',
    '123456789',
    'abcdef',
    null,
    7,
    { $ne: 1 },
  ])('answers %j as invalid, never a throw (short or long token)', async (input) => {
    const h = harness();
    await enrolled(h);
    expect(await h.mfa.verify('ana', input)).toEqual({ ok: false, reason: 'invalid' });
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.failure', reason: 'malformed' });
  });

  it('counts a code for a user without a factor as a failure', async () => {
    const h = harness();
    expect(await h.mfa.verify('nobody', '123456')).toEqual({ ok: false, reason: 'not-enrolled' });
  });

  it('never puts a code or the secret in an event', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const good = codeAt(secret, h.clock.ms);
    await h.mfa.verify('ana', good);
    await h.mfa.verify('ana', good);
    await h.mfa.verify('ana', '999999');
    const all = JSON.stringify(h.events);
    for (const hidden of [secret, good, '999999']) expect(all).not.toContain(hidden);
  });
});

describe('failing dependencies fail closed', () => {
  it('refuses with ERR_MFA_STORE while the replay store fails, accepts once back', async () => {
    const clock = new FakeClock(T0);
    const store = new FlakyStore({ now: clock.now });
    const h = harness({ store }, clock);
    const { secret } = await enrolled(h);
    store.failing = true;
    const error = await h.mfa.verify('ana', codeAt(secret, h.clock.ms)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_STORE' });
    expect((error as Error).message).toBe(
      '@galaxy-harden/mfa: could not record the accepted time step; refusing',
    );
    store.failing = false;
    expect((await h.mfa.verify('ana', codeAt(secret, h.clock.ms))).ok).toBe(true);
  });

  it('reports a store failure mid-check as mfa.unavailable, not as a failed code', async () => {
    const clock = new FakeClock(T0);
    const store = new FlakyStore({ now: clock.now });
    const h = harness({ store }, clock);
    const { secret } = await enrolled(h);
    store.failing = true;
    const error = await h.mfa
      .verify('ana', codeAt(secret, h.clock.ms), { address: '192.0.2.9' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_STORE' });
    expect(h.events.at(-1)).toEqual({
      type: 'mfa.unavailable',
      at: h.clock.ms,
      userId: 'ana',
      purpose: 'login',
      address: '192.0.2.9',
    });
  });

  it('throws ERR_MFA_STORE when the limiter store is dead (outage, not lockout)', async () => {
    const limiter = {
      reserve: async () => ({
        allowed: false as const,
        retryAfterSeconds: 5,
        reason: 'store-unavailable',
      }),
    };
    const h = harness({ limiter });
    const error = await h.mfa.verify('ana', '123456').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_MFA_STORE',
      message:
        '@galaxy-harden/mfa: could not reserve an attempt (the limiter store is unavailable); ' +
        'refusing',
    });
    expect(h.events.map((e) => e.type)).toEqual(['mfa.unavailable']);
  });

  it('refuses with ERR_MFA_STORE when the record store fails', async () => {
    const records = new MemoryMfaRecords();
    records.load = async () => {
      throw new Error('db down');
    };
    const h = harness({ records });
    const error = await h.mfa.verify('ana', '123456').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_STORE' });
    expect((error as Error & { cause: Error }).cause.message).toBe('db down');
  });

  it('refuses with ERR_MFA_DECRYPT when the key that sealed the secret is gone', async () => {
    const records = new MemoryMfaRecords();
    const clock = new FakeClock(T0);
    const first = harness({ records }, clock);
    const { secret } = await enrolled(first);
    const other = new Mfa({ issuer: 'Galaxy', records, encryption: testKeys(), now: clock.now });
    const error = await other
      .verify('ana', codeAt(secret, clock.ms + 30_000))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_DECRYPT' });
  });
});

describe('key rotation', () => {
  it('seals a secret again with the current key on its next use', async () => {
    const records = new MemoryMfaRecords();
    const clock = new FakeClock(T0);
    const k1 = randomBytes(32);
    const before = harness({ records, encryption: { keys: { k1 }, currentKeyId: 'k1' } }, clock);
    const { secret } = await enrolled(before);
    const encryption = { keys: { k1, k2: randomBytes(32) }, currentKeyId: 'k2' };
    const after = new Mfa({ issuer: 'Galaxy', records, encryption, now: clock.now });
    expect((await after.verify('ana', codeAt(secret, clock.ms))).ok).toBe(true);
    expect((await records.load('ana'))?.totp?.sealedSecret).toMatch(/^v1\.k2\./);
    clock.advance(30_000);
    expect((await after.verify('ana', codeAt(secret, clock.ms))).ok).toBe(true);
  });
});

class FlakyStore extends MemoryStore {
  failing = false;

  override async setIfGreater(key: string, value: number, ttlMs: number): Promise<boolean> {
    if (this.failing) throw new Error('connection reset');
    return super.setIfGreater(key, value, ttlMs);
  }
}
