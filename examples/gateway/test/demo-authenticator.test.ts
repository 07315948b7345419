import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBase32, TotpVerifier } from '@galaxy-harden/mfa';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enrolDemoUser, nextDemoStep, takeDemoCode, totpCode } from '../src/demo-authenticator.js';
import { gatewayLogin } from '../src/login.js';
import { gatewayMfa } from '../src/mfa.js';

const STEP = 30_000;

describe('totpCode', () => {
  // RFC 6238 appendix B, SHA-1 rows; a 6-digit code is the last six of the 8-digit value.
  // They check how otplib is called here: the step turned into its epoch, 6 digits, SHA-1.
  const secret = new TextEncoder().encode('12345678901234567890');

  it.each([
    [59, '287082'],
    [1_111_111_109, '081804'],
    [1_111_111_111, '050471'],
    [1_234_567_890, '005924'],
    [2_000_000_000, '279037'],
    [20_000_000_000, '353130'],
  ])('matches the RFC 6238 vector at T = %i s', (seconds, code) => {
    expect(totpCode(secret, Math.floor(seconds / 30))).toBe(code);
  });

  it('reads the base32 text of an otpauth URI as the same key bytes', () => {
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');
    expect(totpCode('gezdgnbvgy3tqojqgezdgnbvgy3tqojq', 1)).toBe('287082');
  });

  it('makes codes @galaxy-harden/mfa accepts for that step, for any secret and time', async () => {
    const input = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 40 }), fc.nat(4e9));
    await fc.assert(
      fc.asyncProperty(input, async ([bytes, seconds]) => {
        const step = Math.floor(seconds / 30);
        const verifier = new TotpVerifier({ now: () => seconds * 1000 });
        const verdict = await verifier.verify('c', bytes, totpCode(encodeBase32(bytes), step));

        expect(verdict).toEqual({ ok: true, timeStep: step, driftSteps: 0 });
      }),
      { numRuns: 100 },
    );
  });
});

describe('nextDemoStep', () => {
  const at = (step: number, into = 5) => step * STEP + into;

  it.each([
    ['the current step when the last one is older', 7, at(10), 10, at(10)],
    ['the next step at once when the current one was handed out', 10, at(10), 11, at(10)],
    ['a step two ahead only once the next period begins', 11, at(10), 12, 11 * STEP],
  ])('hands out %s', (_title, lastStep, now, step, notBeforeMs) => {
    expect(nextDemoStep(lastStep, now)).toEqual({ step, notBeforeMs });
  });
});

describe('enrolDemoUser and takeDemoCode', () => {
  let dir = '';
  let now = 0;
  const file = () => join(dir, 'ana.totp');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-authenticator-test-'));
    now = 1_800_000_000_000 + 12_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function enrolled() {
    const login = gatewayLogin({ onEvent: () => {}, now: () => now });
    const second = gatewayMfa({
      session: login.sessions,
      loginPath: '/login',
      onEvent: () => {},
      now: () => now,
    });
    await enrolDemoUser({ mfa: second.mfa, userId: 'ana', file: file() });
    return second.mfa;
  }

  it('enrols the user and keeps the secret in a new 0600 file only', async () => {
    const mfa = await enrolled();
    const state = JSON.parse(readFileSync(file(), 'utf8'));

    expect(await mfa.status('ana')).toMatchObject({ enrolled: true, enrolmentPending: false });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(state).toEqual({
      user: 'ana',
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      lastStep: Math.floor(now / STEP) - 1,
    });
    await expect(enrolDemoUser({ mfa, userId: 'ana', file: file() })).rejects.toThrow(/EEXIST/);
  });

  it('enrols when a step begins while the enrolment code is checked (boundary race)', async () => {
    now = 1_800_000_000_000 - 1; // the last millisecond of a step
    const login = gatewayLogin({ onEvent: () => {}, now: () => now });
    const events: Array<{ type: string; reason?: unknown }> = [];
    const second = gatewayMfa({
      session: login.sessions,
      loginPath: '/login',
      onEvent: (event) => void events.push(event),
      now: () => now,
    });
    const confirm = second.mfa.confirmEnrolment.bind(second.mfa);
    // The first check runs once the next step has begun, as on a loaded machine.
    vi.spyOn(second.mfa, 'confirmEnrolment').mockImplementationOnce((...args) => {
      now += 1;
      return confirm(...args);
    });
    await enrolDemoUser({ mfa: second.mfa, userId: 'ana', file: file() });
    const { lastStep } = JSON.parse(readFileSync(file(), 'utf8'));

    expect(lastStep).toBe(Math.floor(now / STEP) - 1);
    expect(await second.mfa.status('ana')).toMatchObject({ enrolled: true });
    expect(events.filter((e) => e.type === 'mfa.failure')).toMatchObject([{ reason: 'invalid' }]);
    const code = await takeDemoCode(file(), now);
    expect(await second.mfa.verify('ana', code.code)).toMatchObject({ ok: true });
  });

  it('hands out codes the gateway accepts, each once, with no replay refusal', async () => {
    const mfa = await enrolled();
    const first = await takeDemoCode(file(), now);
    const second = await takeDemoCode(file(), now);

    expect(first.code).not.toBe(second.code);
    expect([first.notBeforeMs, second.notBeforeMs]).toEqual([now, now]);
    expect(await mfa.verify('ana', first.code)).toMatchObject({ ok: true, method: 'totp' });
    expect(await mfa.verify('ana', second.code)).toMatchObject({ ok: true, method: 'totp' });
    expect(await mfa.verify('ana', second.code)).toEqual({ ok: false, reason: 'replay' });
  });

  it('refuses a file other users can open, without quoting the secret', async () => {
    await enrolled();
    const { secret } = JSON.parse(readFileSync(file(), 'utf8'));
    chmodSync(file(), 0o640);
    const error = await takeDemoCode(file(), now).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'ERR_GATEWAY_AUTHENTICATOR',
      message: expect.stringContaining('must be mode 0600'),
    });
    expect(String((error as Error).message)).not.toContain(secret);
  });

  it.each([
    ['a missing field', '{"user":"ana"}\n'],
    ['broken JSON, without quoting it', '{"user":"ana","secret":"GEZDGNBVGY3TQOJQ"x\n'],
  ])('refuses a file that is not a demo authenticator file: %s', async (_title, text) => {
    writeFileSync(file(), text, { mode: 0o600 });
    const error = await takeDemoCode(file(), now).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'ERR_GATEWAY_AUTHENTICATOR',
      message: expect.stringContaining('is not a demo authenticator file'),
    });
    expect(String((error as Error).message)).not.toContain('GEZDGNBV');
  });
});
