import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { optionError } from '../errors.js';
import { hasFreshMfa, type LoginState } from '../login-state.js';
import type { Mfa } from '../mfa.js';
import { assertKnownKeys } from '../option-keys.js';
import { deny, type Responder } from './respond.js';
import type { SessionAccess } from './session.js';

/** What the guards share. */
export interface GuardContext {
  mfa: Mfa;
  session: SessionAccess;
  responder: Responder;
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** Runs an async handler and hands any throw to Express: a failing store is never a pass. */
export function guarded(handler: Handler): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

/** Reads the login state and stores it on `res.locals.login` for the routes after. */
export async function loginOf(ctx: GuardContext, req: Request, res: Response) {
  const state = await ctx.session.get(req);
  if (state && typeof state.userId === 'string' && Number.isFinite(state.passwordAt)) {
    res.locals.login = state;
    return state;
  }

  deny(ctx.responder, req, res, 'login_required');
  return undefined;
}

/** Lets through any session past the first factor: the second step and enrolment pages. */
export function requirePassword(ctx: GuardContext): RequestHandler {
  return guarded(async function requirePasswordHandler(req, res, next) {
    if (await loginOf(ctx, req, res)) next();
  });
}

/**
 * Lets through a session that passed the second factor, or a user who has none and is
 * not (yet) required to: the grace period is computed now, from the rules as they are now.
 */
export function requireMfa(ctx: GuardContext): RequestHandler {
  return guarded(async function requireMfaHandler(req, res, next) {
    const state = await loginOf(ctx, req, res);
    if (!state) return;
    if (hasFreshMfa(state, ctx.mfa.now())) return next();

    const code = await missingFactor(ctx, state, res);
    if (code) return deny(ctx.responder, req, res, code);

    next();
  });
}

/**
 * Step-up for sensitive actions: the second factor must be at most `maxAgeSeconds` old
 * (GitLab 46451: managing MFA an hour after the last code). API clients get a
 * `WWW-Authenticate` challenge with `max_age`; pages are sent to the step-up page.
 */
export function requireFreshMfa(
  ctx: GuardContext,
  options: { maxAgeSeconds: number },
): RequestHandler {
  assertKnownKeys('requireFreshMfa', options, ['maxAgeSeconds']);
  const maxAgeSeconds = options?.maxAgeSeconds;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1 || maxAgeSeconds > 86_400) {
    throw optionError(
      'requireFreshMfa.maxAgeSeconds',
      maxAgeSeconds,
      'must be an integer from 1 to 86400',
      'use 300 for five minutes',
    );
  }

  return guarded(async function requireFreshMfaHandler(req, res, next) {
    const state = await loginOf(ctx, req, res);
    if (!state) return;
    if (hasFreshMfa(state, ctx.mfa.now(), maxAgeSeconds)) return next();
    if (hasFreshMfa(state, ctx.mfa.now())) {
      return deny(ctx.responder, req, res, 'insufficient_user_authentication', { maxAgeSeconds });
    }

    const enrolled = (await ctx.mfa.status(state.userId)).enrolled;
    deny(ctx.responder, req, res, enrolled ? 'mfa_required' : 'mfa_enrolment_required');
  });
}

async function missingFactor(ctx: GuardContext, state: LoginState, res: Response) {
  if ((await ctx.mfa.status(state.userId)).enrolled) return 'mfa_required' as const;

  const subject = { userId: state.userId, roles: state.roles ?? [] };
  const enforcement = ctx.mfa.enforcement(subject);
  if (enforcement.status === 'required') return 'mfa_enrolment_required' as const;
  if (enforcement.status === 'grace') res.locals.mfaGraceEndsAt = enforcement.graceEndsAt;

  return undefined;
}
