import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32, MfaError } from '../src/index.js';

const SEED = new TextEncoder().encode('12345678901234567890');

describe('base32 secrets', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes the RFC 4648 vector %j without padding', (text, expected) => {
    expect(encodeBase32(new TextEncoder().encode(text))).toBe(expected);
  });

  it('reads lower case, upper case, padding and spaces alike (secret formatting)', () => {
    const forms = [
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      'gezdgnbvgy3tqojqgezdgnbvgy3tqojq',
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====',
      'gezd gnbv gy3t qojq gezd gnbv gy3t qojq',
      'MZXW6YQ=',
    ];
    for (const form of forms.slice(0, 4)) expect(decodeBase32(form)).toEqual(SEED);
    expect(decodeBase32('mzxw6yq')).toEqual(decodeBase32(forms[4] ?? ''));
  });

  it('emits secrets with no padding, no spaces and upper case only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        expect(encodeBase32(bytes)).toMatch(/^[A-Z2-7]+$/);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase32(encodeBase32(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['GEZDGNB1', 'GEZ', 'GEZDGNBV!', 'ÄEZDGNBV'])(
    'refuses %j with ERR_MFA_ARGUMENT',
    (text) => {
      const error = catchError(() => decodeBase32(text));
      expect(error).toBeInstanceOf(MfaError);
      expect(error).toMatchObject({ code: 'ERR_MFA_ARGUMENT' });
      expect((error as Error).message).toMatch(/^@galaxy-harden\/mfa: argument secret /);
    },
  );

  it.each([
    ['ıııı ıııı', 'dotless i upper-cases to I'],
    ['ßßßß', 'sharp s upper-cases to SS'],
    ['ﬆﬆﬆﬆ', 'the st ligature upper-cases to ST'],
  ])('refuses %j: %s (unicode case folding in secrets)', (text) => {
    const error = catchError(() => decodeBase32(text));
    expect(error).toMatchObject({
      code: 'ERR_MFA_ARGUMENT',
      message: '@galaxy-harden/mfa: argument secret holds a non-base32 character',
    });
  });

  it('never quotes the secret or keeps a cause that does (secret in an error message)', () => {
    for (const text of ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQQ', 'MZXW6YR']) {
      const error = catchError(() => decodeBase32(text)) as MfaError;
      expect(error.code).toBe('ERR_MFA_ARGUMENT');
      expect(error.message).toBe(
        '@galaxy-harden/mfa: argument secret has an impossible length or non-zero trailing bits',
      );
      expect(error.cause).toBeUndefined();
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
