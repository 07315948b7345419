import { randomBytes } from 'node:crypto';
import type { Attempt, VerifyOutcome } from './attempt.js';
import { encodeBase32 } from './base32.js';
import { emit } from './events.js';
import type { MfaContext } from './options.js';
import { otpauthUri } from './otpauth-uri.js';
import { type QrImages, qrImages } from './qr-code.js';
import { loadRecord, saveRecord } from './record-access.js';
import type { TotpCredential } from './records.js';
import { generateRecoveryCodes } from './recovery-codes.js';
import { checkSecondFactor, throttledCheck } from './verification.js';

// RFC 4226 section 4 asks for 160 bits; it is also SHA-1's block-friendly key size.
const SECRET_BYTES = 20;

/**
 * What a started enrolment gives the user, once: the URI, its QR code, and the secret in
 * base32 for typing by hand. Serve it with `Cache-Control: no-store`; never log it.
 *
 * @example
 * const { qr, secret } = await mfa.startEnrolment({ userId: 'u1', accountName: 'ana' });
 */
export interface EnrolmentStart {
  credentialId: string;
  /** base32, upper case, unpadded. */
  secret: string;
  uri: string;
  qr: QrImages;
  /** Milliseconds since the epoch after which the confirming code is no longer taken. */
  expiresAt: number;
}

/**
 * The outcome of confirming an enrolment. On success the recovery codes are shown once.
 *
 * @example
 * const outcome = await mfa.confirmEnrolment('u1', '123456');
 * if (outcome.ok) showOnce(outcome.recoveryCodes);
 */
export type ConfirmOutcome =
  | { ok: true; credentialId: string; recoveryCodes: string[] }
  | { ok: false; reason: 'not-started' | 'expired' }
  | Exclude<VerifyOutcome, { ok: true }>;

/** Makes a secret from the CSPRNG and keeps it sealed as the user's pending credential. */
export async function startEnrolment(
  ctx: MfaContext,
  userId: string,
  accountName: string,
): Promise<EnrolmentStart> {
  const secretBytes = new Uint8Array(randomBytes(SECRET_BYTES));
  const secret = encodeBase32(secretBytes);
  const id = randomBytes(16).toString('base64url');
  const uri = otpauthUri({ issuer: ctx.issuer, accountName, secret, params: ctx.totp });
  const qr = await qrImages(uri);
  const createdAt = ctx.now();

  const record = await loadRecord(ctx, userId);
  record.pendingTotp = pendingCredential(ctx, userId, id, secretBytes, createdAt);
  secretBytes.fill(0);
  await saveRecord(ctx, record);
  emit(ctx.onEvent, { type: 'mfa.enrolment.started', at: createdAt, userId, credentialId: id });

  return { credentialId: id, secret, uri, qr, expiresAt: createdAt + ctx.enrolmentTtlMs };
}

/**
 * Activates the pending credential only after a valid, throttled, replay-guarded code
 * from it; the code cannot then be used again to log in. Issues a new recovery code set.
 */
export async function confirmEnrolment(
  ctx: MfaContext,
  attempt: Attempt,
  input: unknown,
): Promise<ConfirmOutcome> {
  const { userId } = attempt;
  const pending = (await loadRecord(ctx, userId)).pendingTotp;
  if (!pending) return { ok: false, reason: 'not-started' };
  if (ctx.now() > pending.createdAt + ctx.enrolmentTtlMs) return { ok: false, reason: 'expired' };

  const outcome = await throttledCheck(ctx, attempt, () => checkSecondFactor(ctx, attempt, input));
  if (!outcome.ok) return outcome;

  const record = await loadRecord(ctx, userId);
  if (record.pendingTotp?.id !== pending.id) return { ok: false, reason: 'not-started' };

  const { codes, set } = generateRecoveryCodes(ctx.recoveryCodeCount, ctx.now());
  record.totp = { ...pending, activatedAt: ctx.now() };
  record.pendingTotp = undefined;
  record.recovery = set;
  await saveRecord(ctx, record);
  emit(ctx.onEvent, {
    type: 'mfa.enrolment.completed',
    at: ctx.now(),
    userId,
    credentialId: pending.id,
  });

  return { ok: true, credentialId: pending.id, recoveryCodes: codes };
}

function pendingCredential(
  ctx: MfaContext,
  userId: string,
  id: string,
  secret: Uint8Array,
  createdAt: number,
): TotpCredential {
  return {
    id,
    sealedSecret: ctx.box.seal(secret, { userId, credentialId: id }),
    algorithm: ctx.totp.algorithm,
    digits: ctx.totp.digits,
    periodSeconds: ctx.totp.periodSeconds,
    createdAt,
  };
}
