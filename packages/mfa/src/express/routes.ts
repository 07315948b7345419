import { type Request, type Response, Router } from 'express';
import type { VerifyOutcome } from '../attempt.js';
import type { ConfirmOutcome } from '../enrolment.js';
import { MfaError } from '../errors.js';
import { hasFreshMfa, type LoginState } from '../login-state.js';
import { type GuardContext, guarded, loginOf, requireFreshMfa } from './guards.js';
import { codeOf, jsonBody } from './json-body.js';
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
  const run = (step: Step) => guarded((req, res) => step(ctx, req, res));
  // JSON only: a cross-site form cannot send it without a CORS preflight.
  router.use(refuseCrossSite(ctx), jsonBody(ctx.responder));

  router.post('/verify', run(loginStep));
  router.post('/step-up', run(stepUpStep));
  router.get('/status', run(status));
  router.post('/enrolment', run(enrol));
  router.post('/enrolment/confirm', run(confirm));
  router.post('/recovery-codes', fresh, run(regenerate));
  router.post('/disable', fresh, run(disable));
  return router;
}

type Step = (ctx: RouteContext, req: Request, res: Response) => Promise<void>;

const loginStep: Step = (ctx, req, res) => secondStep(ctx, req, res, 'login');
const stepUpStep: Step = (ctx, req, res) => secondStep(ctx, req, res, 'step-up');

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

  const outcome = await unlessUnavailable(ctx, req, res, () =>
    ctx.mfa.verify(state.userId, codeOf(req), { ...attemptOf(ctx, req, state), purpose }),
  );
  if (!outcome) return;
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
    if (!hasFreshMfa(state, ctx.mfa.now())) return deny(ctx.responder, req, res, 'mfa_required');

    return deny(ctx.responder, req, res, 'insufficient_user_authentication', {
      maxAgeSeconds: ctx.freshMaxAgeSeconds,
    });
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

  const outcome = await unlessUnavailable(ctx, req, res, () =>
    ctx.mfa.confirmEnrolment(state.userId, codeOf(req), attemptOf(ctx, req, state)),
  );
  if (!outcome) return;
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

  if (failure.reason === 'stale-login') {
    await ctx.session.end(req, res);
    return deny(ctx.responder, req, res, 'login_required');
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

// Seconds a client should wait after a store outage; auth-limit's default for the same case.
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * Answers a store outage (Redis down, even between the limiter and the replay guard) with
 * 503 and `Retry-After`, and keeps the session: it is not a lockout, and the thrown error
 * would otherwise be the app's 500. Nothing was accepted (fail closed).
 */
async function unlessUnavailable<T>(
  ctx: RouteContext,
  req: Request,
  res: Response,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof MfaError) || err.code !== 'ERR_MFA_STORE') throw err;

    deny(ctx.responder, req, res, 'temporarily_unavailable', {
      retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS,
    });
    return undefined;
  }
}

// A login still waiting for its second factor carries its password time, so a login that
// predates the account's last lockout is refused (Keycloak 26177).
function attemptOf(ctx: RouteContext, req: Request, state: LoginState) {
  const address = addressOf(req);
  return hasFreshMfa(state, ctx.mfa.now())
    ? { address }
    : { address, passwordAt: state.passwordAt };
}

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '0.0.0.0';
}
