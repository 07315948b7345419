import { checkAlgorithms, type ServiceAlgorithm } from './algorithms.js';
import { optionError } from './errors.js';
import type { ServiceAuthEventHandler } from './events.js';
import type { PublicJwks } from './jwk.js';
import { type KeySource, StaticKeySource } from './key-source.js';
import { checkName } from './names.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { type RemoteJwksOptions, RemoteKeySource } from './remote-key-source.js';
import { compileRoutes, type RouteRules } from './route-rules.js';

/**
 * One component allowed to call (or to answer): its name, keys and algorithms.
 *
 * @example
 * const peer: PeerOptions = {
 *   name: 'gateway', algorithms: ['ES256'], jwks, routes: ['POST /jobs'],
 * };
 */
export interface PeerOptions {
  /** The peer's name: its tokens carry it as `iss` and `sub`. */
  name: string;
  /** Algorithms accepted from this peer; required, e.g. `['ES256']`. */
  algorithms: ServiceAlgorithm[];
  /** The peer's public JWKS (from its `.jwks.json`). Defaults to none: give it or `jwksUrl`. */
  jwks?: PublicJwks;
  /** Where the peer publishes its JWKS. Defaults to none: give it or `jwks`. */
  jwksUrl?: string;
  /** Fetch bounds and stale-keys policy for `jwksUrl`. Defaults to `{}` (each bound's default). */
  jwksUrlOptions?: RemoteJwksOptions;
  /**
   * What the peer may call, as `METHOD /path` rules (`*` one segment, final `/**` the rest).
   * Defaults to none, which the verifier refuses; the fetch wrapper ignores it.
   */
  routes?: string[];
  /** Refuse this peer's tokens without a `cnf` `x5t#S256` claim; defaults to false. */
  requireCertificateBinding?: boolean;
}

const PEER_OPTIONS = optionNames<PeerOptions>({
  name: true,
  algorithms: true,
  jwks: true,
  jwksUrl: true,
  jwksUrlOptions: true,
  routes: true,
  requireCertificateBinding: true,
});

/** A checked peer, keys ready. */
export interface Peer {
  readonly name: string;
  readonly algorithms: readonly ServiceAlgorithm[];
  readonly keys: KeySource;
  readonly routes: RouteRules | undefined;
  readonly requireCertificateBinding: boolean;
}

/** What building a peer needs besides its options. */
export interface PeerContext {
  now: () => number;
  onEvent: ServiceAuthEventHandler | undefined;
  routesRequired: boolean;
}

async function keySource(option: string, peer: PeerOptions, context: PeerContext) {
  const hasJwks = peer.jwks !== undefined;
  const hasUrl = peer.jwksUrl !== undefined;
  if (hasJwks === hasUrl) {
    const fix = 'pass the JWKS object from the peer key file, or the URL that serves it';
    throw optionError(
      `${option}.jwks`,
      hasJwks ? 'both' : 'neither',
      'xor jwksUrl is required',
      fix,
    );
  }
  // Bounds for a fetch that never happens: a caller who set `maxStaleMs: 0` believes in it.
  if (hasJwks && peer.jwksUrlOptions !== undefined) {
    const fix = 'remove it, or give jwksUrl instead of jwks';
    throw optionError(`${option}.jwksUrlOptions`, 'an object', 'applies only with jwksUrl', fix);
  }
  if (hasJwks) return StaticKeySource.create(peer.name, peer.jwks, `${option}.jwks`);

  const url = `${option}.jwksUrl`;
  const options = peer.jwksUrlOptions ?? {};
  return new RemoteKeySource(peer.name, url, peer.jwksUrl, options, context.now, context.onEvent);
}

/** Checks one peer's options and imports its static keys. */
export async function createPeer(option: string, peer: PeerOptions, context: PeerContext) {
  if (typeof peer !== 'object' || peer === null) {
    throw optionError(option, peer, 'must be an object', 'pass { name, algorithms, jwks, routes }');
  }
  assertKnownKeys(option, peer, PEER_OPTIONS);
  const name = checkName(`${option}.name`, peer.name);
  const algorithms = checkAlgorithms(`${option}.algorithms`, peer.algorithms);
  const routes =
    peer.routes === undefined && !context.routesRequired
      ? undefined
      : compileRoutes(`${option}.routes`, peer.routes);
  const binding = peer.requireCertificateBinding ?? false;
  if (typeof binding !== 'boolean') {
    throw optionError(
      `${option}.requireCertificateBinding`,
      binding,
      'must be a boolean',
      'pass true or false',
    );
  }

  const keys = await keySource(option, peer, context);
  const built: Peer = { name, algorithms, keys, routes, requireCertificateBinding: binding };
  return Object.freeze(built);
}
