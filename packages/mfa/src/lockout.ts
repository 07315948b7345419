import type { MfaContext } from './options.js';
import { storeError } from './replay-guard.js';

// A pending login lives as long as the app's session; a day covers the usual lifetimes (the
// README's "Known limits" says so).
const LOCKOUT_MEMORY_MS = 24 * 3600 * 1000;

function key(userId: string): string {
  return `mfa:lockout:${userId}`;
}

/**
 * Remembers the latest moment the account's codes were refused by the limiter, so that every
 * login that was pending then, not only the one that hit the lock, must enter the password
 * again once the wait is over (Keycloak 26177).
 */
export async function noteLockout(ctx: MfaContext, userId: string, at: number): Promise<void> {
  try {
    await ctx.store.setIfGreater(key(userId), at, LOCKOUT_MEMORY_MS);
  } catch (cause) {
    throw storeError('remember the lockout', cause);
  }
}

/** True when a login whose first factor passed at `passwordAt` predates the last lockout. */
export async function startedBeforeLockout(
  ctx: MfaContext,
  userId: string,
  passwordAt: number,
): Promise<boolean> {
  let lockedAt: string | undefined;
  try {
    lockedAt = await ctx.store.get(key(userId));
  } catch (cause) {
    throw storeError('read the last lockout', cause);
  }

  return lockedAt !== undefined && passwordAt <= Number(lockedAt);
}
