import type { RequestClaims } from './claims.js';
import { type BodyBytes, bodyDigest, digestsEqual } from './digest.js';
import { ServiceAuthError, type ServiceAuthErrorCode } from './errors.js';
import type { Peer } from './peers.js';

/**
 * What arrived: the call the token must be bound to.
 *
 * @example
 * await verifier.verify({ authorization, method: 'POST', path: '/jobs?x=1', body: rawBytes });
 */
export interface IncomingCall {
  /** The `Authorization` header as received. */
  authorization: string | undefined;
  /** The method as received (Node gives it upper-case as sent). */
  method: string;
  /** Path with its query, exactly as received (`req.originalUrl` in Express). */
  path: string;
  /** The raw body bytes; `null` when a body was sent but not captured (refused). */
  body: BodyBytes | null;
  /** `x5t#S256` of the TLS client certificate, when the connection used mutual TLS. */
  certificateThumbprint?: string | undefined;
}

function refuse(code: ServiceAuthErrorCode, reason: string): never {
  throw new ServiceAuthError(code, `token refused: ${reason}`);
}

/**
 * The DPoP-style binding (RFC 9449 `htm`/`htu`, here with the query and a body digest): a
 * token captured on its way to `POST /jobs` cannot carry another body, path or method.
 */
export function checkBinding(claims: RequestClaims, call: IncomingCall): void {
  if (claims.htm !== call.method) refuse('ERR_SERVICE_AUTH_BINDING', 'method differs from "htm"');
  if (claims.htp !== call.path) refuse('ERR_SERVICE_AUTH_BINDING', 'path differs from "htp"');
  if (call.body === null) refuse('ERR_SERVICE_AUTH_BODY', 'the raw body was not captured');
  // Plain comparison: both sides derive from what the caller sent, nothing secret to time.
  if (claims.hbd !== bodyDigest(call.body))
    refuse('ERR_SERVICE_AUTH_BINDING', 'body differs from "hbd"');
}

/** RFC 8705 section 3: a `cnf` token is good only over a TLS session with that certificate. */
export function checkCertificate(claims: RequestClaims, call: IncomingCall, peer: Peer): void {
  const cnf = claims.cnf as unknown;
  if (cnf === undefined) {
    if (peer.requireCertificateBinding) refuse('ERR_SERVICE_AUTH_CERTIFICATE', 'no "cnf" claim');
    return;
  }

  const wanted = (cnf as Record<string, unknown> | null)?.['x5t#S256'];
  const presented = call.certificateThumbprint;
  if (presented === undefined || !digestsEqual(wanted, presented)) {
    refuse('ERR_SERVICE_AUTH_CERTIFICATE', 'client certificate differs from "cnf"');
  }
}

/** Which peer may call which routes: authenticated is not authorised. */
export function checkRoute(peer: Peer, call: IncomingCall): void {
  if (peer.routes === undefined || peer.routes.allows(call.method, call.path)) return;

  refuse('ERR_SERVICE_AUTH_ROUTE', `${peer.name} may not call this route`);
}
