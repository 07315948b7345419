import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CryptoPlugin, HashAlgorithm } from 'otplib';

const ALGORITHMS: readonly HashAlgorithm[] = ['sha1', 'sha256', 'sha512'];

function toBuffer(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

/**
 * otplib's crypto plugin backed by `node:crypto`: OpenSSL's HMAC, and `timingSafeEqual`
 * for the code comparison. Lengths are compared first; they are public (the digit count).
 */
export const nodeCryptoPlugin: CryptoPlugin = Object.freeze({
  name: 'galaxy-harden-node-crypto',
  algorithms: ALGORITHMS,
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    return createHmac(algorithm, key).update(data).digest();
  },
  randomBytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  },
  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    const left = toBuffer(a);
    const right = toBuffer(b);

    return left.length === right.length && timingSafeEqual(left, right);
  },
});
