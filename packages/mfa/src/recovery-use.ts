import { type Attempt, type VerifyOutcome, who } from './attempt.js';
import { emit } from './events.js';
import type { MfaContext } from './options.js';
import { loadRecord, saveRecord } from './record-access.js';
import type { MfaRecord } from './records.js';
import { findRecoveryCode, recoveryCodesLeft } from './recovery-codes.js';
import { storeError } from './replay-guard.js';

// The marker is the atomic guard; the record's usedAt is the durable one. The marker only
// has to outlive the window in which two saves of the record could race, so a year is ample.
const MARKER_TTL_MS = 366 * 24 * 3600 * 1000;

/**
 * Consumes a recovery code once: an atomic `setIfAbsent` on a marker decides the single
 * winner among parallel submissions (authentik 19975), then the record notes the use.
 */
export async function useRecoveryCode(
  ctx: MfaContext,
  attempt: Attempt,
  record: MfaRecord,
  code: string,
): Promise<VerifyOutcome> {
  const set = record.recovery;
  const index = set && record.totp ? findRecoveryCode(set, code) : undefined;
  const unused = set !== undefined && index !== undefined && set.usedAt[index] === null;
  if (!unused || !(await claim(ctx, `mfa:recovery:${set.setId}:${index}`))) {
    emit(ctx.onEvent, { type: 'mfa.failure', at: ctx.now(), ...who(attempt), reason: 'invalid' });
    return { ok: false, reason: 'invalid' };
  }

  const remaining = await markUsed(ctx, attempt.userId, set.setId, index);
  const { userId, purpose } = attempt;
  emit(ctx.onEvent, { type: 'mfa.recovery.used', at: ctx.now(), userId, purpose, remaining });

  return { ok: true, method: 'recovery', remaining };
}

async function claim(ctx: MfaContext, key: string): Promise<boolean> {
  try {
    return await ctx.store.setIfAbsent(key, '1', MARKER_TTL_MS);
  } catch (cause) {
    throw storeError('mark the recovery code used', cause);
  }
}

// Reloads first so a parallel use of another code of the same set is kept.
async function markUsed(ctx: MfaContext, userId: string, setId: string, index: number) {
  const fresh = await loadRecord(ctx, userId);
  if (fresh.recovery?.setId !== setId) return recoveryCodesLeft(fresh.recovery);

  fresh.recovery.usedAt[index] = ctx.now();
  await saveRecord(ctx, fresh);
  return recoveryCodesLeft(fresh.recovery);
}
