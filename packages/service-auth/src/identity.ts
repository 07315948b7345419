import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { algorithmForKey, isServiceAlgorithm, type ServiceAlgorithm } from './algorithms.js';
import { optionError, ServiceAuthError } from './errors.js';
import { importPublicJwk, jwkThumbprint, type PublicJwk, type PublicJwks } from './jwk.js';
import { checkName } from './names.js';

/**
 * A private signing key as the key CLI writes it: a JWK with `d`, `kid`, `alg`, `use`.
 *
 * @example
 * const jwk: PrivateJwk = JSON.parse(readFileSync('gateway.private.jwk.json', 'utf8'));
 */
export interface PrivateJwk extends JWK {
  d: string;
  kid: string;
  alg: ServiceAlgorithm;
}

/**
 * Who a component is: its name (used as `iss`/`sub` when it calls, as `aud` when it is
 * called), its private key (not extractable) and the public half with `kid` equal to the
 * RFC 7638 thumbprint.
 *
 * @example
 * const identity: ServiceIdentity = await loadServiceIdentity('gateway', keyPath);
 */
export interface ServiceIdentity {
  readonly name: string;
  readonly kid: string;
  readonly alg: ServiceAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

/**
 * Generates a new private signing key, ES256 unless told otherwise.
 *
 * @example
 * const privateJwk = await generateServiceKey('EdDSA');
 * const identity = await createServiceIdentity('job-runner', privateJwk);
 */
export async function generateServiceKey(alg: ServiceAlgorithm = 'ES256'): Promise<PrivateJwk> {
  if (!isServiceAlgorithm(alg)) {
    throw optionError('alg', alg, 'must be ES256 or EdDSA', 'pass "ES256" (default) or "EdDSA"');
  }

  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await jwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: 'sig' } as PrivateJwk;
}

function checkPrivateJwk(input: unknown): { jwk: JWK; alg: ServiceAlgorithm } {
  const jwk = (typeof input === 'object' && input !== null ? input : {}) as JWK;
  const alg = algorithmForKey(jwk.kty, jwk.crv);
  if (typeof jwk.d !== 'string' || alg === undefined) {
    // The value is key material: describe it, never print it.
    throw optionError(
      'privateJwk',
      '<not shown>',
      'must be a private EC P-256 or Ed25519 JWK',
      'pass the file galaxy-service-keys wrote',
    );
  }

  return { jwk, alg };
}

/**
 * Builds an identity from a name and a private JWK (as written by `galaxy-service-keys`).
 * A `kid` in the file must equal the thumbprint of the public half.
 *
 * @example
 * const identity = await createServiceIdentity('galaxy', JSON.parse(readFileSync(path, 'utf8')));
 */
export async function createServiceIdentity(
  name: string,
  privateJwk: PrivateJwk | JWK,
): Promise<ServiceIdentity> {
  checkName('name', name);
  const { jwk, alg } = checkPrivateJwk(privateJwk);
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw optionError(
      'privateJwk.alg',
      jwk.alg,
      `must fit the key type (${alg})`,
      'drop or fix it',
    );
  }

  const { d: _d, ...publicPart } = jwk;
  const imported = await importPublicJwk(publicPart, 'privateJwk (public half)');
  if (jwk.kid !== undefined && jwk.kid !== imported.kid) {
    throw new ServiceAuthError(
      'ERR_SERVICE_AUTH_KEY',
      '@galaxy-harden/service-auth: privateJwk has a "kid" that is not its RFC 7638 thumbprint',
    );
  }
  const privateKey = (await importJWK({ ...jwk, ext: false }, alg)) as CryptoKey;

  return Object.freeze({ name, kid: imported.kid, alg, privateKey, publicJwk: imported.jwk });
}

/**
 * The public JWKS to hand to peers: one entry per key, several during a key rotation.
 *
 * @example
 * writeFileSync('job-runner.jwks.json', JSON.stringify(publicJwks(oldIdentity, newIdentity)));
 */
export function publicJwks(...identities: Array<ServiceIdentity | PublicJwk>): PublicJwks {
  const keys = identities.map((entry) => ('publicJwk' in entry ? entry.publicJwk : entry));
  return { keys: keys.map((key) => ({ ...key })) };
}
