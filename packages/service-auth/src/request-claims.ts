import { JTI, type RequestClaims } from './claims.js';
import { ServiceAuthError, type ServiceAuthErrorCode } from './errors.js';

/** What a request token's claims must say, for one peer. */
export interface ClaimRules {
  /** The peer: `iss` and `sub` must equal it exactly. */
  issuer: string;
  /** This component: `aud` must be this one string (an array is refused). */
  audience: string;
  /** Oldest `iat` accepted and longest `exp - iat`, in seconds. */
  maxAgeSeconds: number;
  toleranceSeconds: number;
}

// fatal: invalid UTF-8 is an error, not silently replaced (two decoders must agree on claims).
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function refuse(code: ServiceAuthErrorCode, reason: string): never {
  throw new ServiceAuthError(code, `token refused: ${reason}`);
}

function parseObject(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(payload));
  } catch {
    refuse('ERR_SERVICE_AUTH_MALFORMED', 'payload is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse('ERR_SERVICE_AUTH_MALFORMED', 'payload is not a JSON object');
  }

  return value as Record<string, unknown>;
}

// The binding claims: checked as strings here, against the call in request-checks.ts.
const BINDING_CLAIMS = ['htm', 'htp', 'hbd'] as const;

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The SPIFFE JWT-SVID style lifetime rules: `exp` and `iat` required; not expired; `iat`
 * neither in the future nor older than the maximum age; `exp - iat` within the maximum age
 * (an old `iat` with a far `exp`, or a fresh `iat` with a far `exp`, are both refused).
 */
function checkLifetime(claims: Record<string, unknown>, nowSeconds: number, rules: ClaimRules) {
  const { exp, iat, nbf } = claims;
  const tolerance = rules.toleranceSeconds;
  if (!isTime(exp) || !isTime(iat)) refuse('ERR_SERVICE_AUTH_LIFETIME', '"exp" or "iat" missing');
  if (exp <= nowSeconds - tolerance) refuse('ERR_SERVICE_AUTH_LIFETIME', 'expired');
  if (iat > nowSeconds + tolerance) refuse('ERR_SERVICE_AUTH_LIFETIME', '"iat" in the future');
  if (nowSeconds - iat - tolerance > rules.maxAgeSeconds) {
    refuse('ERR_SERVICE_AUTH_LIFETIME', '"iat" too old');
  }
  if (exp - iat > rules.maxAgeSeconds) {
    refuse('ERR_SERVICE_AUTH_LIFETIME', `lifetime over ${rules.maxAgeSeconds} s`);
  }
  if (nbf !== undefined && (!isTime(nbf) || nbf > nowSeconds + tolerance)) {
    refuse('ERR_SERVICE_AUTH_LIFETIME', '"nbf" in the future');
  }
}

function checkIdentity(claims: Record<string, unknown>, rules: ClaimRules) {
  if (claims.iss !== rules.issuer) refuse('ERR_SERVICE_AUTH_CLAIMS', '"iss" is not the key owner');
  if (claims.sub !== rules.issuer) refuse('ERR_SERVICE_AUTH_CLAIMS', '"sub" differs from "iss"');
  // jose would accept an array `aud` naming us among others: a token valid at several
  // services could be replayed from one to the other, so only the one string passes.
  if (claims.aud !== rules.audience) refuse('ERR_SERVICE_AUTH_CLAIMS', '"aud" is not this service');
  if (typeof claims.jti !== 'string' || !JTI.test(claims.jti)) {
    refuse('ERR_SERVICE_AUTH_CLAIMS', '"jti" missing or malformed');
  }
  for (const name of BINDING_CLAIMS) {
    if (typeof claims[name] !== 'string') refuse('ERR_SERVICE_AUTH_CLAIMS', `"${name}" missing`);
  }
}

/**
 * Parses and checks the claims of a request token whose signature jose has verified. The
 * rules are few and exact (string equality, required numbers), so they are written out here
 * rather than passed to jose's general-purpose claim checks, which would run alongside.
 */
export function verifiedRequestClaims(
  payload: Uint8Array,
  nowMs: number,
  rules: ClaimRules,
): RequestClaims {
  const claims = parseObject(payload);
  checkIdentity(claims, rules);
  checkLifetime(claims, Math.floor(nowMs / 1000), rules);

  return claims as unknown as RequestClaims;
}
