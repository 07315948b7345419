import { createHash, hash, timingSafeEqual } from 'node:crypto';

/**
 * A request or response body as it went over the wire.
 *
 * @example
 * const body: BodyBytes = JSON.stringify({ tool: 'grep' });
 */
export type BodyBytes = Uint8Array | string;

/**
 * SHA-256 of the raw body, base64url (no padding): the `hbd` claim. Strings are hashed as
 * UTF-8, which is what `fetch` sends for a string body.
 *
 * @example
 * bodyDigest('{"tool":"sed"}'); // 43 characters of base64url
 */
export function bodyDigest(body: BodyBytes | undefined): string {
  // One-shot hash: no Hash object per call on the verification hot path.
  return hash('sha256', body ?? '', 'base64url');
}

/**
 * Compares two base64url digests in constant time; different lengths are simply unequal
 * (the length of a SHA-256 digest is public).
 */
export function digestsEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;

  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * The RFC 8705 `x5t#S256` value of a DER-encoded certificate: SHA-256, base64url.
 *
 * @example
 * certificateThumbprint(tlsSocket.getPeerCertificate().raw);
 */
export function certificateThumbprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}
