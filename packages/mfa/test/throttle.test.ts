import { AttemptLimiter } from '@galaxy-harden/auth-limit';
import { describe, expect, it } from 'vitest';
import type { VerifyOutcome } from '../src/index.js';
import { codeAt, enrolled, harness } from './support.js';

const attacker = (i: number) => `203.0.113.${i % 20}`;

describe('throttling failed codes (six digits brute-forced)', () => {
  it('throttles 30 wrong codes from 20 addresses in 5 parallel attempts, per account', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const outcomes: VerifyOutcome[] = [];
    for (let round = 0; round < 6; round++) {
      const batch = Array.from({ length: 5 }, (_, j) =>
        h.mfa.verify('ana', wrongCode(secret, h.clock.ms), { address: attacker(round * 5 + j) }),
      );
      outcomes.push(...(await Promise.all(batch)));
    }

    expect(outcomes.filter((o) => !o.ok && o.reason === 'invalid')).toHaveLength(10);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'throttled')).toHaveLength(20);
    const correct = await h.mfa.verify('ana', codeAt(secret, h.clock.ms), { address: attacker(7) });
    expect(correct).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 60 });
    expect(h.events.at(-1)).toMatchObject({
      type: 'mfa.throttled',
      userId: 'ana',
      retryAfterSeconds: 60,
    });
  });

  it('grows the delay as failures go on', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const waits: number[] = [];
    for (let i = 0; i < 40 && waits.length < 12; i++) {
      const outcome = await h.mfa.verify('ana', wrongCode(secret, h.clock.ms), {
        address: attacker(i),
      });
      if (!outcome.ok && outcome.reason === 'throttled') {
        waits.push(outcome.retryAfterSeconds);
        h.clock.advance(outcome.retryAfterSeconds * 1000);
      }
    }
    expect(waits[0]).toBe(60);
    expect(Math.max(...waits)).toBe(120);
  });

  it('keeps accounts apart: another account is not throttled', async () => {
    const h = harness();
    await enrolled(h, 'ana');
    const bob = await enrolled(h, 'bob');
    for (let i = 0; i < 12; i++) await h.mfa.verify('ana', '000000', { address: attacker(i) });
    expect(
      (await h.mfa.verify('bob', codeAt(bob.secret, h.clock.ms), { address: attacker(1) })).ok,
    ).toBe(true);
  });

  it('refuses logins pending from before a lockout, also later (stale session)', async () => {
    const h = harness();
    const { secret } = await enrolled(h);
    const pendingSince = h.clock.ms - 1;
    for (let i = 0; i < 6; i++) await h.mfa.verify('ana', wrongCode(secret, h.clock.ms));
    h.clock.advance(16 * 60_000);
    const stale = await h.mfa.verify('ana', codeAt(secret, h.clock.ms), {
      passwordAt: pendingSince,
    });
    expect(stale).toEqual({ ok: false, reason: 'stale-login' });
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.failure', reason: 'stale-login' });
    const fresh = await h.mfa.verify('ana', codeAt(secret, h.clock.ms), {
      passwordAt: h.clock.ms,
    });
    expect(fresh.ok).toBe(true);
  });

  it('refuses a passwordAt that is not a time with ERR_MFA_ARGUMENT', async () => {
    const h = harness();
    const error = await h.mfa
      .verify('ana', '123456', { passwordAt: Number.NaN })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_MFA_ARGUMENT',
      message: '@galaxy-harden/mfa: argument passwordAt must be milliseconds since the epoch',
    });
  });

  it('uses the limiter it is given', async () => {
    const limiter = new AttemptLimiter({
      keyPrefix: 'codes',
      accountAddress: { threshold: 2 },
      account: { threshold: 2 },
    });
    const h = harness({ limiter });
    await enrolled(h);
    await h.mfa.verify('ana', '000000', { address: '198.51.100.1' });
    await h.mfa.verify('ana', '000000', { address: '198.51.100.1' });
    expect(await h.mfa.verify('ana', '000000', { address: '198.51.100.1' })).toMatchObject({
      reason: 'throttled',
    });
  });
});

function wrongCode(secret: string, ms: number): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => codeAt(secret, ms + d)));
  let guess = 0;
  while (valid.has(String(guess).padStart(6, '0'))) guess++;
  return String(guess).padStart(6, '0');
}
