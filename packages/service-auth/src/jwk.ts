import { type CryptoKey, calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { algorithmForKey, type ServiceAlgorithm } from './algorithms.js';
import { ServiceAuthError } from './errors.js';

/**
 * A public signing key as this package publishes it: `kid` is the RFC 7638 thumbprint.
 *
 * @example
 * const [key]: PublicJwk[] = publicJwks(identity).keys;
 */
export interface PublicJwk {
  kty: 'EC' | 'OKP';
  crv: 'P-256' | 'Ed25519';
  x: string;
  /** Present for EC keys only. */
  y?: string;
  kid: string;
  alg: ServiceAlgorithm;
  use: 'sig';
}

/**
 * A JSON Web Key Set (RFC 7517 section 5) of public signing keys.
 *
 * @example
 * const jwks: PublicJwks = await readJwksFile('gateway.jwks.json');
 */
export interface PublicJwks {
  keys: PublicJwk[];
}

/** A public key imported once and kept for every verification. */
export interface ImportedKey {
  readonly kid: string;
  readonly alg: ServiceAlgorithm;
  readonly key: CryptoKey;
  readonly jwk: PublicJwk;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'priv'];

function keyError(where: string, rule: string): ServiceAuthError {
  return new ServiceAuthError(
    'ERR_SERVICE_AUTH_KEY',
    `@galaxy-harden/service-auth: ${where} ${rule}`,
  );
}

/**
 * True when a JWK carries private key members. Such a key in a JWKS means the peer's secret
 * is public: anyone who read the set can sign as that peer.
 */
export function hasPrivateMembers(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;

  return PRIVATE_MEMBERS.some((name) => name in input);
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }

  throw keyError(where, 'must be a JSON Web Key object');
}

/** The members RFC 7638 hashes, in a fresh object: nothing else from the input survives. */
function publicMembers(jwk: Record<string, unknown>, where: string) {
  const alg = algorithmForKey(jwk.kty, jwk.crv);
  if (alg === undefined) {
    throw keyError(where, 'must be an EC P-256 (ES256) or OKP Ed25519 (EdDSA) key');
  }
  const ec = jwk.kty === 'EC';
  if (typeof jwk.x !== 'string' || (ec && typeof jwk.y !== 'string')) {
    throw keyError(where, `is missing its ${ec ? '"x" or "y"' : '"x"'} coordinate`);
  }

  const members = ec
    ? { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y as string }
    : { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x };
  return { alg, members };
}

/** The RFC 7638 SHA-256 thumbprint of a public JWK, base64url: the `kid` of every key. */
export async function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * Checks and imports one public JWK. Refuses private members (a JWKS that leaks `d` is a
 * deployment mistake to stop, not to tolerate), a `kid` other than the thumbprint, an `alg`
 * or `use` that does not fit, and key types outside ES256 and EdDSA.
 */
export async function importPublicJwk(input: unknown, where: string): Promise<ImportedKey> {
  const raw = asRecord(input, where);
  if (hasPrivateMembers(raw)) {
    throw keyError(where, 'holds private key material; publish only the public JWKS');
  }
  const { alg, members } = publicMembers(raw, where);
  if (raw.alg !== undefined && raw.alg !== alg)
    throw keyError(where, `has "alg" other than ${alg}`);
  if (raw.use !== undefined && raw.use !== 'sig')
    throw keyError(where, 'has "use" other than "sig"');

  const kid = await jwkThumbprint(members);
  if (raw.kid !== undefined && raw.kid !== kid) {
    throw keyError(where, 'has a "kid" that is not its RFC 7638 thumbprint');
  }
  const jwk: PublicJwk = { ...members, kid, alg, use: 'sig' };
  const key = await importKey(members, alg, where);

  return Object.freeze({ kid, alg, key, jwk });
}

async function importKey(jwk: JWK, alg: ServiceAlgorithm, where: string): Promise<CryptoKey> {
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK(jwk, alg);
  } catch (cause) {
    throw new ServiceAuthError(
      'ERR_SERVICE_AUTH_KEY',
      `@galaxy-harden/service-auth: ${where} is not a valid key`,
      {
        cause,
      },
    );
  }
  if (key instanceof Uint8Array) throw keyError(where, 'is a symmetric key');

  return key;
}

/**
 * Imports every key of a JWKS object. An empty set is refused: a peer nobody can verify is a
 * configuration mistake.
 */
export async function importPublicJwks(input: unknown, where: string): Promise<ImportedKey[]> {
  const keys = asRecord(input, where).keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw keyError(where, 'must be a JWKS object with a non-empty "keys" array');
  }

  return Promise.all(keys.map((jwk, index) => importPublicJwk(jwk, `${where}.keys[${index}]`)));
}
