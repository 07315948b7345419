import { type AuthLimitError, trustProxyError } from '../errors.js';

/**
 * The part of an Express application the check reads.
 *
 * @example
 * const settings: SettingsReader = express();
 */
export interface SettingsReader {
  get(setting: string): unknown;
}

/** Deeper than any real chain of proxies in front of one gateway. */
const DEEP_HOP = 10;
// Documentation addresses (RFC 5737, RFC 3849): no real proxy has them, so a setting that
// trusts them trusts whatever a client writes into X-Forwarded-For.
const NOBODY = ['203.0.113.7', '2001:db8::7'];

/**
 * Throws `ERR_AUTH_LIMIT_TRUST_PROXY` when Express's `trust proxy` trusts any address, as
 * `true` does: then `req.ip` is whatever the client wrote first in `X-Forwarded-For`, and an
 * attacker gets a fresh address, and a fresh limit, with every request (express-rate-limit
 * 134). Equivalents of `true` are refused too: a hop count above 10, ranges that cover the
 * Internet (`'0.0.0.0/1,128.0.0.0/1'`, `'::ffff:0:0/96'`) and a function that trusts every
 * address. `loginLimiter({ app })` calls it at start-up; the middleware checks again per
 * request.
 *
 * @example
 * app.set('trust proxy', 1); // one reverse proxy in front
 * assertTrustProxy(app);      // passes; with `true` it throws
 */
export function assertTrustProxy(app: SettingsReader): void {
  const error = trustProxyProblem(app);
  if (error) throw error;
}

/** The refusal for `app`'s `trust proxy`, or undefined when it names real proxies only. */
export function trustProxyProblem(app: SettingsReader): AuthLimitError | undefined {
  const setting = app.get('trust proxy');
  if (setting === true) return trustProxyError(setting);

  const trust = app.get('trust proxy fn');
  if (typeof trust === 'function' && trustsAnyone(trust as TrustFn)) {
    return trustProxyError(setting);
  }
  return undefined;
}

/**
 * A per-request check that asks the trust function only when it changed: Express compiles
 * a new one on every `app.set('trust proxy', ...)`.
 */
export function trustProxyWatch(): (app: SettingsReader | undefined) => AuthLimitError | undefined {
  let seen: unknown;
  let refused = false;

  return (app) => {
    if (!app) return undefined;
    const trust = app.get('trust proxy fn') ?? app.get('trust proxy');
    if (trust !== seen) {
      seen = trust;
      refused = trustProxyProblem(app) !== undefined;
    }
    return refused ? trustProxyError(app.get('trust proxy')) : undefined;
  };
}

/** Express's compiled `trust proxy fn`: is `address`, `hop` proxies away, a proxy? */
type TrustFn = (address: string, hop: number) => unknown;

function trustsAnyone(trust: TrustFn): boolean {
  return NOBODY.some((address) => {
    try {
      return trust(address, DEEP_HOP) === true;
    } catch {
      return false;
    }
  });
}
