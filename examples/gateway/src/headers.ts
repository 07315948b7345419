import {
  assertMountedFirst,
  type SecurityHeadersMiddleware,
  securityHeaders,
} from '@galaxy-harden/headers/express';
import type { Express } from 'express';
import type { EventSink } from './events.js';

/**
 * The gateway's security headers (@galaxy-harden/headers): HSTS on HTTPS answers, the
 * gateway CSP with a nonce in `res.locals.cspNonce`, the other helmet headers, and the
 * `Proxy` request header removed. Its events (`headers.*`) go to the gateway's sink.
 *
 * @example
 * const headers = gatewayHeaders(onEvent);
 * app.use(headers); // first
 * // ...everything else...
 * assertHeadersFirst(app, headers);
 */
export function gatewayHeaders(onEvent: EventSink): SecurityHeadersMiddleware {
  return securityHeaders({ onEvent });
}

/**
 * Throws at start-up unless the headers middleware is the app's first, so no limiter,
 * parser or static handler can answer without the headers.
 *
 * @example
 * assertHeadersFirst(app, headers);
 */
export function assertHeadersFirst(app: Express, headers: SecurityHeadersMiddleware): void {
  assertMountedFirst(app, headers);
}
