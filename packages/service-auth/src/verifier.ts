import { MemoryStore, type Store } from '@galaxy-harden/store';
import { type CryptoKey, compactVerify, type JWSHeaderParameters } from 'jose';
import { SERVICE_ALGORITHMS } from './algorithms.js';
import { REQUEST_TYP, type RequestClaims } from './claims.js';
import type { BodyBytes } from './digest.js';
import { optionError, ServiceAuthError } from './errors.js';
import { emit, type ServiceAuthEventHandler } from './events.js';
import type { ServiceIdentity } from './identity.js';
import { fromJoseError } from './jose-errors.js';
import type { ImportedKey } from './jwk.js';
import { StaticKeySource } from './key-source.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { createPeer, type Peer, type PeerOptions } from './peers.js';
import { ReplayGuard } from './replay-guard.js';
import { checkBinding, checkCertificate, checkRoute, type IncomingCall } from './request-checks.js';
import { type ClaimRules, verifiedRequestClaims } from './request-claims.js';
import { signAnswer } from './response-signing.js';
import {
  checkHeader,
  extractToken,
  type TokenHeader,
  type TokenParts,
  unverifiedIssuer,
} from './token-shape.js';
import { issuedAt } from './token-signing.js';
import { checkVerifierSettings, type VerifierSettings } from './verifier-settings.js';

/**
 * Options of {@link createServiceVerifier}.
 *
 * @example
 * await createServiceVerifier({ identity, peers, store, clockToleranceSeconds: 2 });
 */
export interface ServiceVerifierOptions {
  /** This component: tokens must name it as their only `aud`; it signs the answers. */
  identity: ServiceIdentity;
  /** Who may call, with their keys, algorithms and routes. */
  peers: PeerOptions[];
  /** Where used `jti` values are kept; defaults to a new `MemoryStore` (one process only). */
  store?: Store;
  /** Oldest `iat` accepted and longest `exp - iat`; defaults to 60, at most 60. */
  maxTokenAgeSeconds?: number;
  /** Clock skew allowed on `exp`, `iat`, `nbf`; defaults to 5, at most 30. */
  clockToleranceSeconds?: number;
  /** Largest `Authorization` header read at all; defaults to 8 192. */
  maxAuthorizationBytes?: number;
  /** Prefix of replay keys in the store; defaults to `service-auth:jti:`. */
  replayKeyPrefix?: string;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Receives `service.*` events (audit log); defaults to none. */
  onEvent?: ServiceAuthEventHandler;
}

/**
 * A verified caller.
 *
 * @example
 * app.post('/jobs', (req, res) => res.json({ caller: req.servicePeer?.name }));
 */
export interface AuthenticatedPeer {
  name: string;
  kid: string;
  alg: TokenHeader['alg'];
  jti: string;
  /** `exp`, in seconds since the epoch. */
  expiresAt: number;
  claims: RequestClaims;
}

const VERIFIER_OPTIONS = optionNames<ServiceVerifierOptions>({
  identity: true,
  peers: true,
  store: true,
  maxTokenAgeSeconds: true,
  clockToleranceSeconds: true,
  maxAuthorizationBytes: true,
  replayKeyPrefix: true,
  now: true,
  onEvent: true,
});

// Every algorithm any peer may use; the peer's own list is checked once its key is known.
const JOSE_OPTIONS = { algorithms: [...SERVICE_ALGORITHMS] };

interface FoundKey {
  peer: Peer;
  key: ImportedKey;
}

interface Attempt {
  peer?: string;
  kid?: string;
  found?: FoundKey;
}

async function buildPeers(options: ServiceVerifierOptions, now: () => number) {
  if (!Array.isArray(options.peers) || options.peers.length === 0) {
    throw optionError('peers', options.peers, 'must be a non-empty array', 'list who may call');
  }
  const context = { now, onEvent: options.onEvent, routesRequired: true };
  const built = await Promise.all(
    options.peers.map((peer, index) => createPeer(`peers[${index}]`, peer, context)),
  );
  const peers = new Map<string, Peer>();
  for (const peer of built) {
    if (peers.has(peer.name)) {
      throw optionError('peers', peer.name, 'lists a name twice', 'merge the entries');
    }
    peers.set(peer.name, peer);
  }

  return peers;
}

/** Every static key by `kid`; one key belongs to one peer, or identities mean nothing. */
function indexStaticKeys(peers: Map<string, Peer>) {
  const index = new Map<string, { peer: Peer; key: ImportedKey }>();
  for (const peer of peers.values()) {
    if (!(peer.keys instanceof StaticKeySource)) continue;
    for (const key of peer.keys.keys.values()) {
      const owner = index.get(key.kid)?.peer.name;
      if (owner !== undefined) {
        throw optionError(
          'peers',
          key.kid,
          `key of ${peer.name} is also ${owner}'s`,
          'one key per peer',
        );
      }
      index.set(key.kid, { peer, key });
    }
  }

  return index;
}

/**
 * Verifies signed calls: checks the options once, imports the peers' keys, and returns a
 * verifier whose `verify` answers with the caller or throws a {@link ServiceAuthError}.
 *
 * @example
 * const verifier = await createServiceVerifier({
 *   identity: await createServiceIdentity('job-runner', runnerPrivateJwk),
 *   peers: [{ name: 'gateway', algorithms: ['ES256'], jwks: gatewayJwks, routes: ['POST /jobs'] }],
 *   store: redisStore,
 * });
 */
export async function createServiceVerifier(
  options: ServiceVerifierOptions,
): Promise<ServiceVerifier> {
  if (typeof options !== 'object' || options === null) {
    throw optionError('options', options, 'must be an object', 'pass { identity, peers }');
  }
  assertKnownKeys('', options, VERIFIER_OPTIONS);
  if (typeof options.identity?.name !== 'string' || options.identity.privateKey === undefined) {
    throw optionError(
      'identity',
      '<not shown>',
      'must be a ServiceIdentity',
      'use createServiceIdentity',
    );
  }
  const settings = checkVerifierSettings(options);
  const now = options.now ?? Date.now;
  const peers = await buildPeers(options, now);

  return new ServiceVerifier(options, settings, peers, now);
}

/**
 * Made by {@link createServiceVerifier}.
 *
 * @example
 * const verifier: ServiceVerifier = await createServiceVerifier(options);
 */
export class ServiceVerifier {
  /** This component. */
  readonly identity: ServiceIdentity;
  /** The `onEvent` handler given at construction. */
  readonly onEvent: ServiceAuthEventHandler | undefined;
  private readonly settings: VerifierSettings;
  private readonly peers: Map<string, Peer>;
  private readonly staticKeys: Map<string, { peer: Peer; key: ImportedKey }>;
  private readonly claimRules: Map<string, ClaimRules>;
  private readonly replay: ReplayGuard;
  private readonly ownedStore: Store | undefined;
  private readonly now: () => number;

  /** @internal Use {@link createServiceVerifier}. */
  constructor(
    options: ServiceVerifierOptions,
    settings: VerifierSettings,
    peers: Map<string, Peer>,
    now: () => number,
  ) {
    this.identity = options.identity;
    this.onEvent = options.onEvent;
    this.settings = settings;
    this.peers = peers;
    this.staticKeys = indexStaticKeys(peers);
    this.claimRules = new Map([...peers.values()].map((peer) => [peer.name, this.rulesFor(peer)]));
    this.now = now;
    this.ownedStore = options.store === undefined ? new MemoryStore({ now }) : undefined;
    const store = options.store ?? (this.ownedStore as Store);
    this.replay = new ReplayGuard(store, settings.prefix, settings.tolerance, now);
  }

  /**
   * Authenticates one call. Every failure throws a {@link ServiceAuthError} and reports a
   * `service.rejected` event; success reports `service.authenticated`.
   *
   * @example
   * const peer = await verifier.verify({ authorization, method: 'POST', path: '/jobs', body });
   */
  async verify(call: IncomingCall): Promise<AuthenticatedPeer> {
    const attempt: Attempt = {};
    // One async frame for the whole check: a nested async helper cost a promise and a
    // microtask per call on the hot path.
    try {
      const parts = extractToken(call.authorization, this.settings.maxBytes);
      // jose parses the header once and hands it to keyFor, which applies this package's
      // header rules before any key is chosen; jose then checks the signature (and crit, b64).
      const getKey = (header: JWSHeaderParameters) => this.keyFor(header, parts, attempt);
      const { payload } = await compactVerify(parts.token, getKey, JOSE_OPTIONS);
      const peer = this.checkCall(payload, call, attempt.found!);
      await this.replay.claim(peer.name, peer.jti, peer.expiresAt);
      if (this.onEvent !== undefined) this.reportSuccess(call, peer);

      return peer;
    } catch (error) {
      const failure = error instanceof ServiceAuthError ? error : fromJoseError(error, 'token');
      if (this.onEvent !== undefined) this.reportFailure(call, attempt, failure);
      throw failure;
    }
  }

  /**
   * Signs the answer to an authenticated call (the Express adapter does this for you).
   *
   * @example
   * res.setHeader(RESPONSE_HEADER, await verifier.signResponse(peer, 200, body));
   */
  async signResponse(peer: AuthenticatedPeer, status: number, body: BodyBytes | undefined) {
    const iat = issuedAt(this.now);
    return signAnswer(this.identity, {
      audience: peer.name,
      requestJti: peer.jti,
      status,
      body,
      iat,
    });
  }

  /** The claim rules for `peer`, built once. */
  private rulesFor(peer: Peer): ClaimRules {
    return {
      issuer: peer.name,
      audience: this.identity.name,
      maxAgeSeconds: this.settings.maxAge,
      toleranceSeconds: this.settings.tolerance,
    };
  }

  /** Releases the default memory store, if this verifier made one. */
  async close(): Promise<void> {
    await this.ownedStore?.close();
  }

  /** Everything after the signature that needs no I/O: claims, binding, certificate, route. */
  private checkCall(payload: Uint8Array, call: IncomingCall, found: FoundKey): AuthenticatedPeer {
    const { peer, key } = found;
    const claims = verifiedRequestClaims(payload, this.now(), this.claimRules.get(peer.name)!);
    checkBinding(claims, call);
    checkCertificate(claims, call, peer);
    checkRoute(peer, call);

    const { kid, alg } = key;
    return { name: peer.name, kid, alg, jti: claims.jti, expiresAt: claims.exp, claims };
  }

  private keyFor(raw: JWSHeaderParameters, parts: TokenParts, attempt: Attempt) {
    const header = checkHeader(raw, REQUEST_TYP);
    attempt.kid = header.kid;
    const known = this.staticKeys.get(header.kid);
    if (known !== undefined) return this.accept(known, header, attempt);

    return this.remoteKey(header, parts).then((found) => this.accept(found, header, attempt));
  }

  private accept(found: FoundKey, header: TokenHeader, attempt: Attempt): CryptoKey {
    attempt.peer = found.peer.name;
    attempt.found = found;
    if (found.key.alg !== header.alg || !found.peer.algorithms.includes(header.alg)) {
      throw new ServiceAuthError(
        'ERR_SERVICE_AUTH_HEADER',
        'token refused: alg not allowed for peer',
      );
    }

    return found.key.key;
  }

  /** A key of a JWKS URL peer, chosen by the token's unverified `iss`. */
  private async remoteKey(header: TokenHeader, parts: TokenParts): Promise<FoundKey> {
    const peer = this.peerByIssuer(parts.payload);
    return { peer, key: await peer.keys.resolve(header.kid) };
  }

  private peerByIssuer(payload: string): Peer {
    const iss = unverifiedIssuer(payload);
    const peer = iss === undefined ? undefined : this.peers.get(iss);
    if (peer === undefined) {
      throw new ServiceAuthError('ERR_SERVICE_AUTH_UNKNOWN_PEER', 'token refused: unknown issuer');
    }

    return peer;
  }

  private reportSuccess(call: IncomingCall, peer: AuthenticatedPeer) {
    emit(this.onEvent, {
      type: 'service.authenticated',
      peer: peer.name,
      kid: peer.kid,
      jti: peer.jti,
      method: call.method,
      path: pathOnly(call.path),
    });
  }

  private reportFailure(call: IncomingCall, attempt: Attempt, failure: ServiceAuthError) {
    emit(this.onEvent, {
      type: 'service.rejected',
      code: failure.code,
      reason: failure.message,
      method: call.method,
      path: pathOnly(call.path),
      ...(attempt.peer === undefined ? {} : { peer: attempt.peer }),
      ...(attempt.kid === undefined ? {} : { kid: attempt.kid }),
    });
  }
}

// Queries stay out of events: legacy callers put credentials there (Pulsar's URL token).
function pathOnly(path: string): string {
  return typeof path === 'string' ? (path.split('?', 1)[0] as string) : '';
}
