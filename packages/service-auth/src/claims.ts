/**
 * `typ` of a request token (RFC 8725 section 3.11: distinct types stop cross-use).
 *
 * @example
 * decodeProtectedHeader(token).typ === REQUEST_TYP;
 */
export const REQUEST_TYP = 'galaxy-service-request+jwt';
/**
 * `typ` of a response token, so an answer can never pass as a request and back.
 *
 * @example
 * decodeProtectedHeader(res.headers.get(RESPONSE_HEADER)!).typ === RESPONSE_TYP;
 */
export const RESPONSE_TYP = 'galaxy-service-response+jwt';
/**
 * The header that carries the callee's signed answer.
 *
 * @example
 * const signature = response.headers.get(RESPONSE_HEADER);
 */
export const RESPONSE_HEADER = 'service-auth-response';
/**
 * Longest lifetime (`exp - iat`) of any token this package mints or accepts.
 *
 * @example
 * await signRequest(identity, { ...call, lifetimeSeconds: MAX_LIFETIME_SECONDS });
 */
export const MAX_LIFETIME_SECONDS = 60;

/**
 * The claims of a request token.
 *
 * @example
 * const { htm, htp } = (await verifier.verify(call)).claims;
 */
export interface RequestClaims {
  /** The caller. */
  iss: string;
  /** The caller again (SPIFFE JWT-SVID keeps the workload in `sub`). */
  sub: string;
  /** The one callee. */
  aud: string;
  iat: number;
  exp: number;
  /** Random id, refused a second time until `exp`. */
  jti: string;
  /** HTTP method, as sent. */
  htm: string;
  /** Path with its query, exactly as sent. */
  htp: string;
  /** SHA-256 of the raw body, base64url. */
  hbd: string;
  /** RFC 8705 binding to the caller's TLS client certificate. */
  cnf?: { 'x5t#S256': string };
}

/**
 * The claims of a response token.
 *
 * @example
 * const claims: ResponseClaims = decodeJwt(res.headers.get(RESPONSE_HEADER)!);
 */
export interface ResponseClaims {
  /** The callee. */
  iss: string;
  sub: string;
  /** The caller the answer is for. */
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  /** The `jti` of the request this answers. */
  rti: string;
  /** HTTP status of the answer. */
  hst: number;
  /** SHA-256 of the raw answer body, base64url. */
  hbd: string;
}

// The shape of every jti this package mints (16 random bytes); others' may be longer.
export const JTI = /^[A-Za-z0-9_-]{16,128}$/;
