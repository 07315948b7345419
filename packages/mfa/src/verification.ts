import { type Attempt, type VerifyOutcome, who } from './attempt.js';
import { MfaError } from './errors.js';
import { emit } from './events.js';
import { noteLockout, startedBeforeLockout } from './lockout.js';
import type { MfaContext } from './options.js';
import { credentialParameters, loadRecord, saveRecord } from './record-access.js';
import type { MfaRecord, TotpCredential } from './records.js';
import { normaliseRecoveryInput } from './recovery-codes.js';
import { useRecoveryCode } from './recovery-use.js';
import { storeError } from './replay-guard.js';
import type { AttemptGranted, AttemptRefused } from './throttle.js';
import { normaliseTotpInput } from './token-input.js';
import { checkTotp, type TotpMatch } from './totp-check.js';

/**
 * Runs one throttled attempt: refuse a login that predates the last lockout, reserve a slot
 * per account, check the input, then count a success or a failure. A store failure anywhere
 * is reported as `mfa.unavailable` and propagates as `ERR_MFA_STORE`: refuse (fail closed).
 */
export async function throttledCheck(
  ctx: MfaContext,
  attempt: Attempt,
  check: () => Promise<VerifyOutcome>,
): Promise<VerifyOutcome> {
  try {
    if (await isStaleLogin(ctx, attempt)) return staleLogin(ctx, attempt);

    return await limitedCheck(ctx, attempt, check);
  } catch (err) {
    if (err instanceof MfaError && err.code === 'ERR_MFA_STORE') {
      emit(ctx.onEvent, { type: 'mfa.unavailable', at: ctx.now(), ...who(attempt) });
    }
    throw err;
  }
}

async function limitedCheck(
  ctx: MfaContext,
  attempt: Attempt,
  check: () => Promise<VerifyOutcome>,
): Promise<VerifyOutcome> {
  const slot = await reserve(ctx, attempt);
  if (!slot.allowed) return refused(ctx, attempt, slot);

  let outcome: VerifyOutcome;
  try {
    outcome = await check();
  } catch (err) {
    await settle(() => slot.release()).catch(() => undefined);
    throw err;
  }

  await settle(() => (outcome.ok ? slot.success() : slot.failure()));
  return outcome;
}

async function refused(
  ctx: MfaContext,
  attempt: Attempt,
  slot: AttemptRefused,
): Promise<VerifyOutcome> {
  // auth-limit answers its own failed store with a refusal: that is an outage, not a lockout,
  // and must not end the user's pending login nor read as brute force in the audit log.
  if (slot.reason === 'store-unavailable') {
    throw storeError('reserve an attempt (the limiter store is unavailable)', undefined);
  }

  const { retryAfterSeconds } = slot;
  const at = ctx.now();
  await noteLockout(ctx, attempt.userId, at);
  emit(ctx.onEvent, { type: 'mfa.throttled', at, ...who(attempt), retryAfterSeconds });
  return { ok: false, reason: 'throttled', retryAfterSeconds };
}

async function isStaleLogin(ctx: MfaContext, attempt: Attempt): Promise<boolean> {
  if (attempt.passwordAt === undefined) return false;

  return startedBeforeLockout(ctx, attempt.userId, attempt.passwordAt);
}

function staleLogin(ctx: MfaContext, attempt: Attempt): VerifyOutcome {
  emit(ctx.onEvent, { type: 'mfa.failure', at: ctx.now(), ...who(attempt), reason: 'stale-login' });
  return { ok: false, reason: 'stale-login' };
}

/**
 * Checks `input` as a TOTP code of the active (or, for enrolment, the pending) credential,
 * else as a recovery code: recovery codes work wherever a code is asked for, except to
 * confirm an enrolment.
 */
export async function checkSecondFactor(
  ctx: MfaContext,
  attempt: Attempt,
  input: unknown,
): Promise<VerifyOutcome> {
  const record = await loadRecord(ctx, attempt.userId);
  const credential = attempt.purpose === 'enrolment' ? record.pendingTotp : record.totp;
  const token = normaliseTotpInput(input, credential?.digits ?? ctx.totp.digits);
  if (token !== undefined) return checkCode(ctx, attempt, record, credential, token);

  const code = attempt.purpose === 'enrolment' ? undefined : normaliseRecoveryInput(input);
  if (code !== undefined) return useRecoveryCode(ctx, attempt, record, code);

  emit(ctx.onEvent, { type: 'mfa.failure', at: ctx.now(), ...who(attempt), reason: 'malformed' });
  return { ok: false, reason: 'invalid' };
}

async function checkCode(
  ctx: MfaContext,
  attempt: Attempt,
  record: MfaRecord,
  credential: TotpCredential | undefined,
  token: string,
): Promise<VerifyOutcome> {
  const at = ctx.now();
  if (!credential) {
    emit(ctx.onEvent, { type: 'mfa.failure', at, ...who(attempt), reason: 'not-enrolled' });
    return { ok: false, reason: 'not-enrolled' };
  }

  const match = matchCode(ctx, record, credential, token, at);
  if (!match) {
    emit(ctx.onEvent, { type: 'mfa.failure', at, ...who(attempt), reason: 'invalid' });
    return { ok: false, reason: 'invalid' };
  }

  if (!(await ctx.replay.accept(credential.id, match.timeStep))) {
    emit(ctx.onEvent, { type: 'mfa.replay', at, ...who(attempt), credentialId: credential.id });
    return { ok: false, reason: 'replay' };
  }

  return acceptCode(ctx, attempt, record, credential, { at, driftSteps: match.driftSteps });
}

// The plain secret lives only for the one HMAC check, then its bytes are overwritten.
function matchCode(
  ctx: MfaContext,
  record: MfaRecord,
  credential: TotpCredential,
  token: string,
  at: number,
): TotpMatch | undefined {
  const context = { userId: record.userId, credentialId: credential.id };
  const secret = ctx.box.open(credential.sealedSecret, context);
  const params = credentialParameters(ctx, credential);
  const match = checkTotp(secret, token, params, Math.floor(at / 1000));
  secret.fill(0);

  return match;
}

async function acceptCode(
  ctx: MfaContext,
  attempt: Attempt,
  record: MfaRecord,
  credential: TotpCredential,
  { at, driftSteps }: { at: number; driftSteps: number },
): Promise<VerifyOutcome> {
  emit(ctx.onEvent, {
    type: 'mfa.verified',
    at,
    userId: attempt.userId,
    purpose: attempt.purpose,
    credentialId: credential.id,
    driftSteps,
  });
  if (attempt.purpose !== 'enrolment') await rewrapIfOld(ctx, record, credential);

  return { ok: true, method: 'totp', credentialId: credential.id, driftSteps };
}

// Lazy key rotation: a secret sealed with a retired key is sealed again on its next use.
async function rewrapIfOld(ctx: MfaContext, record: MfaRecord, credential: TotpCredential) {
  if (!ctx.box.needsRewrap(credential.sealedSecret)) return;

  const context = { userId: record.userId, credentialId: credential.id };
  const secret = ctx.box.open(credential.sealedSecret, context);
  const fresh = await loadRecord(ctx, record.userId);
  if (fresh.totp?.id !== credential.id) return;

  fresh.totp.sealedSecret = ctx.box.seal(secret, context);
  secret.fill(0);
  await saveRecord(ctx, fresh);
}

async function reserve(ctx: MfaContext, attempt: Attempt) {
  try {
    return await ctx.limiter.reserve({ account: attempt.userId, address: attempt.address });
  } catch (cause) {
    throw storeError('reserve an attempt with the limiter', cause);
  }
}

async function settle(call: AttemptGranted['success']): Promise<void> {
  try {
    await call();
  } catch (cause) {
    throw storeError('record the attempt with the limiter', cause);
  }
}
