import { errors } from 'jose';
import { ServiceAuthError, type ServiceAuthErrorCode } from './errors.js';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);

function codeFor(error: unknown): ServiceAuthErrorCode {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'ERR_SERVICE_AUTH_SIGNATURE';
  if (error instanceof errors.JWTExpired) return 'ERR_SERVICE_AUTH_LIFETIME';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return TIME_CLAIMS.has(error.claim) ? 'ERR_SERVICE_AUTH_LIFETIME' : 'ERR_SERVICE_AUTH_CLAIMS';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'ERR_SERVICE_AUTH_HEADER';
  // jose checks `crit` before the header reaches this package's allowlist: an unknown
  // extension is still a header member that is not allowed.
  if (error instanceof errors.JOSENotSupported) return 'ERR_SERVICE_AUTH_HEADER';

  return 'ERR_SERVICE_AUTH_MALFORMED';
}

/**
 * Turns what `jose` threw into this package's error. jose's messages name claims, never
 * their values, so they are safe to keep.
 */
export function fromJoseError(error: unknown, what: string): ServiceAuthError {
  if (error instanceof ServiceAuthError) return error;
  const detail = error instanceof Error ? error.message : 'verification failed';

  return new ServiceAuthError(codeFor(error), `${what} refused: ${detail}`, { cause: error });
}
