import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { MfaError, optionError } from './errors.js';
import { emit, type MfaEventHandler } from './events.js';
import { assertKnownArgumentKeys, assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Options of {@link IdTokenVerifier}.
 *
 * @example
 * const options: IdTokenVerifierOptions = { issuer, audience: 'galaxy', jwksUri };
 */
export interface IdTokenVerifierOptions {
  /** The provider's issuer, exactly as in the `iss` claim. Required. */
  issuer: string;
  /** This app's client id(s), matched against `aud`. Required. */
  audience: string | readonly string[];
  /** The provider's `jwks_uri`. Must be https unless `unsafeAllowPlainHttp`. Required. */
  jwksUri: string;
  /** Signature algorithms accepted; defaults to RS256, PS256, ES256 and EdDSA. */
  algorithms?: readonly string[];
  /** `amr` values (RFC 8176) that prove a second factor; defaults to `mfa`, `otp`, `hwk`. */
  secondFactorAmr?: readonly string[];
  /** `acr` values that prove a second factor (e.g. Keycloak's level `2`); defaults to none. */
  secondFactorAcr?: readonly string[];
  /**
   * Refuse tokens without proof of a second factor; defaults to false (the app's own TOTP
   * step then applies).
   */
  requireSecondFactor?: boolean;
  /** Refuse a token whose `auth_time` is older than this; defaults to no limit. */
  maxAuthAgeSeconds?: number;
  /** Allowed clock skew for `exp`, `iat`, `nbf` and `auth_time`; defaults to 30. */
  clockToleranceSeconds?: number;
  /** Time allowed for one key-set fetch; defaults to 5000 ms. */
  fetchTimeoutMs?: number;
  /** Accept an `http:` key URL (a test on loopback); defaults to false. */
  unsafeAllowPlainHttp?: boolean;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Receives `mfa.idp.accepted` and `mfa.idp.rejected`; defaults to none. */
  onEvent?: MfaEventHandler;
}

/**
 * A user as the identity provider vouches for them. `authTime` is in milliseconds.
 *
 * @example
 * const { subject, secondFactor } = await verifier.verify(idToken, { nonce });
 */
export interface IdpIdentity {
  subject: string;
  authTime: number;
  secondFactor: boolean;
  amr: string[];
  acr?: string;
}

const IDP_OPTIONS = optionNames<IdTokenVerifierOptions>({
  issuer: true,
  audience: true,
  jwksUri: true,
  algorithms: true,
  secondFactorAmr: true,
  secondFactorAcr: true,
  requireSecondFactor: true,
  maxAuthAgeSeconds: true,
  clockToleranceSeconds: true,
  fetchTimeoutMs: true,
  unsafeAllowPlainHttp: true,
  now: true,
  onEvent: true,
});
const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
// RFC 8176: "mfa" states it outright; "otp" and "hwk" are possession factors.
const DEFAULT_AMR = ['mfa', 'otp', 'hwk'];
// jose errors that mean "this token is bad", as opposed to "the keys could not be fetched".
const TOKEN_ERRORS = new Set([
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWK_INVALID',
]);

/**
 * Upstream-identity mode: verifies an OIDC ID token with `jose` against the provider's keys
 * and reads whether it proves a second factor (`amr`, `acr`) and when (`auth_time`). Galaxy
 * sites with Keycloak get enforcement of the IdP's second factor, which Galaxy itself never
 * checks.
 *
 * @example
 * const options = { issuer, audience: 'galaxy', jwksUri, requireSecondFactor: true };
 * const verifier = new IdTokenVerifier(options);
 * const identity = await verifier.verify(idToken, { nonce: savedNonce });
 */
export class IdTokenVerifier {
  private readonly options: IdTokenVerifierOptions;
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly now: () => number;

  constructor(options: IdTokenVerifierOptions) {
    this.options = checkOptions(options);
    this.now = options.now ?? Date.now;
    this.keys = createRemoteJWKSet(new URL(options.jwksUri), {
      timeoutDuration: options.fetchTimeoutMs ?? 5000,
    });
  }

  /**
   * @throws MfaError `ERR_MFA_IDP_TOKEN` (bad, expired, foreign or stale token, wrong nonce),
   * `ERR_MFA_IDP_NO_SECOND_FACTOR` (required and not proven), `ERR_MFA_IDP_UNAVAILABLE`
   * (keys could not be fetched: refuse, never skip the check).
   */
  async verify(idToken: string, expected: { nonce?: string } = {}): Promise<IdpIdentity> {
    // `{ Nonce }` for `{ nonce }` would skip the one check that stops an injected login.
    assertKnownArgumentKeys('expected', expected, ['nonce']);
    const payload = await this.verifySignature(idToken);
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
      throw tokenError('carries another nonce (a replayed or injected login)');
    }

    const identity = readIdentity(payload, this.options);
    this.checkAge(identity);
    if (this.options.requireSecondFactor && !identity.secondFactor) {
      this.reject(identity, 'no-second-factor');
      throw new MfaError(
        'ERR_MFA_IDP_NO_SECOND_FACTOR',
        '@galaxy-harden/mfa: the identity provider did not prove a second factor',
      );
    }

    const { subject: userId, secondFactor, authTime } = identity;
    emit(this.options.onEvent, {
      type: 'mfa.idp.accepted',
      at: this.now(),
      userId,
      secondFactor,
      authTime,
    });
    return identity;
  }

  private async verifySignature(idToken: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(String(idToken), this.keys, {
        issuer: this.options.issuer,
        audience: [...[this.options.audience].flat()],
        algorithms: [...(this.options.algorithms ?? DEFAULT_ALGORITHMS)],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'iat', 'auth_time'],
      });
      return payload;
    } catch (cause) {
      throw classify(cause);
    }
  }

  private checkAge(identity: IdpIdentity): void {
    const tolerance = (this.options.clockToleranceSeconds ?? 30) * 1000;
    const maxAge = this.options.maxAuthAgeSeconds;
    const future = identity.authTime > this.now() + tolerance;
    const stale =
      maxAge !== undefined && this.now() - identity.authTime > maxAge * 1000 + tolerance;
    if (!future && !stale) return;

    this.reject(identity, 'stale');
    throw tokenError(
      future ? 'has an auth_time in the future' : 'has an auth_time older than maxAuthAgeSeconds',
    );
  }

  private reject(identity: IdpIdentity, reason: 'no-second-factor' | 'stale'): void {
    emit(this.options.onEvent, {
      type: 'mfa.idp.rejected',
      at: this.now(),
      userId: identity.subject,
      reason,
    });
  }
}

function readIdentity(payload: JWTPayload, options: IdTokenVerifierOptions): IdpIdentity {
  const amr = Array.isArray(payload.amr) ? payload.amr.filter((v) => typeof v === 'string') : [];
  const acr = typeof payload.acr === 'string' ? payload.acr : undefined;
  if (typeof payload.auth_time !== 'number' || !Number.isFinite(payload.auth_time)) {
    throw tokenError('has no numeric auth_time');
  }

  const byAmr = amr.some((value) => (options.secondFactorAmr ?? DEFAULT_AMR).includes(value));
  const byAcr = acr !== undefined && (options.secondFactorAcr ?? []).includes(acr);
  const identity: IdpIdentity = {
    subject: String(payload.sub),
    authTime: payload.auth_time * 1000,
    secondFactor: byAmr || byAcr,
    amr,
  };
  if (acr !== undefined) identity.acr = acr;

  return identity;
}

function classify(cause: unknown): MfaError {
  const code = cause instanceof errors.JOSEError ? cause.code : undefined;
  if (code !== undefined && TOKEN_ERRORS.has(code))
    return tokenError(`failed verification (${code})`, cause);

  return new MfaError(
    'ERR_MFA_IDP_UNAVAILABLE',
    "@galaxy-harden/mfa: the identity provider's keys could not be fetched; refusing",
    { cause },
  );
}

function tokenError(rule: string, cause?: unknown): MfaError {
  return new MfaError('ERR_MFA_IDP_TOKEN', `@galaxy-harden/mfa: the ID token ${rule}`, { cause });
}

function checkOptions(options: IdTokenVerifierOptions): IdTokenVerifierOptions {
  assertKnownKeys('idp', options, IDP_OPTIONS);
  for (const name of ['issuer', 'jwksUri'] as const) {
    if (typeof options?.[name] !== 'string' || options[name].length === 0) {
      throw optionError(
        `idp.${name}`,
        options?.[name],
        'must be a non-empty string',
        "copy it from the provider's /.well-known/openid-configuration",
      );
    }
  }

  const audiences = [options.audience].flat();
  if (audiences.length === 0 || !audiences.every((a) => typeof a === 'string' && a.length > 0)) {
    throw optionError(
      'idp.audience',
      options.audience,
      'must be a client id or a list of them',
      'set it to the client id registered at the provider',
    );
  }

  checkJwksUri(options);
  checkOptionalSeconds('idp.maxAuthAgeSeconds', options.maxAuthAgeSeconds);
  checkOptionalSeconds('idp.clockToleranceSeconds', options.clockToleranceSeconds);
  return options;
}

function checkJwksUri(options: IdTokenVerifierOptions): void {
  let url: URL;
  try {
    url = new URL(options.jwksUri);
  } catch {
    throw optionError(
      'idp.jwksUri',
      options.jwksUri,
      'must be an absolute URL',
      "copy jwks_uri from the provider's discovery document",
    );
  }

  // Keys fetched over plain HTTP can be swapped by anyone on the path: every token forgeable.
  const plainOk = url.protocol === 'http:' && options.unsafeAllowPlainHttp === true;
  if (url.protocol !== 'https:' && !plainOk) {
    throw optionError(
      'idp.jwksUri',
      options.jwksUri,
      'must use https',
      'use the https URL, or set unsafeAllowPlainHttp for a loopback test',
    );
  }
}

function checkOptionalSeconds(option: string, value: unknown): void {
  if (value === undefined || (Number.isInteger(value) && (value as number) >= 0)) return;

  throw optionError(
    option,
    value,
    'must be an integer of 0 or more seconds',
    'leave it unset for the default',
  );
}
