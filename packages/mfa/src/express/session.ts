import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { optionError } from '../errors.js';
import type { LoginState } from '../login-state.js';
import { assertKnownKeys, optionNames } from '../option-keys.js';

/**
 * What the middleware needs from the app's session: read, replace and end the login state
 * of the request's session. No HTTP session library is assumed; adapt yours in a few lines.
 * `set` is called only when the login's strength changes, so rotate the session id there.
 *
 * @example
 * const session: SessionAccess = {
 *   get: (req) => req.session.login,
 *   set: (req, _res, state) => void (req.session.login = state),
 *   end: (req) => new Promise((done) => req.session.destroy(() => done())),
 * };
 */
export interface SessionAccess {
  get(req: Request): LoginState | undefined | Promise<LoginState | undefined>;
  set(req: Request, res: Response, state: LoginState): void | Promise<void>;
  end(req: Request, res: Response): void | Promise<void>;
}

/**
 * Options of {@link MemorySessions}.
 *
 * @example
 * const options: MemorySessionsOptions = { secure: false, ttlMs: 3600_000 };
 */
export interface MemorySessionsOptions {
  /** Cookie name; defaults to `__Host-gh-session` (or `gh-session` without `secure`). */
  cookieName?: string;
  /** Set the cookie's `Secure` flag; defaults to true. Plain-HTTP loopback demos set false. */
  secure?: boolean;
  /** Session lifetime in milliseconds; defaults to 8 hours. */
  ttlMs?: number;
  /** Most sessions held; the oldest is dropped beyond it. Defaults to 100 000. */
  maxSessions?: number;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

const SESSION_OPTIONS = optionNames<MemorySessionsOptions>({
  cookieName: true,
  secure: true,
  ttlMs: true,
  maxSessions: true,
  now: true,
});

interface Entry {
  state: LoginState;
  expiresAt: number;
}

/**
 * An in-memory {@link SessionAccess} for tests and the demo: an opaque random id in an
 * HttpOnly, SameSite=Lax cookie, the login state on the server. Every `set` issues a new
 * id (no session fixation across the password and second-factor steps).
 *
 * @example
 * const sessions = new MemorySessions({ secure: false });
 * app.post('/login', async (req, res) => {
 *   await sessions.set(req, res, { userId: 'ana', passwordAt: Date.now() });
 * });
 */
export class MemorySessions implements SessionAccess {
  private readonly entries = new Map<string, Entry>();
  private readonly cookieName: string;
  private readonly secure: boolean;
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: MemorySessionsOptions = {}) {
    assertKnownKeys('sessions', options, SESSION_OPTIONS);
    this.secure = options.secure ?? true;
    this.cookieName = options.cookieName ?? (this.secure ? '__Host-gh-session' : 'gh-session');
    this.ttlMs = positive('sessions.ttlMs', options.ttlMs ?? 8 * 3600_000);
    this.maxSessions = positive('sessions.maxSessions', options.maxSessions ?? 100_000);
    this.now = options.now ?? Date.now;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(this.cookieName)) {
      throw optionError(
        'sessions.cookieName',
        this.cookieName,
        'must be an RFC 6265 token',
        "use letters, digits and '-'",
      );
    }
  }

  get(req: Request): LoginState | undefined {
    const id = this.idOf(req);
    const entry = id === undefined ? undefined : this.entries.get(id);
    if (!entry || !id) return undefined;
    if (entry.expiresAt > this.now()) return { ...entry.state };

    this.entries.delete(id);
    return undefined;
  }

  set(req: Request, res: Response, state: LoginState): void {
    this.drop(req);
    if (this.entries.size >= this.maxSessions) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }

    const id = randomBytes(32).toString('base64url');
    this.entries.set(id, { state: { ...state }, expiresAt: this.now() + this.ttlMs });
    res.append('Set-Cookie', this.cookie(id, Math.floor(this.ttlMs / 1000)));
  }

  end(req: Request, res: Response): void {
    this.drop(req);
    res.append('Set-Cookie', this.cookie('', 0));
  }

  private drop(req: Request): void {
    const id = this.idOf(req);
    if (id !== undefined) this.entries.delete(id);
  }

  private idOf(req: Request): string | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === this.cookieName) return value.join('=');
    }

    return undefined;
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const flags = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (this.secure) flags.push('Secure');

    return [`${this.cookieName}=${value}`, ...flags].join('; ');
  }
}

function positive(option: string, value: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;

  throw optionError(
    option,
    value,
    'must be a whole number above 0',
    'leave it unset for the default',
  );
}
