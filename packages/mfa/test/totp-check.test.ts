import { MemoryStore } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { type TotpAlgorithm, TotpVerifier } from '../src/index.js';
import { checkTotp } from '../src/totp-check.js';
import { DEFAULT_TOTP_PARAMETERS } from '../src/totp-parameters.js';
import { codeAt, FakeClock, T0 } from './support.js';

const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  sha1: new TextEncoder().encode('12345678901234567890'),
  sha256: new TextEncoder().encode('12345678901234567890123456789012'),
  sha512: new TextEncoder().encode(
    '1234567890123456789012345678901234567890123456789012345678901234',
  ),
};

// RFC 6238 appendix B: time in seconds, then the 8-digit codes for SHA-1, SHA-256, SHA-512.
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

const CASES = VECTORS.flatMap(([time, ...codes]) =>
  (['sha1', 'sha256', 'sha512'] as const).map((algorithm, i) => ({
    time,
    algorithm,
    code: codes[i] ?? '',
  })),
);

describe('RFC 6238 test vectors', () => {
  it.each(CASES)('accepts $code for $algorithm at t=$time', async ({ time, algorithm, code }) => {
    const clock = new FakeClock(time * 1000);
    const verifier = new TotpVerifier({
      now: clock.now,
      totp: { algorithm, digits: 8, window: 0 },
    });
    const verdict = await verifier.verify('rfc', SEEDS[algorithm], code);
    expect(verdict).toEqual({ ok: true, timeStep: Math.floor(time / 30), driftSteps: 0 });
  });

  it('accepts the exact string 026920 at t=900 (leading zeros)', () => {
    const match = checkTotp(SEEDS.sha1, '026920', DEFAULT_TOTP_PARAMETERS, 900);
    expect(match).toEqual({ timeStep: 30, driftSteps: 0 });
    expect(checkTotp(SEEDS.sha1, '26920', DEFAULT_TOTP_PARAMETERS, 900)).toBeUndefined();
  });
});

describe('checkTotp', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const bytes = SEEDS.sha1;
  const at = Math.floor(T0 / 1000);

  it('accepts a code from a client clock 30 s fast or slow with the default window', () => {
    expect(
      checkTotp(bytes, codeAt(secret, T0 + 30_000), DEFAULT_TOTP_PARAMETERS, at),
    ).toMatchObject({ driftSteps: 1 });
    expect(
      checkTotp(bytes, codeAt(secret, T0 - 30_000), DEFAULT_TOTP_PARAMETERS, at),
    ).toMatchObject({ driftSteps: -1 });
  });

  it('refuses a code two steps away', () => {
    expect(
      checkTotp(bytes, codeAt(secret, T0 + 60_000), DEFAULT_TOTP_PARAMETERS, at),
    ).toBeUndefined();
    expect(
      checkTotp(bytes, codeAt(secret, T0 - 60_000), DEFAULT_TOTP_PARAMETERS, at),
    ).toBeUndefined();
  });

  it('accepts only the current step with window 0', () => {
    const params = { ...DEFAULT_TOTP_PARAMETERS, window: 0 };
    expect(checkTotp(bytes, codeAt(secret, T0), params, at)).toEqual({
      timeStep: at / 30,
      driftSteps: 0,
    });
    expect(checkTotp(bytes, codeAt(secret, T0 + 30_000), params, at)).toBeUndefined();
  });

  it.each([
    ['a secret shorter than 16 bytes', new Uint8Array(10), '123456'],
    ['a token of the wrong length', bytes, '12345'],
    ['a token with a letter', bytes, '12345x'],
  ])('turns otplib throws into "no match" for %s', (_name, key, token) => {
    expect(() => checkTotp(key, token, DEFAULT_TOTP_PARAMETERS, at)).not.toThrow();
    expect(checkTotp(key, token, DEFAULT_TOTP_PARAMETERS, at)).toBeUndefined();
  });

  it('turns a negative or non-finite time into "no match"', () => {
    expect(checkTotp(bytes, '123456', DEFAULT_TOTP_PARAMETERS, -1)).toBeUndefined();
    expect(checkTotp(bytes, '123456', DEFAULT_TOTP_PARAMETERS, Number.NaN)).toBeUndefined();
  });
});

describe('TotpVerifier', () => {
  it('refuses a code twice, and an earlier step after a later one (code reused)', async () => {
    const clock = new FakeClock(T0);
    const verifier = new TotpVerifier({
      now: clock.now,
      store: new MemoryStore({ now: clock.now }),
    });
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const later = codeAt(secret, T0 + 30_000);
    expect(await verifier.verify('c1', SEEDS.sha1, later)).toMatchObject({
      ok: true,
      driftSteps: 1,
    });
    expect(await verifier.verify('c1', SEEDS.sha1, later)).toEqual({ ok: false, reason: 'replay' });
    expect(await verifier.verify('c1', SEEDS.sha1, codeAt(secret, T0))).toEqual({
      ok: false,
      reason: 'replay',
    });
  });

  it('reports malformed input before any HMAC work', async () => {
    const verifier = new TotpVerifier();
    expect(await verifier.verify('c1', SEEDS.sha1, '12 34')).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
