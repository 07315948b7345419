import { describe, expect, it } from 'vitest';
import { MfaError } from '../src/index.js';
import { codeAt, enrolled, harness, SlowRecords } from './support.js';

describe('recovery codes at login', () => {
  it('accepts a recovery code once, and the count drops by one', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    const code = recoveryCodes[3] ?? '';
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: true, method: 'recovery', remaining: 9 });
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: false, reason: 'invalid' });
    expect((await h.mfa.status('ana')).recoveryCodesLeft).toBe(9);
    expect(h.events.find((e) => e.type === 'mfa.recovery.used')).toMatchObject({
      remaining: 9,
      purpose: 'login',
    });
  });

  it('accepts the code typed in upper case with spaces', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    const typed = ` ${(recoveryCodes[0] ?? '').toUpperCase().replaceAll('-', ' ')} `;
    expect((await h.mfa.verify('ana', typed)).ok).toBe(true);
  });

  it('is valid for step-up too (valid on every login path)', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    expect(await h.mfa.verify('ana', recoveryCodes[0], { purpose: 'step-up' })).toMatchObject({
      ok: true,
    });
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.step-up.passed', method: 'recovery' });
  });

  it('stops every old code when the set is regenerated', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    const fresh = await h.mfa.regenerateRecoveryCodes('ana');
    expect(fresh).toHaveLength(10);
    // Four of them: a fifth failure from one address would be throttled, not judged.
    for (const old of recoveryCodes.slice(0, 4)) {
      expect(await h.mfa.verify('ana', old)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await h.mfa.verify('ana', fresh[0])).ok).toBe(true);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'mfa.recovery.regenerated', count: 10 }),
    );
  });

  it('refuses to regenerate codes for a user with no factor', async () => {
    const h = harness();
    const error = await h.mfa.regenerateRecoveryCodes('ana').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaError);
    expect(error).toMatchObject({ code: 'ERR_MFA_STATE' });
  });

  it('stops the codes and the factor when MFA is disabled', async () => {
    const h = harness();
    const { secret, recoveryCodes } = await enrolled(h);
    await h.mfa.disable('ana');
    expect(await h.mfa.status('ana')).toEqual({
      enrolled: false,
      enrolmentPending: false,
      recoveryCodesLeft: 0,
    });
    expect(await h.mfa.verify('ana', recoveryCodes[0])).toEqual({ ok: false, reason: 'invalid' });
    expect(await h.mfa.verify('ana', codeAt(secret, h.clock.ms))).toEqual({
      ok: false,
      reason: 'not-enrolled',
    });
    expect(h.events.at(-3)).toMatchObject({ type: 'mfa.disabled', userId: 'ana' });
  });

  it('never puts a recovery code in an event', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    await h.mfa.verify('ana', recoveryCodes[0]);
    await h.mfa.verify('ana', recoveryCodes[0]);
    const all = JSON.stringify(h.events).toLowerCase();
    for (const code of recoveryCodes) {
      expect(all).not.toContain(code);
      expect(all).not.toContain(code.replaceAll('-', ''));
    }
  });

  it('records every code of a set used at once (lost update of the record)', async () => {
    const records = new SlowRecords();
    const h = harness({ records });
    const { recoveryCodes } = await enrolled(h);
    const used = recoveryCodes.slice(0, 4);
    const outcomes = await Promise.all(
      used.map((code, i) => h.mfa.verify('ana', code, { address: `192.0.2.${i}` })),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const stored = await records.load('ana');
    expect(stored?.recovery?.usedAt.slice(0, 4).every((at) => at === h.clock.ms)).toBe(true);
    expect(stored?.recovery?.usedAt.slice(4).every((at) => at === null)).toBe(true);
    expect((await h.mfa.status('ana')).recoveryCodesLeft).toBe(6);
    // The durable record alone must refuse them: markers vanish with a Redis restart.
    await h.store.close();
    const after = harness({ records }, h.clock);
    expect(await after.mfa.verify('ana', used[1])).toEqual({ ok: false, reason: 'invalid' });
  });
});
