import express, { type Request, type Response, Router } from 'express';
import type { VerifyOutcome } from '../attempt.js';
import type { ConfirmOutcome } from '../enrolment.js';
import { hasFreshMfa, type LoginState } from '../login-state.js';
import { type GuardContext, guarded, loginOf, requireFreshMfa } from './guards.js';
import { deny } from './respond.js';

/** What the JSON routes need beyond the guards. */
export interface RouteContext extends GuardContext {
  /** Step-up age for managing the factor (re-enrol, new recovery codes, disable). */
  freshMaxAgeSeconds: number;
  accountName: (state: LoginState) => string;
}

type Failure = Exclude<VerifyOutcome | ConfirmOutcome, { ok: true }>;

/**
 * The JSON endpoints, to mount under a prefix such as `/mfa`: `POST /verify` (second step),
 * `POST /step-up`, `GET /status`, `POST /enrolment`, `POST /enrolment/confirm`,
 * `POST /recovery-codes` and `POST /disable` (the last two behind step-up).
 */
export function mfaRoutes(ctx: RouteContext): Router {
  const router = Router();
  const fresh = requireFreshMfa(ctx, { maxAgeSeconds: ctx.freshMaxAgeSeconds });
  // JSON only: a cross-site form cannot send it without a CORS preflight.
  router.use(refuseCrossSite(ctx), express.json({ limit: '2kb' }));

  router.post(
    '/verify',
    guarded((req, res) => secondStep(ctx, req, res, 'login')),
  );
  router.post(
    '/step-up',
    guarded((req, res) => secondStep(ctx, req, res, 'step-up')),
  );
  router.get(
    '/status',
    guarded((req, res) => status(ctx, req, res)),
  );
  router.post(
    '/enrolment',
    guarded((req, res) => enrol(ctx, req, res)),
  );
  router.post(
    '/enrolment/confirm',
    guarded((req, res) => confirm(ctx, req, res)),
  );
  router.post(
    '/recovery-codes',
    fresh,
    guarded((req, res) => regenerate(ctx, req, res)),
  );
  router.post(
    '/disable',
    fresh,
    guarded((req, res) => disable(ctx, req, res)),
  );
  return router;
}

async function secondStep(
  ctx: RouteContext,
  req: Request,
  res: Response,
  purpose: 'login' | 'step-up',
) {
  const state = await loginOf(ctx, req, res);
  if (!state) return;
  // Step-up is for a session that already passed the second factor once.
  if (purpose === 'step-up' && !hasFreshMfa(state, ctx.mfa.now()))
    return deny(ctx.responder, req, res, 'mfa_required');

  const outcome = await ctx.mfa.verify(state.userId, codeOf(req), {
    address: addressOf(req),
    purpose,
  });
  if (!outcome.ok) return refuse(ctx, req, res, state, outcome);

  await ctx.session.set(req, res, { ...state, mfaAt: ctx.mfa.now(), mfaMethod: outcome.method });
  const left = outcome.method === 'recovery' ? { recovery_codes_left: outcome.remaining } : {};
  res.set('Cache-Control', 'no-store').json({ ok: true, method: outcome.method, ...left });
}

async function status(ctx: RouteContext, req: Request, res: Response) {
  const state = await loginOf(ctx, req, res);
  if (!state) return;

  const current = await ctx.mfa.status(state.userId);
  const enforcement = ctx.mfa.enforcement({ userId: state.userId, roles: state.roles ?? [] });
  res.set('Cache-Control', 'no-store').json({
    enrolled: current.enrolled,
    enrolment_pending: current.enrolmentPending,
    recovery_codes_left: current.recoveryCodesLeft,
    second_factor_passed: hasFreshMfa(state, ctx.mfa.now()),
    enforcement,
  });
}

// Replacing an active factor is managing it: it needs a fresh second factor first.
async function enrol(ctx: RouteContext, req: Request, res: Response) {
  const state = await loginOf(ctx, req, res);
  if (!state) return;
  if (
    (await ctx.mfa.status(state.userId)).enrolled &&
    !hasFreshMfa(state, ctx.mfa.now(), ctx.freshMaxAgeSeconds)
  ) {
    const code = hasFreshMfa(state, ctx.mfa.now())
      ? 'insufficient_user_authentication'
      : 'mfa_required';
    return deny(ctx.responder, req, res, code, { maxAgeSeconds: ctx.freshMaxAgeSeconds });
  }

  const started = await ctx.mfa.startEnrolment({
    userId: state.userId,
    accountName: ctx.accountName(state),
  });
  res.set('Cache-Control', 'no-store').json({
    credential_id: started.credentialId,
    secret: started.secret,
    uri: started.uri,
    qr_svg: started.qr.svg,
    qr_png: started.qr.pngDataUrl,
    expires_at: started.expiresAt,
  });
}

async function confirm(ctx: RouteContext, req: Request, res: Response) {
  const state = await loginOf(ctx, req, res);
  if (!state) return;

  const outcome = await ctx.mfa.confirmEnrolment(state.userId, codeOf(req), {
    address: addressOf(req),
  });
  if (!outcome.ok) return refuse(ctx, req, res, state, outcome);

  // Confirming proved possession of the new factor: the session has passed it now.
  await ctx.session.set(req, res, { ...state, mfaAt: ctx.mfa.now(), mfaMethod: 'totp' });
  res.set('Cache-Control', 'no-store').json({ ok: true, recovery_codes: outcome.recoveryCodes });
}

async function regenerate(ctx: RouteContext, _req: Request, res: Response) {
  const state = res.locals.login as LoginState;
  const codes = await ctx.mfa.regenerateRecoveryCodes(state.userId);
  res.set('Cache-Control', 'no-store').json({ recovery_codes: codes });
}

// A user covered by enforcement may not switch the factor off (GitLab refuses it too).
async function disable(ctx: RouteContext, req: Request, res: Response) {
  const state = res.locals.login as LoginState;
  const enforcement = ctx.mfa.enforcement({ userId: state.userId, roles: state.roles ?? [] });
  if (enforcement.status !== 'not-required') return deny(ctx.responder, req, res, 'mfa_enforced');

  await ctx.mfa.disable(state.userId);
  res.status(204).end();
}

// A lockout ends a half-logged-in session: after the wait, the password is asked again
// (Keycloak 26177), so a guesser cannot resume with the old pending login.
async function refuse(
  ctx: RouteContext,
  req: Request,
  res: Response,
  state: LoginState,
  failure: Failure,
) {
  if (failure.reason === 'throttled') {
    if (!hasFreshMfa(state, ctx.mfa.now())) await ctx.session.end(req, res);
    return deny(ctx.responder, req, res, 'too_many_attempts', {
      retryAfterSeconds: failure.retryAfterSeconds,
    });
  }

  if (failure.reason === 'not-started')
    return deny(ctx.responder, req, res, 'enrolment_not_started');
  if (failure.reason === 'expired') return deny(ctx.responder, req, res, 'enrolment_expired');

  deny(ctx.responder, req, res, 'invalid_code');
}

/**
 * Refuses state-changing requests from another origin (CSRF): browsers send `Origin` on
 * every cross-origin POST, and `Sec-Fetch-Site` where they know it. SameSite=Lax cookies
 * do not cover sibling subdomains, which count as the same site.
 */
function refuseCrossSite(ctx: RouteContext) {
  return (req: Request, res: Response, next: () => void) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();

    const origin = req.get('origin');
    const own = `${req.protocol}://${req.get('host')}`;
    const crossSite =
      origin !== undefined ? origin !== own : req.get('sec-fetch-site') === 'cross-site';
    if (crossSite) return deny(ctx.responder, req, res, 'cross_site_request');

    next();
  };
}

function codeOf(req: Request): unknown {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
}

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '0.0.0.0';
}
