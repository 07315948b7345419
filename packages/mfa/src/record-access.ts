import type { MfaContext } from './options.js';
import type { MfaRecord, TotpCredential } from './records.js';
import { storeError } from './replay-guard.js';
import type { TotpParameters } from './totp-parameters.js';

/** Loads a user's record; a failing user store refuses (fails closed). */
export async function loadRecord(ctx: MfaContext, userId: string): Promise<MfaRecord> {
  try {
    return (await ctx.records.load(userId)) ?? { userId };
  } catch (cause) {
    throw storeError("load the user's MFA record", cause);
  }
}

/** Saves a user's record; a failure is reported, never ignored. */
export async function saveRecord(ctx: MfaContext, record: MfaRecord): Promise<void> {
  try {
    await ctx.records.save(record);
  } catch (cause) {
    throw storeError("save the user's MFA record", cause);
  }
}

/** The parameters a credential was enrolled with, and the verifier's current window. */
export function credentialParameters(ctx: MfaContext, credential: TotpCredential): TotpParameters {
  return {
    algorithm: credential.algorithm,
    digits: credential.digits,
    periodSeconds: credential.periodSeconds,
    window: ctx.totp.window,
  };
}
