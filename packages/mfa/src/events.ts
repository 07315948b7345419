/**
 * Where a second factor was checked.
 *
 * @example
 * const purpose: MfaPurpose = 'step-up';
 */
export type MfaPurpose = 'login' | 'step-up' | 'enrolment';

/**
 * Why a submitted code was refused (before throttling or replay). `stale-login`: the login
 * started before the account's last lockout, so the password is asked again.
 *
 * @example
 * if (event.type === 'mfa.failure' && event.reason === 'malformed') metrics.malformed++;
 */
export type MfaFailureReason = 'invalid' | 'malformed' | 'not-enrolled' | 'stale-login';

// A type alias, not an interface, so events fit sinks typed `Record<string, unknown>`.
type Base = {
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
  userId: string;
};

/**
 * A security event. Events never carry a secret, a code, a recovery code or a token; send
 * them to an audit log.
 *
 * @example
 * const onEvent = (e: MfaEvent) => log.info({ event: e.type, user: e.userId });
 */
export type MfaEvent =
  | (Base & { type: 'mfa.enrolment.started'; credentialId: string })
  | (Base & { type: 'mfa.enrolment.completed'; credentialId: string })
  | (Base & { type: 'mfa.verified'; credentialId: string; purpose: MfaPurpose; driftSteps: number })
  | (Base & {
      type: 'mfa.failure';
      purpose: MfaPurpose;
      reason: MfaFailureReason;
      address?: string;
    })
  | (Base & { type: 'mfa.replay'; credentialId: string; purpose: MfaPurpose; address?: string })
  | (Base & {
      type: 'mfa.throttled';
      purpose: MfaPurpose;
      retryAfterSeconds: number;
      address?: string;
    })
  | (Base & { type: 'mfa.unavailable'; purpose: MfaPurpose; address?: string })
  | (Base & { type: 'mfa.recovery.used'; purpose: MfaPurpose; remaining: number })
  | (Base & { type: 'mfa.recovery.regenerated'; count: number })
  | (Base & { type: 'mfa.disabled' })
  | (Base & { type: 'mfa.step-up.passed'; method: MfaMethod })
  | (Base & { type: 'mfa.step-up.failed'; reason: 'invalid' | 'throttled' | 'not-enrolled' })
  | (Base & { type: 'mfa.idp.accepted'; secondFactor: boolean; authTime: number })
  | (Base & { type: 'mfa.idp.rejected'; reason: 'no-second-factor' | 'stale' });

/**
 * How the second factor was proven.
 *
 * @example
 * if (state.mfaMethod === 'recovery') suggestNewCodes();
 */
export type MfaMethod = 'totp' | 'recovery' | 'idp';

/**
 * The `onEvent` callback. It is called synchronously; a throw from it is swallowed so an
 * audit sink can never change a login decision.
 *
 * @example
 * const onEvent: MfaEventHandler = (e) => audit.write(JSON.stringify(e));
 */
export type MfaEventHandler = (event: MfaEvent) => void;

/** Calls `handler` and ignores its failure: an audit sink must not decide a login. */
export function emit(handler: MfaEventHandler | undefined, event: MfaEvent): void {
  if (!handler) return;

  try {
    handler(event);
  } catch {
    // Deliberately ignored: see MfaEventHandler.
  }
}
