import type { MfaMethod } from './events.js';

/**
 * What the package reads from and writes to the app's session for one browser or client.
 * It lives on the server only: no client-sent field (`mfaVerified: true` in a body, an edited
 * cookie) is ever read as proof of a second factor (Ghost 25806).
 *
 * @example
 * const state: LoginState = { userId: 'u1', passwordAt: Date.now() }; // password only
 */
export interface LoginState {
  userId: string;
  roles?: readonly string[];
  /** When the first factor (password, or the identity provider) succeeded, in ms. */
  passwordAt: number;
  /** When a second factor succeeded in this session, in ms; absent after the password only. */
  mfaAt?: number;
  mfaMethod?: MfaMethod;
}

/**
 * True when the session proved a second factor after its first factor, and within
 * `maxAgeSeconds` when given. A future `mfaAt` (a clock moved back) is not fresh.
 *
 * @example
 * if (!hasFreshMfa(state, Date.now(), 300)) askForCode();
 */
export function hasFreshMfa(
  state: LoginState | undefined,
  nowMs: number,
  maxAgeSeconds?: number,
): boolean {
  const mfaAt = state?.mfaAt;
  if (state === undefined || mfaAt === undefined || mfaAt < state.passwordAt) return false;
  if (maxAgeSeconds === undefined) return true;

  return mfaAt <= nowMs && nowMs - mfaAt <= maxAgeSeconds * 1000;
}
