import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import {
  DEFAULT_TOTP_PARAMETERS,
  normaliseTotpInput,
  otpauthUri,
  SecretBox,
  TotpVerifier,
} from '../src/index.js';
import { normaliseRecoveryInput } from '../src/recovery-codes.js';
import { testKeys } from './support.js';

const whitespace = fc.constantFrom(' ', '\t', '\n', '\r', '\f');
const digits = fc.stringMatching(/^[0-9]{6}$/);

describe('input properties', () => {
  it('normalises any input to exactly 6 ASCII digits or nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const token = normaliseTotpInput(input, 6);
        expect(token === undefined || /^[0-9]{6}$/.test(token)).toBe(true);
      }),
      fuzzParameters('mfa-token-any', 500),
    );
  });

  it('keeps a code whatever ASCII whitespace is put around or inside it', () => {
    fc.assert(
      fc.property(
        digits,
        fc.array(fc.tuple(fc.nat(6), whitespace), { maxLength: 6 }),
        (code, cuts) => {
          let typed = code;
          for (const [at, space] of cuts) typed = typed.slice(0, at) + space + typed.slice(at);
          expect(normaliseTotpInput(typed, 6)).toBe(code);
        },
      ),
      fuzzParameters('mfa-token-spaces', 300),
    );
  });

  it('never throws on any submitted value, and never accepts a non-code', async () => {
    const verifier = new TotpVerifier();
    const secret = new Uint8Array(20).fill(7);
    // A JSON body can only carry some of these, but a caller may pass anything it parsed; every
    // kind is stored exactly in the corpus (test/support/fuzz-corpus.ts), so all are drawn.
    const anything = fc.anything({
      ...{ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true },
      ...{ withNullPrototype: true, withSet: true, withSparseArray: true, withTypedArray: true },
      ...{ withObjectString: true, withUnicodeString: true },
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), anything), async (input) => {
        const verdict = await verifier.verify('fuzz', secret, input);
        if (verdict.ok) expect(normaliseTotpInput(input, 6)).toBeDefined();
      }),
      fuzzParameters<[unknown]>('mfa-verify-any', 200),
    );
  });

  it('normalises recovery input to 12 Crockford characters or nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const code = normaliseRecoveryInput(input);
        expect(code === undefined || /^[0-9a-hjkmnp-tv-z]{12}$/.test(code)).toBe(true);
      }),
      fuzzParameters('mfa-recovery-any', 300),
    );
  });

  it('opens a sealed secret only for the same user and credential', () => {
    const box = new SecretBox(testKeys());
    const id = fc.string({ minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        id,
        id,
        id,
        (secret, user, cred, other) => {
          const sealed = box.seal(secret, { userId: user, credentialId: cred });
          expect(box.open(sealed, { userId: user, credentialId: cred })).toEqual(secret);
          if (other !== user)
            expect(() => box.open(sealed, { userId: other, credentialId: cred })).toThrow();
        },
      ),
      fuzzParameters('mfa-secret-box', 100),
    );
  });

  it('round-trips any issuer and account name through the otpauth URI', () => {
    const label = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter(
        (s) =>
          s.length <= 64 &&
          !s.includes(':') &&
          ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f'),
      );
    fc.assert(
      fc.property(label, label, (issuer, accountName) => {
        const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
        const uri = new URL(
          otpauthUri({ issuer, accountName, secret, params: DEFAULT_TOTP_PARAMETERS }),
        );
        const [shownIssuer, shownAccount] = uri.pathname
          .slice(1)
          .split(':')
          .map(decodeURIComponent);
        expect([shownIssuer, shownAccount]).toEqual([issuer, accountName]);
        expect(uri.searchParams.get('issuer')).toBe(issuer);
      }),
      fuzzParameters('mfa-otpauth-uri', 200),
    );
  });
});
