import { describe, expect, it } from 'vitest';
import { decodeBase32, MfaError } from '../src/index.js';
import { codeAt, enrolled, harness, T0 } from './support.js';

describe('Mfa enrolment', () => {
  it('makes a 20-byte secret and a URI and QR code for it', async () => {
    const h = harness();
    const start = await h.mfa.startEnrolment({ userId: 'ana', accountName: 'ana@example.org' });
    expect(decodeBase32(start.secret)).toHaveLength(20);
    expect(start.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.uri).toBe(
      `otpauth://totp/Galaxy%20Test:ana%40example.org?secret=${start.secret}` +
        '&issuer=Galaxy%20Test&algorithm=SHA1&digits=6&period=30',
    );
    expect(start.qr.svg).toMatch(/^<svg/);
    expect(start.qr.pngDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(start.expiresAt).toBe(T0 + 600_000);
  });

  it('gives each enrolment a different secret', async () => {
    const h = harness();
    const a = await h.mfa.startEnrolment({ userId: 'ana' });
    const b = await h.mfa.startEnrolment({ userId: 'bob' });
    expect(a.secret).not.toBe(b.secret);
  });

  it('keeps the secret only sealed in the record', async () => {
    const h = harness();
    const start = await h.mfa.startEnrolment({ userId: 'ana' });
    const stored = JSON.stringify(await h.records.load('ana'));
    expect(stored).toContain('"sealedSecret":"v1.k1.');
    expect(stored).not.toContain(start.secret);
    expect(stored).not.toContain(Buffer.from(decodeBase32(start.secret)).toString('base64url'));
  });

  it('does not accept a pending factor at login before it is confirmed', async () => {
    const h = harness();
    const start = await h.mfa.startEnrolment({ userId: 'ana' });
    expect(await h.mfa.verify('ana', codeAt(start.secret, T0))).toEqual({
      ok: false,
      reason: 'not-enrolled',
    });
    expect(await h.mfa.status('ana')).toEqual({
      enrolled: false,
      enrolmentPending: true,
      recoveryCodesLeft: 0,
    });
  });

  it('activates only after a valid code, then issues 10 recovery codes', async () => {
    const h = harness();
    const start = await h.mfa.startEnrolment({ userId: 'ana' });
    expect(await h.mfa.confirmEnrolment('ana', '000000')).toEqual({ ok: false, reason: 'invalid' });
    const outcome = await h.mfa.confirmEnrolment('ana', codeAt(start.secret, T0));
    expect(outcome).toMatchObject({ ok: true, credentialId: start.credentialId });
    expect(outcome.ok && outcome.recoveryCodes).toHaveLength(10);
    expect(await h.mfa.status('ana')).toEqual({
      enrolled: true,
      enrolmentPending: false,
      recoveryCodesLeft: 10,
      enrolledAt: T0,
    });
  });

  it('refuses the confirming code at login (code reused inside its window)', async () => {
    const h = harness();
    const start = await h.mfa.startEnrolment({ userId: 'ana' });
    const code = codeAt(start.secret, T0);
    expect((await h.mfa.confirmEnrolment('ana', code)).ok).toBe(true);
    expect(await h.mfa.verify('ana', code)).toEqual({ ok: false, reason: 'replay' });
  });

  it('refuses a recovery-code-shaped input to confirm an enrolment', async () => {
    const h = harness();
    const { recoveryCodes } = await enrolled(h);
    await h.mfa.startEnrolment({ userId: 'ana' });
    expect(await h.mfa.confirmEnrolment('ana', recoveryCodes[0])).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a confirmation after the enrolment expired, or when none was started', async () => {
    const h = harness();
    expect(await h.mfa.confirmEnrolment('ana', '123456')).toEqual({
      ok: false,
      reason: 'not-started',
    });
    const start = await h.mfa.startEnrolment({ userId: 'ana' });
    h.clock.advance(600_001);
    expect(await h.mfa.confirmEnrolment('ana', codeAt(start.secret, h.clock.ms))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('replaces an active factor only at confirmation; the old one works until then', async () => {
    const h = harness();
    const old = await enrolled(h);
    const next = await h.mfa.startEnrolment({ userId: 'ana' });
    expect((await h.mfa.verify('ana', codeAt(old.secret, h.clock.ms))).ok).toBe(true);
    h.clock.advance(30_000);
    expect((await h.mfa.confirmEnrolment('ana', codeAt(next.secret, h.clock.ms))).ok).toBe(true);
    h.clock.advance(30_000);
    expect(await h.mfa.verify('ana', codeAt(old.secret, h.clock.ms))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await h.mfa.verify('ana', codeAt(next.secret, h.clock.ms))).ok).toBe(true);
  });

  it('reports start and completion without the secret or the code', async () => {
    const h = harness();
    const { secret, recoveryCodes, start } = await enrolled(h);
    expect(h.events.map((e) => e.type)).toEqual([
      'mfa.enrolment.started',
      'mfa.verified',
      'mfa.enrolment.completed',
    ]);
    expect(h.events[1]).toMatchObject({
      purpose: 'enrolment',
      credentialId: start.credentialId,
      driftSteps: 0,
    });
    const all = JSON.stringify(h.events);
    for (const hidden of [secret, codeAt(secret, T0), ...recoveryCodes])
      expect(all).not.toContain(hidden);
  });

  it.each([
    [{ userId: '' }, 'argument userId must be 1 to 256 characters'],
    [{ userId: 'a\u0000b' }, 'argument userId must be 1 to 256 characters'],
    [
      { userId: 'ana', accountName: 'ana:root' },
      'argument accountName must be 1 to 128 characters',
    ],
  ])('refuses bad arguments with ERR_MFA_ARGUMENT (%#)', async (user, message) => {
    const h = harness();
    const error = await h.mfa.startEnrolment(user).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaError);
    expect(error).toMatchObject({ code: 'ERR_MFA_ARGUMENT' });
    expect((error as Error).message).toContain(message);
  });

  it('refuses an unpaired surrogate in a user id as ERR_MFA_ARGUMENT, not URIError', async () => {
    const h = harness();
    const error = await h.mfa.startEnrolment({ userId: 'ana\ud800' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaError);
    expect(error).toMatchObject({
      code: 'ERR_MFA_ARGUMENT',
      message:
        '@galaxy-harden/mfa: argument userId must be 1 to 256 characters of well-formed ' +
        'Unicode without control characters',
    });
  });
});
