import {
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { CryptoPlugin, HashAlgorithm } from 'otplib';

const ALGORITHMS: readonly HashAlgorithm[] = ['sha1', 'sha256', 'sha512'];

function toBuffer(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

/**
 * otplib's crypto plugin backed by `node:crypto`, made for one verification: OpenSSL's HMAC
 * with the secret imported once as a KeyObject for the two or three steps of the window,
 * and `timingSafeEqual` for the code comparison. Lengths are compared first; they are
 * public (the digit count).
 */
export function nodeCryptoPlugin(secret: Uint8Array): CryptoPlugin {
  let key: KeyObject | undefined;

  return {
    name: 'galaxy-harden-node-crypto',
    algorithms: ALGORITHMS,
    hmac(algorithm: HashAlgorithm, bytes: Uint8Array, data: Uint8Array): Uint8Array {
      // otplib passes the secret it was given; anything else is keyed on its own.
      if (bytes !== secret) return createHmac(algorithm, bytes).update(data).digest();

      key ??= createSecretKey(bytes);
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
  };
}
