import { type Attempt, type VerifyOutcome, who } from './attempt.js';
import { emit } from './events.js';
import type { MfaContext } from './options.js';
import { loadRecord, saveRecord } from './record-access.js';
import type { MfaRecord } from './records.js';
import { findRecoveryCode, type RecoveryCodeSet, recoveryCodesLeft } from './recovery-codes.js';
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
  if (!unused || !(await claim(ctx, markerKey(set.setId, index)))) {
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

// Rounds of "reload, fold in every claimed marker, save" before giving up on convergence.
const MAX_ROUNDS = 4;

/**
 * Writes the use into the durable record. The record store has only load and save, so two
 * codes of one user used at once could each save a copy without the other's use (a lost
 * update: the code counted as unused again once its marker is gone). Each writer therefore
 * folds in every marker claimed so far and saves until a reload shows nothing missing; the
 * last writer to save then always sees, and keeps, every earlier claim.
 */
async function markUsed(ctx: MfaContext, userId: string, setId: string, index: number) {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fresh = await loadRecord(ctx, userId);
    const set = fresh.recovery;
    if (set?.setId !== setId) return recoveryCodesLeft(set);

    const missing = await claimedButUnrecorded(ctx, set, index);
    if (missing.length === 0) return recoveryCodesLeft(set);

    for (const i of missing) set.usedAt[i] = ctx.now();
    await saveRecord(ctx, fresh);
  }

  return recoveryCodesLeft((await loadRecord(ctx, userId)).recovery);
}

/** Indices the record shows unused although their marker is claimed (`own` always is). */
async function claimedButUnrecorded(ctx: MfaContext, set: RecoveryCodeSet, own: number) {
  const unused = set.usedAt.flatMap((usedAt, i) => (usedAt === null ? [i] : []));
  const claimed = await Promise.all(
    unused.map((i) => (i === own ? true : isClaimed(ctx, markerKey(set.setId, i)))),
  );

  return unused.filter((_, n) => claimed[n]);
}

async function isClaimed(ctx: MfaContext, key: string): Promise<boolean> {
  try {
    return (await ctx.store.get(key)) !== undefined;
  } catch (cause) {
    throw storeError('read the recovery code markers', cause);
  }
}

function markerKey(setId: string, index: number): string {
  return `mfa:recovery:${setId}:${index}`;
}
