import type { NextFunction, Request, Response } from 'express';
import { HeadersError } from './errors.js';
import { eventReporter, type OnHeadersEvent } from './events.js';
import {
  type HttpsRedirectOptions,
  planHttpsRedirect,
  REDIRECT_OPTION_KEYS,
} from './https-redirect-target.js';
import { assertKnownKeys, optionNames, withoutKeys } from './option-keys.js';

/**
 * Options of {@link httpsRedirect}.
 *
 * @example
 * const options: HttpsRedirectMiddlewareOptions = { allowedHosts: ['usegalaxy.example'] };
 */
export interface HttpsRedirectMiddlewareOptions extends HttpsRedirectOptions {
  /** Receives `headers.host-rejected`. Defaults to none. */
  onEvent?: OnHeadersEvent;
  /** Clock for event timestamps, in ms. Defaults to `Date.now`. */
  now?: () => number;
}

const EXPRESS_ONLY_KEYS = optionNames<
  Omit<HttpsRedirectMiddlewareOptions, keyof HttpsRedirectOptions>
>({ onEvent: true, now: true });

/**
 * Sends every plain-HTTP request to HTTPS on the same, allow-listed host: 301 for GET and
 * HEAD, 308 for other methods so a POST is not silently turned into a GET (RFC 9110
 * §15.4.9). "Plain" is `!req.secure`, which follows `trust proxy`. A host outside the
 * list goes to `next()` as a `HeadersError` `ERR_HEADERS_HOST` with status 400.
 *
 * @example
 * app.use(securityHeaders());
 * app.use(httpsRedirect({ allowedHosts: ['usegalaxy.example'] }));
 */
export function httpsRedirect(options: HttpsRedirectMiddlewareOptions) {
  assertKnownKeys('', options, [...REDIRECT_OPTION_KEYS, ...EXPRESS_ONLY_KEYS]);
  const plan = planHttpsRedirect(withoutKeys(options ?? {}, EXPRESS_ONLY_KEYS));
  const report = eventReporter(options.onEvent, options.now);

  return function httpsRedirectMiddleware(req: Request, res: Response, next: NextFunction) {
    if (req.secure) {
      next();
      return;
    }

    const target = plan(req.method, req.headers.host, req.originalUrl);
    if (target === undefined) {
      const host = String(req.headers.host ?? '').slice(0, 255);
      report?.({ type: 'headers.host-rejected', ip: req.ip, host });
      next(new HeadersError('ERR_HEADERS_HOST', 'host not served here', { status: 400 }));
      return;
    }
    res.statusCode = target.status;
    res.setHeader('Location', target.location);
    res.setHeader('Content-Length', '0');
    res.end();
  };
}
