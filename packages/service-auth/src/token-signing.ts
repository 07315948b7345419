import { randomBytes } from 'node:crypto';
import { CompactSign } from 'jose';
import { optionError } from './errors.js';
import type { ServiceIdentity } from './identity.js';

/**
 * A fresh token id: 16 random bytes, base64url (22 characters), unguessable so a replay
 * marker cannot be planted ahead of the real token.
 */
export function newJti(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The `iat` for a token minted now, in whole seconds. A clock that returns something other
 * than a finite number would put `null` in the token (JSON has no NaN): refused instead.
 */
export function issuedAt(now: () => number): number {
  const ms = now();
  if (typeof ms === 'number' && Number.isFinite(ms)) return Math.floor(ms / 1000);

  throw optionError('now', ms, 'must return milliseconds as a finite number', 'fix the clock');
}

/**
 * Signs a claims object as a compact JWS with the identity's key. jose's `CompactSign`
 * signs the bytes of `JSON.stringify(claims)`, the same bytes `SignJWT` would produce for
 * these claims in this order, without its builder's deep copy and re-validation of values
 * the callers have already checked (the token format does not change).
 */
export function signClaims(identity: ServiceIdentity, typ: string, claims: object) {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8');
  const header = { alg: identity.alg, kid: identity.kid, typ };

  return new CompactSign(payload).setProtectedHeader(header).sign(identity.privateKey);
}
