import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MfaError, SecretBox } from '../src/index.js';

const ANA = { userId: 'ana', credentialId: 'c1' };
const secret = new Uint8Array(randomBytes(20));

function errorOf(fn: () => unknown): MfaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MfaError) return error;
    throw error;
  }
  throw new Error('expected an MfaError');
}

describe('SecretBox', () => {
  const k1 = randomBytes(32);
  const box = new SecretBox({ keys: { k1 }, currentKeyId: 'k1' });

  it('opens what it sealed, and the sealed form names the key and hides the secret', () => {
    const sealed = box.seal(secret, ANA);
    expect(sealed).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed, ANA)).toEqual(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal(secret, ANA)).not.toBe(box.seal(secret, ANA));
  });

  it.each([
    ['another user', { userId: 'bob', credentialId: 'c1' }],
    ['another credential', { userId: 'ana', credentialId: 'c2' }],
  ])('refuses to open a secret moved to %s (associated data)', (_name, context) => {
    const error = errorOf(() => box.open(box.seal(secret, ANA), context));
    expect(error.code).toBe('ERR_MFA_DECRYPT');
    expect(error.message).toMatch(/failed authentication/);
  });

  it('refuses an altered ciphertext', () => {
    const parts = box.seal(secret, ANA).split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(errorOf(() => box.open(parts.join('.'), ANA)).code).toBe('ERR_MFA_DECRYPT');
  });

  it.each(['', 'v1.k1', 'v2.k1.a.b.c', 'v1.k1.a.b.c.d', 'plain'])(
    'refuses the malformed value %j',
    (value) => {
      expect(errorOf(() => box.open(value, ANA)).code).toBe('ERR_MFA_DECRYPT');
    },
  );

  it('rotates: an old key still opens, and marks the value for sealing again', () => {
    const sealedOld = box.seal(secret, ANA);
    const rotated = new SecretBox({ keys: { k1, k2: randomBytes(32) }, currentKeyId: 'k2' });
    expect(rotated.open(sealedOld, ANA)).toEqual(secret);
    expect(rotated.needsRewrap(sealedOld)).toBe(true);
    expect(rotated.needsRewrap(rotated.seal(secret, ANA))).toBe(false);
  });

  it('names the missing key id when a retired key was removed too early', () => {
    const sealed = box.seal(secret, ANA);
    const other = new SecretBox({ keys: { k2: randomBytes(32) }, currentKeyId: 'k2' });
    const error = errorOf(() => other.open(sealed, ANA));
    expect(error.code).toBe('ERR_MFA_DECRYPT');
    expect(error.message).toBe(
      '@galaxy-harden/mfa: the stored TOTP secret names key id k1, which is not configured',
    );
  });

  it.each([
    [{ keys: {}, currentKeyId: 'k1' }, 'option encryption.keys must hold at least one key'],
    [
      { keys: { k1: randomBytes(16) }, currentKeyId: 'k1' },
      'option encryption.keys.k1 must be exactly 32 bytes (AES-256), got 16 bytes',
    ],
    [{ keys: { 'k 1': randomBytes(32) }, currentKeyId: 'k 1' }, 'option encryption.keys needs ids'],
    [
      { keys: { k1: randomBytes(32) }, currentKeyId: 'k9' },
      'option encryption.currentKeyId must name one of encryption.keys, got "k9"',
    ],
  ])('refuses a bad key configuration at construction (%#)', (options, message) => {
    const error = errorOf(() => new SecretBox(options));
    expect(error.code).toBe('ERR_MFA_OPTION');
    expect(error.message).toContain(`@galaxy-harden/mfa: ${message}`);
  });

  it('never prints key material in a configuration error', () => {
    const key = Buffer.alloc(31, 0x41);
    const error = errorOf(() => new SecretBox({ keys: { k1: key }, currentKeyId: 'k1' }));
    expect(error.message).not.toContain(key.toString('base64'));
    expect(error.message).not.toContain('AAAA');
  });
});
