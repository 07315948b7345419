import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { SecurityHeadersMiddleware } from './express-security-headers.js';

/** Options of {@link securityErrorHandler}. */
export interface SecurityErrorHandlerOptions {
  /**
   * Called with every error before the answer is written, e.g. to log it. The answer
   * itself never shows the error's message or stack.
   */
  onError?: (err: unknown, req: Parameters<ErrorRequestHandler>[1]) => void;
}

/**
 * The error-handler companion of {@link securityHeaders}: mount it last. It writes the
 * security headers again (a failing route may have removed or weakened one, or thrown
 * before they were complete), marks the answer `no-store`, and answers with the error's
 * 4xx/5xx status and its standard reason phrase only, so no stack or secret leaks.
 * Headers the error carries (`err.headers`, e.g. `Retry-After`) are kept unless they
 * would override a security header.
 *
 * @example
 * ```ts
 * const headers = securityHeaders();
 * app.use(headers);
 * // ...routes...
 * app.use(securityErrorHandler(headers, { onError: (err) => log.error(err) }));
 * ```
 */
export function securityErrorHandler(
  headers: SecurityHeadersMiddleware,
  options: SecurityErrorHandlerOptions = {},
): ErrorRequestHandler {
  const managed = headers.headerSet.names;

  return function securityErrorHandlerMiddleware(err, req, res, next) {
    options.onError?.(err, req);
    if (res.headersSent) {
      next(err);
      return;
    }

    const status = statusOf(err);
    copyErrorHeaders(err, res, managed);
    headers.applyTo(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(status)
      .type('text/plain')
      .send(`${status} ${STATUS_CODES[status] ?? 'Error'}\n`);
  };
}

function statusOf(err: unknown): number {
  const { status, statusCode } = (err ?? {}) as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  if (typeof candidate === 'number' && Number.isInteger(candidate)) {
    if (candidate >= 400 && candidate < 600) return candidate;
  }
  return 500;
}

function copyErrorHeaders(
  err: unknown,
  res: Parameters<ErrorRequestHandler>[2],
  managed: ReadonlySet<string>,
): void {
  const extra = (err as { headers?: unknown } | null)?.headers;
  if (typeof extra !== 'object' || extra === null) return;

  for (const [name, value] of Object.entries(extra)) {
    if (managed.has(name.toLowerCase()) || typeof value !== 'string') continue;
    try {
      res.setHeader(name, value);
    } catch {
      // An invalid name or value (CR/LF injection) is dropped, never echoed.
    }
  }
}
