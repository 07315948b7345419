import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { assertBooleanOption } from './errors.js';
import { eventReporter, type OnHeadersEvent, type UnstampedEvent } from './events.js';
import { removeProxyHeader } from './httpoxy.js';
import { assertKnownKeys, optionNames, withoutKeys } from './option-keys.js';
import {
  HEADER_OPTION_KEYS,
  type SecurityHeaderOptions,
  SecurityHeaderSet,
} from './security-header-set.js';

/**
 * Options of {@link securityHeaders}.
 *
 * @example
 * app.use(securityHeaders({ onEvent: audit } satisfies SecurityHeadersOptions));
 */
export interface SecurityHeadersOptions extends SecurityHeaderOptions {
  /**
   * Keep the `Proxy` request header instead of removing it (httpoxy). Defaults to `false`;
   * only for an app that has no outgoing HTTP client at all.
   */
  unsafeKeepProxyHeader?: boolean;
  /**
   * Receives `headers.proxy-header-removed` and `headers.forwarded-proto-ignored`. Defaults
   * to none.
   */
  onEvent?: OnHeadersEvent;
  /** Clock for event timestamps, in ms. Defaults to `Date.now`. */
  now?: () => number;
}

/**
 * The middleware, carrying its header set so the error handler can apply it again.
 *
 * @example
 * const headers: SecurityHeadersMiddleware = securityHeaders();
 */
export type SecurityHeadersMiddleware = RequestHandler & {
  /** Writes the headers to `res` as the middleware does. */
  readonly applyTo: (req: Request, res: Response) => void;
  readonly headerSet: SecurityHeaderSet;
};

/**
 * helmet's headers with Galaxy defaults: HSTS for a year with subdomains on secure requests
 * only, a gateway CSP with a per-answer nonce in `res.locals.cspNonce`, a Permissions-Policy,
 * and the `Proxy` request header removed. "Secure" is `req.secure`, which follows Express's
 * `trust proxy` setting, so `X-Forwarded-Proto` counts only from a trusted proxy.
 *
 * Mount it first (see {@link assertMountedFirst}): answers made by middleware mounted
 * before it, such as a limiter's 429 or a body parser's 413, would carry no headers.
 *
 * @example
 * const headers = securityHeaders();
 * app.use(headers);
 * app.get('/', (req, res) => res.send(`<script nonce="${res.locals.cspNonce}">go()</script>`));
 * app.use(securityErrorHandler(headers));
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): SecurityHeadersMiddleware {
  assertKnownKeys('', options, [...HEADER_OPTION_KEYS, ...EXPRESS_ONLY_KEYS]);
  const set = new SecurityHeaderSet(withoutKeys(options, EXPRESS_ONLY_KEYS));
  const stripProxy = !(options.unsafeKeepProxyHeader ?? false);
  assertBooleanOption('unsafeKeepProxyHeader', options.unsafeKeepProxyHeader ?? false);
  const report = eventReporter(options.onEvent, options.now);

  // The error handler calls applyTo again on the same request; events are reported by the
  // middleware alone, so one forged header is one event.
  const write = (res: Response, secure: boolean) => {
    const nonce = set.apply(res, secure);
    if (nonce !== undefined) res.locals.cspNonce = nonce;
  };
  const applyTo = (req: Request, res: Response) => write(res, req.secure);
  const middleware = function securityHeadersMiddleware(
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    if (stripProxy && req.headers.proxy !== undefined) stripAndReport(req, report);
    const secure = req.secure;
    if (report && !secure) noteForgedProto(req, report);
    write(res, secure);
    next();
  };
  return Object.assign(middleware, { applyTo, headerSet: set });
}

const EXPRESS_ONLY_KEYS = optionNames<Omit<SecurityHeadersOptions, keyof SecurityHeaderOptions>>({
  unsafeKeepProxyHeader: true,
  onEvent: true,
  now: true,
});

type Report = (event: UnstampedEvent) => void;

function stripAndReport(req: Request, report: Report | undefined): void {
  removeProxyHeader(req);
  report?.({ type: 'headers.proxy-header-removed', ip: req.ip, path: req.path });
}

// A forged X-Forwarded-Proto from an untrusted peer is ignored by req.secure; reporting it
// shows either an attack or a `trust proxy` setting that misses the real proxy.
function noteForgedProto(req: Request, report: Report): void {
  const proto = req.headers['x-forwarded-proto'];
  if (typeof proto !== 'string' || !/^\s*https\s*(,|$)/i.test(proto)) return;

  report({ type: 'headers.forwarded-proto-ignored', ip: req.ip, path: req.path });
}
