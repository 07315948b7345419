import type { Attempt, VerifyOutcome } from './attempt.js';
import { decideEnforcement, type EnforcementStatus, type MfaSubject } from './enforcement.js';
import {
  type ConfirmOutcome,
  confirmEnrolment,
  type EnrolmentStart,
  startEnrolment,
} from './enrolment.js';
import { argumentError, MfaError } from './errors.js';
import { emit, type MfaPurpose } from './events.js';
import { assertKnownArgumentKeys, optionNames } from './option-keys.js';
import { checkUserId, type MfaContext, type MfaOptions, resolveOptions } from './options.js';
import { loadRecord, saveRecord } from './record-access.js';
import { generateRecoveryCodes, recoveryCodesLeft } from './recovery-codes.js';
import { checkSecondFactor, throttledCheck } from './verification.js';

/**
 * Where a user stands, for a settings page.
 *
 * @example
 * const { enrolled, recoveryCodesLeft } = await mfa.status('u1');
 */
export interface MfaStatus {
  enrolled: boolean;
  enrolmentPending: boolean;
  recoveryCodesLeft: number;
  /** When the active factor was confirmed, in ms. */
  enrolledAt?: number;
}

const UNKNOWN_ADDRESS = '0.0.0.0';

/**
 * Per-call details of a submitted code.
 *
 * @example
 * await mfa.verify('u1', code, { address: req.ip, purpose: 'step-up' });
 */
export interface AttemptOptions {
  /**
   * The client's IP address, for the limiter's per-address counter and for events. Defaults
   * to `0.0.0.0`: every call without one then shares a single per-address counter.
   */
  address?: string;
  /** `'login'` or `'step-up'`; defaults to `'login'`. */
  purpose?: 'login' | 'step-up';
  /**
   * When this login's first factor (the password) passed, in ms. When given, a login that
   * started at or before the account's last lockout is refused as `stale-login`: the
   * password must be entered again (Keycloak 26177). The Express adapter always passes it.
   * Defaults to none (no such check).
   */
  passwordAt?: number;
}

const ATTEMPT_OPTIONS = optionNames<AttemptOptions>({
  address: true,
  purpose: true,
  passwordAt: true,
});

function attemptOf(userId: string, purpose: MfaPurpose, options: AttemptOptions): Attempt {
  assertKnownArgumentKeys('options', options, ATTEMPT_OPTIONS);
  const attempt: Attempt = { userId, purpose, address: options.address ?? UNKNOWN_ADDRESS };
  if (options.passwordAt === undefined) return attempt;
  if (!Number.isFinite(options.passwordAt)) {
    throw argumentError('passwordAt', 'must be milliseconds since the epoch');
  }

  return { ...attempt, passwordAt: options.passwordAt };
}

/**
 * TOTP enrolment, verification with replay refusal and throttling, recovery codes and the
 * enforcement policy, over the app's record store. Framework-free; the Express adapter is
 * `@galaxy-harden/mfa/express`.
 *
 * @example
 * const mfa = new Mfa({ issuer: 'Galaxy', records, encryption, limiter });
 * const outcome = await mfa.verify('u1', req.body.code, { address: req.ip });
 */
export class Mfa {
  private readonly ctx: MfaContext;

  constructor(options: MfaOptions) {
    this.ctx = resolveOptions(options);
  }

  /** The clock the package decides with, in milliseconds since the epoch. */
  now(): number {
    return this.ctx.now();
  }

  /**
   * Starts (or restarts) an enrolment: a fresh 20-byte secret, kept sealed as pending until
   * {@link Mfa.confirmEnrolment}. An active factor keeps working until then; gate this call
   * behind a fresh second factor when one is active.
   */
  async startEnrolment(user: { userId: string; accountName?: string }): Promise<EnrolmentStart> {
    assertKnownArgumentKeys('user', user, ['userId', 'accountName']);
    const userId = checkUserId(user?.userId);
    return startEnrolment(this.ctx, userId, user.accountName ?? userId);
  }

  /** Activates the pending factor when `code` is a valid code from it. */
  async confirmEnrolment(
    userId: string,
    code: unknown,
    options: AttemptOptions = {},
  ): Promise<ConfirmOutcome> {
    const attempt = attemptOf(checkUserId(userId), 'enrolment', options);
    return confirmEnrolment(this.ctx, attempt, code);
  }

  /**
   * Checks a TOTP code or a recovery code, throttled per account. Any malformed input is
   * `invalid`, never a throw.
   *
   * @throws MfaError `ERR_MFA_STORE` or `ERR_MFA_DECRYPT`: refuse the login (fail closed).
   */
  async verify(
    userId: string,
    code: unknown,
    options: AttemptOptions = {},
  ): Promise<VerifyOutcome> {
    const purpose = options.purpose ?? 'login';
    const attempt = attemptOf(checkUserId(userId), purpose, options);
    const outcome = await throttledCheck(this.ctx, attempt, () =>
      checkSecondFactor(this.ctx, attempt, code),
    );
    if (purpose === 'step-up') this.emitStepUp(attempt.userId, outcome);

    return outcome;
  }

  /**
   * Replaces the user's recovery codes; every code of the old set stops working. Gate it
   * behind a fresh second factor (GitLab 46451).
   *
   * @throws MfaError `ERR_MFA_STATE` when the user has no active factor.
   */
  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    const record = await loadRecord(this.ctx, checkUserId(userId));
    if (!record.totp)
      throw new MfaError(
        'ERR_MFA_STATE',
        '@galaxy-harden/mfa: no active factor to attach recovery codes to',
      );

    const { codes, set } = generateRecoveryCodes(this.ctx.recoveryCodeCount, this.now());
    record.recovery = set;
    await saveRecord(this.ctx, record);
    emit(this.ctx.onEvent, {
      type: 'mfa.recovery.regenerated',
      at: this.now(),
      userId,
      count: codes.length,
    });

    return codes;
  }

  /** Removes the factor, any pending enrolment and the recovery codes. Gate it behind step-up. */
  async disable(userId: string): Promise<void> {
    const record = await loadRecord(this.ctx, checkUserId(userId));
    const credentialId = record.totp?.id;
    await saveRecord(this.ctx, { userId });
    if (credentialId) await this.ctx.replay.forget(credentialId);

    emit(this.ctx.onEvent, { type: 'mfa.disabled', at: this.now(), userId });
  }

  /** Whether the user has an active factor, a pending enrolment, and how many codes are left. */
  async status(userId: string): Promise<MfaStatus> {
    const record = await loadRecord(this.ctx, checkUserId(userId));
    const status: MfaStatus = {
      enrolled: record.totp !== undefined,
      enrolmentPending: record.pendingTotp !== undefined,
      recoveryCodesLeft: record.totp ? recoveryCodesLeft(record.recovery) : 0,
    };
    if (record.totp?.activatedAt !== undefined) status.enrolledAt = record.totp.activatedAt;

    return status;
  }

  /** Whether a user without a factor must enrol now, computed from the rules as they are now. */
  enforcement(subject: MfaSubject): EnforcementStatus {
    return decideEnforcement(this.ctx.rules(), subject, this.now());
  }

  private emitStepUp(userId: string, outcome: VerifyOutcome): void {
    const at = this.now();
    if (outcome.ok) {
      emit(this.ctx.onEvent, { type: 'mfa.step-up.passed', at, userId, method: outcome.method });
      return;
    }

    const reason =
      outcome.reason === 'throttled' || outcome.reason === 'not-enrolled'
        ? outcome.reason
        : 'invalid';
    emit(this.ctx.onEvent, { type: 'mfa.step-up.failed', at, userId, reason });
  }
}
