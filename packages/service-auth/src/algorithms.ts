import { optionError } from './errors.js';

/**
 * The signature algorithms a peer may use. Asymmetric only: an HMAC algorithm would let
 * anyone holding the peer's public key mint tokens (fast-jwt CVE-2023-48223).
 *
 * @example
 * const peer = { name: 'pulsar', algorithms: ['EdDSA'] as ServiceAlgorithm[] };
 */
export type ServiceAlgorithm = 'ES256' | 'EdDSA';

/**
 * Every algorithm this package accepts, in order of preference.
 *
 * @example
 * SERVICE_ALGORITHMS.includes('ES256'); // true
 */
export const SERVICE_ALGORITHMS: readonly ServiceAlgorithm[] = ['ES256', 'EdDSA'];

const KEY_TYPES: Record<ServiceAlgorithm, { kty: string; crv: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** True when `value` is one of {@link SERVICE_ALGORITHMS}. */
export function isServiceAlgorithm(value: unknown): value is ServiceAlgorithm {
  return value === 'ES256' || value === 'EdDSA';
}

/** True when a JWK of this `kty`/`crv` can carry signatures of `alg`. */
export function keyFitsAlgorithm(kty: unknown, crv: unknown, alg: ServiceAlgorithm): boolean {
  const wanted = KEY_TYPES[alg];
  return kty === wanted.kty && crv === wanted.crv;
}

/** The algorithm a JWK of this `kty`/`crv` signs with, if any this package accepts. */
export function algorithmForKey(kty: unknown, crv: unknown): ServiceAlgorithm | undefined {
  return SERVICE_ALGORITHMS.find((alg) => keyFitsAlgorithm(kty, crv, alg));
}

/**
 * Checks a peer's explicit algorithm list. A missing list is refused at start-up rather
 * than defaulted (jsonwebtoken CVE-2022-23540 accepted whatever the token named).
 */
export function checkAlgorithms(option: string, value: unknown): readonly ServiceAlgorithm[] {
  const fix = `list some of ${SERVICE_ALGORITHMS.join(', ')}, e.g. ['ES256']`;
  if (!Array.isArray(value) || value.length === 0) {
    throw optionError(option, value, 'must be a non-empty array of algorithms', fix);
  }
  for (const alg of value) {
    if (!isServiceAlgorithm(alg)) throw optionError(option, alg, 'holds an unsupported alg', fix);
  }

  return Object.freeze([...new Set(value as ServiceAlgorithm[])]);
}
