import { ServiceAuthError } from './errors.js';
import { type ImportedKey, importPublicJwks } from './jwk.js';

/** Where a peer's public keys come from: a fixed JWKS or a JWKS URL. */
export interface KeySource {
  /** The key for `kid`, fetching (within the source's bounds) when it is not known yet. */
  resolve(kid: string): Promise<ImportedKey>;
}

/** Raised when a peer has no key with the token's `kid`. */
export function unknownKey(peer: string): ServiceAuthError {
  return new ServiceAuthError(
    'ERR_SERVICE_AUTH_UNKNOWN_KEY',
    `token refused: ${peer} has no such kid`,
  );
}

/** A JWKS given at start-up, imported once; rotation means a new verifier or a JWKS URL. */
export class StaticKeySource implements KeySource {
  readonly keys: ReadonlyMap<string, ImportedKey>;
  private readonly peer: string;

  private constructor(peer: string, keys: ImportedKey[]) {
    this.peer = peer;
    this.keys = new Map(keys.map((key) => [key.kid, key]));
  }

  /** Imports every key of `jwks`; a bad key stops start-up with `ERR_SERVICE_AUTH_KEY`. */
  static async create(peer: string, jwks: unknown, where: string): Promise<StaticKeySource> {
    return new StaticKeySource(peer, await importPublicJwks(jwks, where));
  }

  async resolve(kid: string): Promise<ImportedKey> {
    const key = this.keys.get(kid);
    if (key === undefined) throw unknownKey(this.peer);

    return key;
  }
}
