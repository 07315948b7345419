// The authenticator app of the load run: TOTP codes (RFC 6238 over RFC 4226 HOTP, SHA-1,
// 6 digits, 30 s), the parameters the demo gateway enrols with.
import { createHmac, randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_MS = 30_000;

/**
 * Decodes RFC 4648 base32 (no padding needed, case and spaces ignored).
 *
 * @example
 * decodeBase32('GEZDGNBV').toString(); // '12345'
 */
export function decodeBase32(text) {
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index === -1) throw new Error(`not base32: ${JSON.stringify(char)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * A random base32 secret of `length` characters (5 bits each).
 *
 * @example
 * randomBase32(32).length; // 32
 */
export function randomBase32(length) {
  return Array.from(randomBytes(length), (byte) => BASE32[byte & 31]).join('');
}

/**
 * The 6-digit code of `secret` (base32) for the time step holding `atMs`.
 *
 * @example
 * totp(encoded, Date.now()); // '492039'
 */
export function totp(secret, atMs) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / STEP_MS)));
  const mac = createHmac('sha1', decodeBase32(secret)).update(counter).digest();
  // RFC 4226 section 5.3: dynamic truncation.
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;

  return String(number % 1_000_000).padStart(6, '0');
}

/**
 * The base32 secret of an `otpauth://totp/...?secret=...` URI.
 *
 * @example
 * secretOfUri('otpauth://totp/x:ana?secret=JBSWY3DP&issuer=x'); // 'JBSWY3DP'
 */
export function secretOfUri(uri) {
  const secret = new URL(uri).searchParams.get('secret');
  if (!secret) throw new Error('the enrolment URI carries no secret');

  return secret;
}
