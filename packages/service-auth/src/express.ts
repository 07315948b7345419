import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type BodyBytes, certificateThumbprint } from './digest.js';
import { optionError, ServiceAuthError } from './errors.js';
import { signAnswerOnEnd } from './express-response-signer.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import type { IncomingCall } from './request-checks.js';
import type { AuthenticatedPeer, ServiceVerifier } from './verifier.js';

declare global {
  namespace Express {
    interface Request {
      /** The authenticated caller, set by `serviceAuth`. */
      servicePeer?: AuthenticatedPeer;
      /** The raw body bytes, set by `captureRawBody`. */
      rawBody?: Buffer;
    }
  }
}

/**
 * Options of {@link serviceAuth}.
 *
 * @example
 * app.use(serviceAuth(verifier, { realm: 'job-runner', signResponses: true }));
 */
export interface ServiceAuthOptions {
  /** Sign each answer to an authenticated call; defaults to true. */
  signResponses?: boolean;
  /**
   * The `x5t#S256` of the client certificate; defaults to reading the TLS socket. Give a
   * function when TLS ends at a proxy you trust to forward it.
   */
  certificateThumbprint?: (req: Request) => string | undefined;
  /** `realm` of the `WWW-Authenticate` challenge; defaults to `galaxy-service`. */
  realm?: string;
}

const AUTH_OPTIONS = optionNames<ServiceAuthOptions>({
  signResponses: true,
  certificateThumbprint: true,
  realm: true,
});
const EMPTY = Buffer.alloc(0);
const REALM = /^[\x20-\x7e]{1,64}$/;

/**
 * The `verify` hook for Express body parsers: keeps the raw bytes the token's `hbd` digest
 * covers, since the parsed body cannot be turned back into them.
 *
 * @example
 * app.use(express.json({ verify: captureRawBody }), serviceAuth(verifier));
 */
export function captureRawBody(req: Request, _res: Response, buf: Buffer): void {
  req.rawBody = buf;
}

function declaresBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

// Body parsers inflate a `Content-Encoding` body before `verify`, so the captured bytes are
// not the ones on the wire: such a body is refused, never checked against the inflated bytes.
function encodedBody(req: Request): boolean {
  const encoding = req.headers['content-encoding'];
  return (
    encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && declaresBody(req)
  );
}

// A body that was sent but not captured yields null: the call is refused, never checked
// against an empty digest.
function rawBodyOf(req: Request): BodyBytes | null {
  if (encodedBody(req)) return null;
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (Buffer.isBuffer(req.body)) return req.body;

  return declaresBody(req) ? null : EMPTY;
}

function tlsThumbprint(req: Request): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function')
    return undefined;
  const raw = socket.getPeerCertificate().raw as Buffer | undefined;

  return raw === undefined ? undefined : certificateThumbprint(raw);
}

function checkVerifier(verifier: unknown): void {
  if (typeof (verifier as Partial<ServiceVerifier> | undefined)?.verify === 'function') return;

  const fix = 'use createServiceVerifier';
  throw optionError('verifier', typeof verifier, 'must be a ServiceVerifier', fix);
}

function checkRealm(realm: unknown): string {
  if (typeof realm === 'string' && REALM.test(realm) && !/["\\]/.test(realm)) return realm;

  const rule = 'must be 1-64 printable characters without " or \\';
  throw optionError('realm', realm, rule, 'use e.g. "galaxy-service" (the default)');
}

function checkOptions(options: ServiceAuthOptions) {
  if (typeof options !== 'object' || options === null) {
    throw optionError('options', options, 'must be an object', 'pass { realm } or leave it out');
  }
  assertKnownKeys('', options, AUTH_OPTIONS);
  const realm = checkRealm(options.realm ?? 'galaxy-service');
  const thumbprint = options.certificateThumbprint ?? tlsThumbprint;
  if (typeof thumbprint !== 'function') {
    throw optionError('certificateThumbprint', typeof thumbprint, 'must be a function', 'pass one');
  }
  const sign = options.signResponses ?? true;
  if (typeof sign !== 'boolean') {
    throw optionError('signResponses', sign, 'must be a boolean', 'pass true or false');
  }

  return { realm, thumbprint, sign };
}

function incomingCall(
  req: Request,
  thumbprint: (req: Request) => string | undefined,
): IncomingCall {
  return {
    authorization: req.headers.authorization,
    method: req.method,
    // originalUrl is the request target as received, query included, before any mounting.
    path: req.originalUrl,
    body: rawBodyOf(req),
    certificateThumbprint: thumbprint(req),
  };
}

/**
 * Express 5 middleware: only signed calls from known peers pass. Mount it after a body
 * parser that keeps the raw bytes (`express.raw({ type: '*\/*' })`, or `express.json` with
 * `verify: captureRawBody`). The caller lands on `req.servicePeer`; every refusal is the same
 * 401 with `WWW-Authenticate`, the detail going to the verifier's `onEvent`.
 *
 * @example
 * const verifier = await createServiceVerifier({ identity, peers, store });
 * app.post('/jobs', express.json({ verify: captureRawBody }), serviceAuth(verifier), runJob);
 */
export function serviceAuth(
  verifier: ServiceVerifier,
  options: ServiceAuthOptions = {},
): RequestHandler {
  checkVerifier(verifier);
  const { realm, thumbprint, sign } = checkOptions(options);
  const challenge = `Bearer realm="${realm}", error="invalid_token"`;

  return async function serviceAuthMiddleware(req: Request, res: Response, next: NextFunction) {
    let peer: AuthenticatedPeer;
    try {
      peer = await verifier.verify(incomingCall(req, thumbprint));
    } catch (error) {
      if (!(error instanceof ServiceAuthError)) return next(error);
      res.status(401).set({ 'www-authenticate': challenge, 'cache-control': 'no-store' });
      res.json({ error: 'unauthorized' });
      return;
    }

    req.servicePeer = peer;
    if (sign) signAnswerOnEnd(res, verifier, peer);
    next();
  };
}

export { RESPONSE_HEADER } from './claims.js';
export type { AuthenticatedPeer, ServiceVerifier } from './verifier.js';
