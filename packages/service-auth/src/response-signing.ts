import { jwtVerify } from 'jose';
import { JTI, MAX_LIFETIME_SECONDS, RESPONSE_TYP, type ResponseClaims } from './claims.js';
import { type BodyBytes, bodyDigest, digestsEqual } from './digest.js';
import { ServiceAuthError } from './errors.js';
import type { ServiceIdentity } from './identity.js';
import { fromJoseError } from './jose-errors.js';
import { checkName } from './names.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import type { Peer } from './peers.js';
import { parseHeader } from './token-shape.js';
import { issuedAt, newJti, signClaims } from './token-signing.js';

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

/** An answer the verifier signs: its fields are already known good. */
export interface Answer {
  audience: string;
  requestJti: string;
  status: number;
  body: BodyBytes | undefined;
  /** Seconds since the epoch. */
  iat: number;
}

/** Signs an answer whose fields this package made itself (the Express adapter's path). */
export function signAnswer(identity: ServiceIdentity, answer: Answer): Promise<string> {
  const { iat } = answer;
  // Answer claims first, then the registered ones: the order the README documents.
  const claims: ResponseClaims = {
    rti: answer.requestJti,
    hst: answer.status,
    hbd: bodyDigest(answer.body),
    iss: identity.name,
    sub: identity.name,
    aud: answer.audience,
    iat,
    exp: iat + MAX_LIFETIME_SECONDS,
    jti: newJti(),
  };

  return signClaims(identity, RESPONSE_TYP, claims);
}

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
  checkName('audience', answer.audience);
  const iat = issuedAt(answer.now ?? Date.now);

  return signAnswer(identity, { ...answer, iat });
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
