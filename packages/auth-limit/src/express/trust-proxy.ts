import { trustProxyError } from '../errors.js';

/**
 * The part of an Express application the check reads.
 *
 * @example
 * const settings: SettingsReader = express();
 */
export interface SettingsReader {
  get(setting: string): unknown;
}

/**
 * Throws `ERR_AUTH_LIMIT_TRUST_PROXY` when Express's `trust proxy` is `true`: then
 * `req.ip` is whatever the client wrote first in `X-Forwarded-For`, and an attacker gets
 * a fresh address, and a fresh limit, with every request (express-rate-limit 134).
 * `loginLimiter({ app })` calls it at start-up; the middleware checks again per request.
 *
 * @example
 * app.set('trust proxy', 1); // one reverse proxy in front
 * assertTrustProxy(app);      // passes; with `true` it throws
 */
export function assertTrustProxy(app: SettingsReader): void {
  if (app.get('trust proxy') === true) throw trustProxyError();
}
