import type { Request, RequestHandler, Response, Router } from 'express';
import { optionError } from './errors.js';
import {
  type GuardContext,
  requireFreshMfa,
  requireMfa,
  requirePassword,
} from './express/guards.js';
import { acceptIdToken, type IdpUserMapper } from './express/idp-login.js';
import type { MfaPages } from './express/respond.js';
import { mfaRoutes } from './express/routes.js';
import type { SessionAccess } from './express/session.js';
import type { IdTokenVerifier } from './idp-token.js';
import type { LoginState } from './login-state.js';
import { Mfa } from './mfa.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

export type { IdpUserMapper } from './express/idp-login.js';
export { type DenialCode, type MfaPages, safeNext } from './express/respond.js';
export {
  MemorySessions,
  type MemorySessionsOptions,
  type SessionAccess,
} from './express/session.js';

/**
 * Options of {@link mfaExpress}.
 *
 * @example
 * const options: MfaExpressOptions = { mfa, session, pages: { login: '/login' } };
 */
export interface MfaExpressOptions {
  /** The core object. Required. */
  mfa: Mfa;
  /** Access to the app's session. Required; `MemorySessions` for tests and demos. */
  session: SessionAccess;
  /** Pages that browser navigations are redirected to; defaults to none (JSON answers only). */
  pages?: MfaPages;
  /** `realm` of the `WWW-Authenticate` challenge; defaults to `'galaxy'`. */
  realm?: string;
  /** Scheme of the challenge; defaults to `'Bearer'`, as in RFC 9470's step-up challenge. */
  challengeScheme?: string;
  /** How fresh the second factor must be to manage it; defaults to 300 seconds. */
  freshMaxAgeSeconds?: number;
  /** The account name shown in the authenticator app; defaults to the user id. */
  accountName?: (state: LoginState) => string;
  /** Upstream-identity mode: verifies the provider's ID tokens. Defaults to none. */
  idp?: IdTokenVerifier;
  /** Maps a verified ID token to the app's user; defaults to `{ userId: sub }`. */
  idpUser?: IdpUserMapper;
}

const EXPRESS_OPTIONS = optionNames<MfaExpressOptions>({
  mfa: true,
  session: true,
  pages: true,
  realm: true,
  challengeScheme: true,
  freshMaxAgeSeconds: true,
  accountName: true,
  idp: true,
  idpUser: true,
});
const PAGES = optionNames<MfaPages>({ login: true, secondStep: true, enrol: true, stepUp: true });

/**
 * The Express 5 side of the package. Each guard reads only the server-side login state:
 * a client field such as `mfaVerified: true` is never consulted.
 *
 * @example
 * const pages = { login: '/login', secondStep: '/login/code' };
 * const gate = mfaExpress({ mfa, session: sessions, pages });
 * app.use('/mfa', gate.routes);
 * app.use('/api', gate.requireMfa);
 * app.post('/admin/reset', gate.requireFreshMfa({ maxAgeSeconds: 300 }), reset);
 */
export interface MfaExpress {
  /** Any session past the first factor (second-step and enrolment pages). */
  requirePassword: RequestHandler;
  /** Second factor passed, or none required yet (enforcement with its grace period). */
  requireMfa: RequestHandler;
  /** Second factor passed at most `maxAgeSeconds` ago (step-up for sensitive actions). */
  requireFreshMfa(options: { maxAgeSeconds: number }): RequestHandler;
  /** JSON endpoints to mount under a prefix such as `/mfa`. */
  routes: Router;
  /** Verifies an OIDC ID token and starts the session from it (upstream-identity mode). */
  acceptIdToken(
    req: Request,
    res: Response,
    idToken: string,
    expected?: { nonce?: string },
  ): Promise<LoginState>;
}

/**
 * Builds the guards and routes. Options are checked here, once; request-time failures
 * (a store down, keys unreachable) go to `next(err)` and never let a request through.
 *
 * @example
 * const gate = mfaExpress({ mfa, session: new MemorySessions({ secure: false }) });
 * app.get('/api/jobs', gate.requireMfa, listJobs);
 */
export function mfaExpress(options: MfaExpressOptions): MfaExpress {
  const ctx = context(options);
  const freshMaxAgeSeconds = checkFreshMaxAge(options.freshMaxAgeSeconds ?? 300);
  const accountName = options.accountName ?? ((state: LoginState) => state.userId);

  return {
    requirePassword: requirePassword(ctx),
    requireMfa: requireMfa(ctx),
    requireFreshMfa: (fresh) => requireFreshMfa(ctx, fresh),
    routes: mfaRoutes({ ...ctx, freshMaxAgeSeconds, accountName }),
    acceptIdToken: idpLogin(options),
  };
}

function checkFreshMaxAge(seconds: number): number {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 86_400) return seconds;

  const rule = 'must be an integer from 1 to 86400';
  throw optionError('freshMaxAgeSeconds', seconds, rule, 'leave it unset for 300');
}

function idpLogin(options: MfaExpressOptions): MfaExpress['acceptIdToken'] {
  const idp = options.idp;
  const deps = idp && { idp, session: options.session, user: options.idpUser ?? defaultUser };

  return (req, res, idToken, expected = {}) => {
    if (!deps) {
      const fix = 'pass idp: new IdTokenVerifier({ ... })';
      throw optionError('idp', idp, 'must be set to accept ID tokens', fix);
    }

    return acceptIdToken(deps, req, res, idToken, expected);
  };
}

function context(options: MfaExpressOptions): GuardContext {
  assertKnownKeys('', options, EXPRESS_OPTIONS);
  assertKnownKeys('pages', options?.pages, PAGES);
  if (!(options?.mfa instanceof Mfa)) {
    throw optionError('mfa', options?.mfa, 'must be an Mfa instance', 'pass new Mfa({ ... })');
  }

  const session = checkSession(options.session);
  const realm = checkRealm(options.realm ?? 'galaxy');
  const scheme = checkScheme(options.challengeScheme ?? 'Bearer');

  return { mfa: options.mfa, session, responder: { pages: options.pages ?? {}, realm, scheme } };
}

function checkSession(session: SessionAccess): SessionAccess {
  const methods = [session?.get, session?.set, session?.end];
  if (methods.every((method) => typeof method === 'function')) return session;

  const fix = 'adapt your session library, or use new MemorySessions()';
  throw optionError('session', session, 'must have get, set and end', fix);
}

// The realm and scheme go into `WWW-Authenticate` as they are: no quote or comma may break it.
function checkRealm(realm: string): string {
  if (/^[\w .-]{1,64}$/.test(realm)) return realm;

  const rule = 'must be 1 to 64 letters, digits, spaces, dots or dashes';
  throw optionError('realm', realm, rule, "leave it unset for 'galaxy'");
}

function checkScheme(scheme: string): string {
  if (/^[A-Za-z][\w-]{0,31}$/.test(scheme)) return scheme;

  const rule = 'must be an auth-scheme token';
  throw optionError('challengeScheme', scheme, rule, "leave it unset for 'Bearer'");
}

function defaultUser(identity: { subject: string }) {
  return { userId: identity.subject };
}
