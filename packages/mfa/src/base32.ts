import { base32 } from '@otplib/plugin-base32-scure';
import { argumentError } from './errors.js';

// WHATWG "ASCII whitespace": what a person adds when typing a secret in groups.
const ASCII_WHITESPACE = /[\t\n\f\r ]/g;
// Checked before upper-casing: `toUpperCase` folds 'ı' into 'I' and 'ß' into 'SS', so a
// non-ASCII string could otherwise decode as a different, valid secret.
const ASCII_BASE32 = /^[A-Za-z2-7]*$/;

/**
 * Encodes bytes as upper-case base32 (RFC 4648 section 6, through `@scure/base`) without `=`
 * padding or spaces, the form every authenticator app accepts in an `otpauth://` URI and by
 * hand.
 *
 * @example
 * encodeBase32(new TextEncoder().encode('12345678901234567890'));
 * // 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 */
export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes, { padding: false });
}

/**
 * Decodes a base32 secret typed or pasted by a person: lower or upper case, with or without
 * `=` padding, with ASCII spaces between groups. All of these give the same bytes.
 *
 * @throws MfaError `ERR_MFA_ARGUMENT` on a character outside the alphabet or a bad length;
 * the message never quotes the input.
 * @example
 * decodeBase32('gezd gnbv gy3t qojq gezd gnbv gy3t qojq=');
 */
export function decodeBase32(text: string): Uint8Array {
  const clean = String(text).replace(ASCII_WHITESPACE, '').replace(/=+$/, '');
  if (!ASCII_BASE32.test(clean)) throw argumentError('secret', 'holds a non-base32 character');

  try {
    return base32.decode(clean.toUpperCase());
  } catch {
    // No cause kept: @scure/base's messages quote the offending part of the secret.
    throw argumentError('secret', 'has an impossible length or non-zero trailing bits');
  }
}
