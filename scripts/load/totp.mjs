// The authenticator app of the load run, on otplib: SHA-1, 6 digits, 30 s, the parameters
// the demo gateway enrols with.
import { generateSecret, generateSync } from 'otplib';

/**
 * A fresh random base32 secret (20 bytes, as the mfa package makes them).
 *
 * @example
 * randomBase32().length; // 32
 */
export function randomBase32() {
  return generateSecret({ length: 20 });
}

/**
 * The 6-digit code of `secret` (base32) for the time step holding `atMs`.
 *
 * @example
 * totp(encoded, Date.now()); // '492039'
 */
export function totp(secret, atMs) {
  return generateSync({ secret, epoch: Math.floor(atMs / 1000) });
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
