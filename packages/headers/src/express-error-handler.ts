import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { optionError } from './errors.js';
import type { SecurityHeadersMiddleware } from './express-security-headers.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Options of {@link securityErrorHandler}.
 *
 * @example
 * const options: SecurityErrorHandlerOptions = { onError: (err) => log.error(err) };
 * app.use(securityErrorHandler(headers, options));
 */
export interface SecurityErrorHandlerOptions {
  /**
   * Called with every error before the answer is written, e.g. to log it. The answer
   * itself never shows the error's message or stack. Defaults to none.
   */
  onError?: (err: unknown, req: Parameters<ErrorRequestHandler>[1]) => void;
}

const ERROR_HANDLER_OPTION_KEYS = optionNames<SecurityErrorHandlerOptions>({ onError: true });

/**
 * The error-handler companion of {@link securityHeaders}: mount it last. It writes the
 * security headers again (a failing route may have removed or weakened one, or thrown
 * before they were complete), marks the answer `no-store`, and answers with the error's
 * 4xx/5xx status and its standard reason phrase only, so no stack or secret leaks.
 * Headers the error carries (`err.headers`, e.g. `Retry-After`) are kept unless they
 * would override a security header.
 *
 * @example
 * const headers = securityHeaders();
 * app.use(headers);
 * // ...routes...
 * app.use(securityErrorHandler(headers, { onError: (err) => log.error(err) }));
 */
export function securityErrorHandler(
  headers: SecurityHeadersMiddleware,
  options: SecurityErrorHandlerOptions = {},
): ErrorRequestHandler {
  checkArguments(headers, options);
  const managed = headers.headerSet.names;

  return function securityErrorHandlerMiddleware(err, req, res, next) {
    options.onError?.(err, req);
    if (res.headersSent) {
      next(err);
      return;
    }

    const status = statusOf(err);
    for (const name of STALE) res.removeHeader(name);
    copyErrorHeaders(err, res, managed);
    headers.applyTo(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(status)
      .type('text/plain')
      .send(`${status} ${STATUS_CODES[status] ?? 'Error'}\n`);
  };
}

function checkArguments(headers: unknown, options: SecurityErrorHandlerOptions): void {
  if (typeof (headers as Partial<SecurityHeadersMiddleware>)?.applyTo !== 'function') {
    throw optionError(
      'headers',
      headers,
      'it must be the middleware securityHeaders() returned',
      'const headers = securityHeaders(); app.use(headers); ... securityErrorHandler(headers)',
    );
  }
  assertKnownKeys('', options, ERROR_HANDLER_OPTION_KEYS);
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw optionError(
      'onError',
      options.onError,
      'it must be a function',
      'pass (err) => log(err)',
    );
  }
}

// Headers a failing route may have set for the answer it meant to send. Left on the error
// page, `Content-Encoding: gzip` makes its plain text undecodable and `Content-Disposition`
// saves it as the download's file; finalhandler drops the first three for the same reason.
const STALE = ['Content-Encoding', 'Content-Language', 'Content-Range', 'Content-Disposition'];

// Never taken from err.headers: they describe the framing of the error page, which
// res.send computes. A copied `Transfer-Encoding` next to its Content-Length would send
// both, the ambiguity that lets a proxy in front split responses (RFC 9112 §6.3).
const FRAMING = new Set([
  'content-length',
  'transfer-encoding',
  'content-encoding',
  'content-type',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
]);

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
    const lower = name.toLowerCase();
    if (managed.has(lower) || FRAMING.has(lower) || typeof value !== 'string') continue;
    try {
      res.setHeader(name, value);
    } catch {
      // An invalid name or value (CR/LF injection) is dropped, never echoed.
    }
  }
}
