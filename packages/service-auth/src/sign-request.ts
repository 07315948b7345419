import { MAX_LIFETIME_SECONDS, REQUEST_TYP, type RequestClaims } from './claims.js';
import { type BodyBytes, bodyDigest } from './digest.js';
import { assertNumberInRange, optionError } from './errors.js';
import type { ServiceIdentity } from './identity.js';
import { checkName } from './names.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { issuedAt, newJti, signClaims } from './token-signing.js';

/**
 * What one outgoing call is: the token is bound to all of it.
 *
 * @example
 * await signRequest(identity, { audience: 'job-runner', method: 'GET', path: '/datasets' });
 */
export interface SignRequestOptions {
  /** The callee's name: the token's only `aud`. */
  audience: string;
  /** HTTP method exactly as it will be sent (`fetch` upper-cases only the standard ones). */
  method: string;
  /** Path with its query, exactly as it will be sent (`/jobs?dry=1`). */
  path: string;
  /** The raw body that will be sent; defaults to empty. */
  body?: BodyBytes;
  /** Token lifetime; defaults to 30, at most 60. */
  lifetimeSeconds?: number;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /**
   * `x5t#S256` of the TLS client certificate the call will use, to bind the token to it.
   * Defaults to none (the token is not bound to a certificate).
   */
  certificateThumbprint?: string;
}

/**
 * A signed request: put `authorization` in the `Authorization` header.
 *
 * @example
 * const { authorization, jti } = await signRequest(identity, options);
 */
export interface SignedRequest {
  authorization: string;
  token: string;
  jti: string;
  /** `exp`, in seconds since the epoch. */
  expiresAt: number;
}

const SIGN_OPTIONS = optionNames<SignRequestOptions>({
  audience: true,
  method: true,
  path: true,
  body: true,
  lifetimeSeconds: true,
  now: true,
  certificateThumbprint: true,
});
// RFC 9110 section 5.6.2 token characters.
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
// origin-form request target: no spaces or controls, which Node would refuse to send anyway.
const PATH = /^\/[\x21-\x7e]*$/;
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

// The query stays out of the message: legacy callers put credentials there (Pulsar's token).
function shownPath(path: unknown): unknown {
  if (typeof path !== 'string' || !path.includes('?')) return path;

  return `${path.slice(0, path.indexOf('?'))}?<query not shown>`;
}

function checkRequest(options: SignRequestOptions): number {
  assertKnownKeys('', options, SIGN_OPTIONS);
  checkName('audience', options.audience);
  if (!METHOD.test(options.method)) {
    throw optionError('method', options.method, 'must be an HTTP method token', 'pass e.g. "POST"');
  }
  if (!PATH.test(options.path)) {
    const fix = 'pass e.g. "/jobs?x=1"';
    throw optionError('path', shownPath(options.path), 'must be an origin-form path', fix);
  }
  const thumbprint = options.certificateThumbprint;
  if (thumbprint !== undefined && !THUMBPRINT.test(thumbprint)) {
    const fix = 'pass certificateThumbprint(cert.raw)';
    throw optionError('certificateThumbprint', thumbprint, 'must be a SHA-256 base64url', fix);
  }
  const lifetime = options.lifetimeSeconds ?? 30;
  assertNumberInRange('lifetimeSeconds', lifetime, 1, MAX_LIFETIME_SECONDS);

  return Math.floor(lifetime);
}

/**
 * Mints the short-lived token for one call, bound to its audience, method, path with query
 * and body digest.
 *
 * @example
 * const body = JSON.stringify({ tool: 'sed' });
 * const signed = await signRequest(identity, {
 *   audience: 'job-runner', method: 'POST', path: '/jobs', body,
 * });
 * await fetch(url, { method: 'POST', body, headers: { authorization: signed.authorization } });
 */
export async function signRequest(
  identity: ServiceIdentity,
  options: SignRequestOptions,
): Promise<SignedRequest> {
  const lifetime = checkRequest(options);
  const iat = issuedAt(options.now ?? Date.now);
  const jti = newJti();
  // The binding claims first, then the registered ones: the order the README documents.
  const claims: Partial<RequestClaims> = {
    htm: options.method,
    htp: options.path,
    hbd: bodyDigest(options.body),
  };
  if (options.certificateThumbprint !== undefined) {
    claims.cnf = { 'x5t#S256': options.certificateThumbprint };
  }
  claims.iss = identity.name;
  claims.sub = identity.name;
  claims.aud = options.audience;
  claims.iat = iat;
  claims.exp = iat + lifetime;
  claims.jti = jti;

  const token = await signClaims(identity, REQUEST_TYP, claims);
  return { authorization: `Bearer ${token}`, token, jti, expiresAt: iat + lifetime };
}
