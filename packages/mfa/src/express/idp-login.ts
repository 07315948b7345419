import type { Request, Response } from 'express';
import type { IdpIdentity, IdTokenVerifier } from '../idp-token.js';
import type { LoginState } from '../login-state.js';
import type { SessionAccess } from './session.js';

/**
 * Maps the provider's subject to the app's user; defaults to the `sub` claim as user id.
 *
 * @example
 * const idpUser: IdpUserMapper = async ({ subject }) => users.bySubject(subject);
 */
export type IdpUserMapper = (
  identity: IdpIdentity,
) =>
  | { userId: string; roles?: readonly string[] }
  | Promise<{ userId: string; roles?: readonly string[] }>;

/**
 * Starts a session from a verified ID token: the provider's `auth_time` is the first
 * factor's time, and also the second's when `amr`/`acr` prove one. Without that proof the
 * app's own TOTP step still applies through `requireMfa`.
 */
export async function acceptIdToken(
  deps: { idp: IdTokenVerifier; session: SessionAccess; user: IdpUserMapper },
  req: Request,
  res: Response,
  idToken: string,
  expected: { nonce?: string },
): Promise<LoginState> {
  const identity = await deps.idp.verify(idToken, expected);
  const user = await deps.user(identity);
  const state: LoginState = { userId: user.userId, passwordAt: identity.authTime };
  if (user.roles) state.roles = user.roles;
  if (identity.secondFactor) {
    state.mfaAt = identity.authTime;
    state.mfaMethod = 'idp';
  }

  await deps.session.set(req, res, state);
  return state;
}
