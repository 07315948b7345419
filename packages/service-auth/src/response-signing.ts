import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { JTI, MAX_LIFETIME_SECONDS, RESPONSE_TYP, type ResponseClaims } from './claims.js';
import { type BodyBytes, bodyDigest, digestsEqual } from './digest.js';
import { ServiceAuthError } from './errors.js';
import type { ServiceIdentity } from './identity.js';
import { fromJoseError } from './jose-errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import type { Peer } from './peers.js';
import { parseHeader } from './token-shape.js';

/**
 * The answer being signed: to whom, for which request, with what status and body.
 *
 * @example
 * await signResponse(identity, { audience: 'gateway', requestJti, status: 200, body });
 */
export interface ResponseToSign {
  /** The caller's name (the request's `iss`). */
  audience: string;
  /** The request's `jti`. */
  requestJti: string;
  status: number;
  body: BodyBytes | undefined;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

const ANSWER_OPTIONS = optionNames<ResponseToSign>({
  audience: true,
  requestJti: true,
  status: true,
  body: true,
  now: true,
});

/**
 * Signs an answer so the caller can tell it came from this component and belongs to its
 * request: the token binds the request's `jti`, the status and a digest of the body.
 *
 * @example
 * res.setHeader(RESPONSE_HEADER, await signResponse(identity, {
 *   audience: 'galaxy', requestJti: peer.jti, status: 200, body,
 * }));
 */
export async function signResponse(identity: ServiceIdentity, answer: ResponseToSign) {
  assertKnownKeys('', answer, ANSWER_OPTIONS);
  const iat = Math.floor((answer.now ?? Date.now)() / 1000);
  const claims: Pick<ResponseClaims, 'rti' | 'hst' | 'hbd'> = {
    rti: answer.requestJti,
    hst: answer.status,
    hbd: bodyDigest(answer.body),
  };

  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: identity.alg, kid: identity.kid, typ: RESPONSE_TYP })
    .setIssuer(identity.name)
    .setSubject(identity.name)
    .setAudience(answer.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + MAX_LIFETIME_SECONDS)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(identity.privateKey);
}

/** What the caller expects of an answer. */
export interface ExpectedResponse {
  /** The caller's own name: the answer's `aud`. */
  self: string;
  requestJti: string;
  status: number;
  body: Uint8Array;
  nowMs: number;
  clockToleranceSeconds: number;
}

function refuse(reason: string, status: number): never {
  throw new ServiceAuthError('ERR_SERVICE_AUTH_RESPONSE', `answer refused: ${reason}`, { status });
}

async function verifyToken(token: string, peer: Peer, expected: ExpectedResponse) {
  const [header = ''] = token.split('.', 1);
  const { alg, kid } = parseHeader(header, RESPONSE_TYP);
  if (!peer.algorithms.includes(alg))
    refuse('algorithm not allowed for this peer', expected.status);
  const key = await peer.keys.resolve(kid);

  const { payload } = await jwtVerify<ResponseClaims>(token, key.key, {
    algorithms: [...peer.algorithms],
    issuer: peer.name,
    subject: peer.name,
    audience: expected.self,
    typ: RESPONSE_TYP,
    requiredClaims: ['iat', 'exp', 'jti', 'rti', 'hst', 'hbd'],
    maxTokenAge: MAX_LIFETIME_SECONDS,
    clockTolerance: expected.clockToleranceSeconds,
    currentDate: new Date(expected.nowMs),
  });
  return payload;
}

/**
 * Checks the callee's signed answer: from `peer`, for this caller, for this request, with
 * this status and body. Anything else throws `ERR_SERVICE_AUTH_RESPONSE` (the answer may
 * come from a process that took the callee's address but does not hold its key).
 */
export async function verifyResponse(
  token: string | null,
  peer: Peer,
  expected: ExpectedResponse,
): Promise<ResponseClaims> {
  const { status } = expected;
  if (token === null || token.length === 0 || token.length > 4096) refuse('not signed', status);

  let claims: ResponseClaims;
  try {
    claims = await verifyToken(token, peer, expected);
  } catch (error) {
    const cause = fromJoseError(error, 'answer');
    throw new ServiceAuthError('ERR_SERVICE_AUTH_RESPONSE', cause.message, { cause, status });
  }
  if (typeof claims.aud !== 'string' || !JTI.test(String(claims.jti))) refuse('bad claims', status);
  if (claims.rti !== expected.requestJti) refuse('answers another request', status);
  if (claims.hst !== status) refuse('status differs from "hst"', status);
  if (!digestsEqual(claims.hbd, bodyDigest(expected.body))) refuse('body differs', status);

  return claims;
}
