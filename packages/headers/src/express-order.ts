import type { Application } from 'express';
import { HeadersError } from './errors.js';
import type { SecurityHeadersMiddleware } from './express-security-headers.js';

/**
 * Throws `ERR_HEADERS_ORDER` unless `headers` is the first middleware of `app`. Anything
 * mounted before it (a rate limiter, a body parser, a static handler) can answer without
 * the security headers: a 429, a 413 or a file with no HSTS. Call it once at start-up,
 * after the routes are mounted.
 *
 * @example
 * const headers = securityHeaders();
 * app.use(headers);
 * app.use(limiter);
 * assertMountedFirst(app, headers);
 */
export function assertMountedFirst(app: Application, headers: SecurityHeadersMiddleware): void {
  const stack = (app.router as unknown as { stack?: Array<{ handle?: unknown; name?: string }> })
    .stack;
  const first = stack?.[0];
  if (first?.handle === headers) return;

  throw new HeadersError(
    'ERR_HEADERS_ORDER',
    '@galaxy-harden/headers: securityHeaders() must be the first middleware, but the first ' +
      `is ${first?.name ?? 'missing'}. Fix: call app.use(securityHeaders()) before any other ` +
      'app.use, route or static handler',
  );
}
