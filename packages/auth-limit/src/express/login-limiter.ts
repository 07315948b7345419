import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { optionError } from '../errors.js';
import { LimiterCore } from '../limiter-core.js';
import { normalizeAccount } from '../normalize-account.js';
import { assertKnownKeys } from '../option-keys.js';
import type { AttemptLimiterOptions } from '../options.js';
import type { Blocked, Reservation, Slot } from '../reservation.js';
import { answerBlocked, type PolicyFigures } from './answer.js';
import { ReservingStore } from './reserving-store.js';
import { assertTrustProxy, trustProxyWatch } from './trust-proxy.js';

/**
 * Options of {@link loginLimiter}: the core's options plus the HTTP ones.
 *
 * @example
 * const options: LoginLimiterOptions = { app, store, accountFrom: (req) => req.body?.username };
 */
export interface LoginLimiterOptions extends AttemptLimiterOptions {
  /** Reads the account name the request claims, e.g. `(req) => req.body?.username`. */
  accountFrom: (req: Request) => unknown;
  /**
   * Attempts per address in a window, whatever the account (express-rate-limit). Defaults to
   * `{ limit: 100, windowMs: 900_000 }`.
   */
  perAddress?: {
    /** Attempts allowed per address in one window; defaults to 100. */
    limit?: number;
    /** Length of the window, in milliseconds (at least 1000); defaults to 900 000. */
    windowMs?: number;
  };
  /**
   * The app, so that a `trust proxy` that trusts any address is refused at start-up.
   * Defaults to none (the check then happens at request time only).
   */
  app?: Pick<Application, 'get'>;
}

/**
 * What the limiter puts on `req.authLimit` for an attempt that may go ahead. Report the
 * outcome of the secret check with exactly one call.
 *
 * @example
 * if (!ok) { await req.authLimit?.recordFailure(); return res.status(401).json(uniform); }
 */
export interface AuthLimitHandle {
  /** The normalised account name: look the user up by this. */
  account: string;
  /** Ask for more proof first (account-wide limit reached, `step-up` mode). */
  stepUp: boolean;
  recordFailure(): Promise<void>;
  recordSuccess(): Promise<void>;
  /** Not a wrong secret (CSRF failure, disabled account, second factor required). */
  release(): Promise<void>;
}

/**
 * The middleware, with a way for support staff to clear counters.
 *
 * @example
 * await limiter.unblock({ account: 'ana', address: '192.0.2.1' });
 */
export type LoginLimiter = RequestHandler & {
  unblock(target: { account: string; address?: string }): Promise<void>;
};

declare global {
  namespace Express {
    interface Request {
      /** Set by `loginLimiter` on requests that may check a secret. */
      authLimit?: AuthLimitHandle;
    }
  }
}

/**
 * Brute-force protection for a login route, on express-rate-limit: a per-address window
 * (IPv6 keyed by prefix, IETF draft-8 `RateLimit` headers) and the account limits of
 * `AttemptLimiter`, checked together in one store round trip before the password is.
 * Refusals are 429 (503 when the store fails) with `Retry-After` and one uniform body.
 *
 * @example
 * app.post('/api/login', express.json(), loginLimiter({ app, store,
 *   accountFrom: (req) => req.body?.username }), async (req, res) => {
 *   const ok = await checkPassword(req.authLimit!.account, req.body.password);
 *   await (ok ? req.authLimit!.recordSuccess() : req.authLimit!.recordFailure());
 *   res.status(ok ? 200 : 401).json(ok ? { ok } : { error: 'invalid_credentials' });
 * });
 */
export function loginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const accountFrom = checkAccountFrom(options?.accountFrom);
  if (options.app) assertTrustProxy(options.app);
  const core = new LimiterCore(options, HTTP_KEYS);
  const window = perAddress(options.perAddress);
  const store = new ReservingStore(core, window);
  const figures = policyFigures(core);
  const erl = windowLimiter(core, store, window, figures);

  const trustProblem = trustProxyWatch();
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const refused = trustProblem(req.app);
    if (refused) {
      next(refused);
      return;
    }

    (req as AccountCarrier)[ACCOUNT] = normalizeAccount(accountFrom(req));
    erl(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      proceed(req, res, next, store.reservationOf(resetTimeOf(req)) ?? LOST, figures);
    });
  };
  return Object.assign(handler, {
    unblock: (t: { account: string; address?: string }) => core.unblock(t),
  });
}

const HTTP_KEYS = ['accountFrom', 'perAddress', 'app'];
const ACCOUNT = Symbol('auth-limit account');
type AccountCarrier = Request & { [ACCOUNT]?: string };

/** `req.rateLimit.resetTime`, which express-rate-limit sets but does not declare. */
function resetTimeOf(req: Request): unknown {
  return (req as Request & { rateLimit?: { resetTime?: unknown } }).rateLimit?.resetTime;
}

// express-rate-limit handed back a resetTime this store did not make: never let it through.
const LOST_BLOCKED: Blocked = { allowed: false, reason: 'store-unavailable', retryAfterSeconds: 5 };
const LOST: Reservation = LOST_BLOCKED;

function proceed(
  req: Request,
  res: Response,
  next: NextFunction,
  reservation: Reservation,
  figures: PolicyFigures,
): void {
  if (!reservation.allowed) {
    answerBlocked(res, reservation, figures);
    return;
  }

  req.authLimit = new RequestHandle(reservation);
  next();
}

/** `req.authLimit`: the slot under the names an Express handler reads best. */
class RequestHandle implements AuthLimitHandle {
  readonly account: string;
  readonly stepUp: boolean;

  constructor(private readonly slot: Slot) {
    this.account = slot.account;
    this.stepUp = slot.stepUp;
  }

  recordFailure(): Promise<void> {
    return this.slot.failure();
  }

  recordSuccess(): Promise<void> {
    return this.slot.success();
  }

  release(): Promise<void> {
    return this.slot.release();
  }
}

function windowLimiter(
  core: LimiterCore,
  store: ReservingStore,
  window: { limit: number; windowMs: number },
  figures: PolicyFigures,
) {
  const warn = (error: unknown) => {
    const { code = 'ERR_ERL', message = String(error) } = error as {
      code?: string;
      message?: string;
    };
    core.event({ type: 'limiter.warning', code, message });
  };

  return rateLimit({
    ...window,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'address',
    store,
    keyGenerator: (req) => `${req.ip}|${(req as AccountCarrier)[ACCOUNT] ?? ''}`,
    // The store applies ipKeyGenerator itself, from the key this generator writes.
    validate: { keyGeneratorIpFallback: false },
    logger: { warn, error: warn },
    handler: (req, res) => {
      const reservation = store.reservationOf(resetTimeOf(req)) ?? LOST;
      answerBlocked(res, reservation.allowed ? LOST_BLOCKED : reservation, figures);
    },
  });
}

function checkAccountFrom(value: unknown): (req: Request) => unknown {
  if (typeof value === 'function') return value as (req: Request) => unknown;

  throw optionError(
    'accountFrom',
    value,
    'must be a function that reads the account name from the request',
    'pass (req) => req.body?.username',
  );
}

function perAddress(value: LoginLimiterOptions['perAddress'] = {}) {
  assertKnownKeys('perAddress', value, ['limit', 'windowMs']);
  const limit = value.limit ?? 100;
  const windowMs = value.windowMs ?? 15 * 60_000;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw optionError('perAddress.limit', limit, 'must be a whole number of at least 1', 'omit it');
  }
  if (!Number.isSafeInteger(windowMs) || windowMs < 1000) {
    throw optionError(
      'perAddress.windowMs',
      windowMs,
      'must be whole milliseconds, at least 1000',
      'omit it',
    );
  }

  return { limit, windowMs };
}

function policyFigures(core: LimiterCore): PolicyFigures {
  const { account, accountAddress } = core.options;
  return {
    account: { quota: account.threshold, windowSeconds: account.quietPeriodMs / 1000 },
    'account-address': {
      quota: accountAddress.threshold,
      windowSeconds: accountAddress.quietPeriodMs / 1000,
    },
  };
}
