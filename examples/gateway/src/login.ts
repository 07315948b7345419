import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { normalizeAccount } from '@galaxy-harden/auth-limit';
import { type LoginLimiter, loginLimiter } from '@galaxy-harden/auth-limit/express';
import { noStore } from '@galaxy-harden/headers/express';
import type { LoginState } from '@galaxy-harden/mfa';
import { type AttemptStore, MemoryStore } from '@galaxy-harden/store';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { EventSink } from './events.js';

/** A demo user: the name, an scrypt hash (`scrypt$N$r$p$salt$key`), and whether it is off. */
export interface DemoUser {
  username: string;
  passwordHash: string;
  disabled?: boolean;
  /** Printed by `npm start` for newcomers; never read by the login. Demo files only. */
  demoPassword?: string;
}

/** Options of {@link gatewayLogin}. */
export interface GatewayLoginOptions {
  onEvent: EventSink;
  /** Defaults to `examples/gateway/data/users.json`. */
  users?: readonly DemoUser[];
  /**
   * Failed-login counters; defaults to a `MemoryStore` on `now`. A Redis store lets several
   * gateway replicas share them.
   */
  store?: AttemptStore;
  /** Session lifetime in milliseconds; defaults to 8 hours. */
  sessionTtlMs?: number;
  now?: () => number;
}

/** The login module, as the app composes it. */
export interface GatewayLogin {
  /** `POST /api/login` and `POST /api/logout`. */
  router: Router;
  /** Refuses a request without a live session with 401. */
  requireLogin: RequestHandler;
  /** The sessions, in the shape `@galaxy-harden/mfa` reads them. */
  sessions: CookieSessions;
  limiter: LoginLimiter;
}

const USERS_FILE = new URL('../data/users.json', import.meta.url);
const INVALID = { error: 'invalid_credentials' };

/**
 * Password login for the demo gateway: JSON `POST /api/login` with `username` and
 * `password`, checked against scrypt hashes, behind `@galaxy-harden/auth-limit`'s
 * `loginLimiter` (the slot is taken before scrypt runs); a signed session cookie; and
 * `POST /api/logout`. Unknown users cost the same scrypt run as known ones and get the same
 * answer. Cross-site posts, malformed bodies and disabled accounts are refused without
 * counting as wrong passwords.
 *
 * @example
 * const login = gatewayLogin({ onEvent });
 * app.use(login.router);
 * app.use('/api', login.requireLogin);
 */
export function gatewayLogin(options: GatewayLoginOptions): GatewayLogin {
  const now = options.now ?? Date.now;
  const users = indexUsers(options.users ?? loadUsers());
  const sessions = new CookieSessions(options.sessionTtlMs ?? 8 * 3_600_000, now);
  const limiter = loginLimiter({
    accountFrom: (req) => req.body?.username,
    onEvent: (event) => options.onEvent({ ...event }),
    now,
    store: options.store ?? new MemoryStore({ now }),
  });
  const verify = passwordChecker();

  const router = Router();
  // no-store on every answer, refusals included: a cache must not keep a login answer.
  router.post(
    '/api/login',
    noStore(),
    express.json({ limit: '4kb' }),
    limiter,
    async (req, res) => {
      const outcome = await attemptLogin(req, users, verify);
      await settle(req, outcome);
      if (outcome.kind !== 'ok') return refuse(res, outcome, options.onEvent);

      await sessions.set(req, res, { userId: outcome.user, passwordAt: now() });
      res.json({ ok: true, user: outcome.user });
    },
  );
  router.post('/api/logout', noStore(), (req, res) => {
    if (!sameOrigin(req)) return void res.status(403).json({ error: 'cross_site_request' });
    sessions.end(req, res);
    res.status(204).end();
  });

  const requireLogin: RequestHandler = (req, res, next) => {
    if (sessions.get(req)) return next();
    res.status(401).json({ error: 'login_required' });
  };
  return { router, requireLogin, sessions, limiter };
}

type Outcome =
  | { kind: 'ok'; user: string }
  | { kind: 'wrong' }
  | { kind: 'cross-site' | 'malformed' | 'disabled' };

async function attemptLogin(
  req: Request,
  users: Map<string, DemoUser>,
  verify: (password: string, hash: string | undefined) => Promise<boolean>,
): Promise<Outcome> {
  if (!sameOrigin(req)) return { kind: 'cross-site' };
  const { username, password } = req.body ?? {};
  if (typeof username !== 'string' || typeof password !== 'string') return { kind: 'malformed' };

  const user = users.get(req.authLimit?.account ?? normalizeAccount(username));
  const right = await verify(password, user?.passwordHash);
  if (!right || !user) return { kind: 'wrong' };

  return user.disabled ? { kind: 'disabled' } : { kind: 'ok', user: user.username };
}

// Only a wrong password (or an unknown user, which must look the same) counts as a
// failure; the other refusals judged no secret and give the attempt back.
async function settle(req: Request, outcome: Outcome): Promise<void> {
  const auth = req.authLimit;
  if (outcome.kind === 'ok') await auth?.recordSuccess();
  else if (outcome.kind === 'wrong') await auth?.recordFailure();
  else await auth?.release();
}

function refuse(res: Response, outcome: Exclude<Outcome, { kind: 'ok' }>, onEvent: EventSink) {
  if (outcome.kind === 'wrong') return void res.status(401).json(INVALID);
  if (outcome.kind === 'malformed') return void res.status(400).json({ error: 'bad_request' });

  onEvent({ type: 'login.refused', reason: outcome.kind });
  const error = outcome.kind === 'disabled' ? 'account_disabled' : 'cross_site_request';
  res.status(403).json({ error });
}

/**
 * A browser sends `Origin` on every cross-site POST; a login or logout from another site is
 * refused (the session cookie is also SameSite=Lax, and the body must be JSON).
 */
function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return req.get('sec-fetch-site') !== 'cross-site';

  return origin === `${req.protocol}://${req.get('host')}`;
}

function loadUsers(): DemoUser[] {
  return (JSON.parse(readFileSync(USERS_FILE, 'utf8')) as { users: DemoUser[] }).users;
}

function indexUsers(users: readonly DemoUser[]): Map<string, DemoUser> {
  return new Map(users.map((user) => [normalizeAccount(user.username), user]));
}

/**
 * Checks a password against `scrypt$N$r$p$salt$key` in constant time. An unknown user is
 * checked against a throw-away hash, so the answer takes as long as for a real one.
 */
function passwordChecker() {
  const decoy = `scrypt$16384$8$1$${randomBytes(16).toString('base64url')}$${'A'.repeat(43)}`;

  return async (password: string, hash: string | undefined): Promise<boolean> => {
    const [scheme, n, r, p, salt, key] = (hash ?? decoy).split('$');
    if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;

    const expected = Buffer.from(key, 'base64url');
    const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
    const actual = await new Promise<Buffer>((resolve, reject) => {
      const input = password.normalize('NFC');
      const saltBytes = Buffer.from(salt, 'base64url');
      scrypt(input, saltBytes, expected.length, params, (e, k) => (e ? reject(e) : resolve(k)));
    });
    return timingSafeEqual(actual, expected) && hash !== undefined;
  };
}

interface SessionEntry {
  state: LoginState;
  expiresAt: number;
}

const MAX_SESSIONS = 10_000;

/**
 * Sessions in memory behind a signed cookie: `id.HMAC-SHA256(id)`, HttpOnly, SameSite=Lax,
 * Secure (with the `__Host-` prefix) when the request came over HTTPS. A new id is issued
 * at every login step (no session fixation). The HMAC key is made at start, so a restart
 * logs everyone out, which suits a demo.
 *
 * @example
 * const sessions = new CookieSessions(3_600_000, Date.now);
 * sessions.set(req, res, { userId: 'ana', passwordAt: Date.now() });
 */
export class CookieSessions {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, SessionEntry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(req: Request): LoginState | undefined {
    const id = this.idOf(req);
    const entry = id === undefined ? undefined : this.entries.get(id);
    if (!entry || entry.expiresAt <= this.now()) return undefined;

    return entry.state;
  }

  set(req: Request, res: Response, state: LoginState): void {
    const old = this.idOf(req);
    if (old !== undefined) this.entries.delete(old);
    const id = randomBytes(18).toString('base64url');
    this.entries.set(id, { state, expiresAt: this.now() + this.ttlMs });
    if (this.entries.size > MAX_SESSIONS)
      this.entries.delete(this.entries.keys().next().value as string);

    res.cookie(cookieName(req), `${id}.${this.sign(id)}`, {
      httpOnly: true,
      secure: req.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: this.ttlMs,
    });
  }

  end(req: Request, res: Response): void {
    const id = this.idOf(req);
    if (id !== undefined) this.entries.delete(id);
    res.clearCookie(cookieName(req), {
      httpOnly: true,
      secure: req.secure,
      sameSite: 'lax',
      path: '/',
    });
  }

  private idOf(req: Request): string | undefined {
    const value = readCookie(req.get('cookie'), cookieName(req));
    const [id, signature] = value?.split('.') ?? [];
    if (id === undefined || signature === undefined) return undefined;

    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  private sign(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }
}

// `__Host-` makes the browser refuse the cookie unless Secure, host-only and Path=/.
function cookieName(req: Request): string {
  return req.secure ? '__Host-gh-session' : 'gh-session';
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
