import { argumentError } from './errors.js';

// RFC 4648 section 6 alphabet: the one authenticator apps read from an otpauth URI.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));
// Unpadded lengths that can end a base32 string (RFC 4648 section 6, final quantum).
const VALID_TAIL = new Set([0, 2, 4, 5, 7]);

/**
 * Encodes bytes as upper-case base32 without `=` padding or spaces, the form every
 * authenticator app accepts in an `otpauth://` URI and by hand.
 *
 * @example
 * encodeBase32(new TextEncoder().encode('12345678901234567890'));
 * // 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];

  return out;
}

/**
 * Decodes a base32 secret typed or pasted by a person: lower or upper case, with or without
 * `=` padding, with ASCII spaces between groups. All of these give the same bytes.
 *
 * @throws MfaError `ERR_MFA_ARGUMENT` on a character outside the alphabet or a bad length.
 * @example
 * decodeBase32('gezd gnbv gy3t qojq gezd gnbv gy3t qojq=');
 */
export function decodeBase32(text: string): Uint8Array {
  const clean = text
    .replace(/[\t\n\f\r ]/g, '')
    .replace(/=+$/, '')
    .toUpperCase();
  if (!VALID_TAIL.has(clean.length % 8)) throw argumentError('secret', 'has an impossible length');

  const out = new Uint8Array(Math.floor((clean.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of clean) {
    const value = VALUES.get(char);
    if (value === undefined) throw argumentError('secret', 'holds a non-base32 character');

    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[index++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }

  return out;
}
