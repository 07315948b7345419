import {
  type SecurityHeadersMiddleware,
  securityErrorHandler,
} from '@galaxy-harden/headers/express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { GatewayError } from './errors.js';
import type { EventSink } from './events.js';

interface KnownError {
  status: number;
  code: string;
  message: string;
}

// What a failing route may have set for the answer it meant to send; on a JSON error they
// would make it undecodable (`Content-Encoding`) or a download (`Content-Disposition`).
// The same four @galaxy-harden/headers' securityErrorHandler drops.
const STALE = ['Content-Encoding', 'Content-Language', 'Content-Range', 'Content-Disposition'];

/**
 * The gateway's last middleware. The errors the gateway knows get JSON
 * `{ error: { code, message } }`: 502 for a job runner that does not answer, 4xx for a body
 * that is not JSON. Every other error goes to `securityErrorHandler` from
 * `@galaxy-harden/headers`: its status and reason phrase only, never a message or a stack.
 * Both kinds drop the content headers of the answer that failed, write the security
 * headers again and are `no-store`; a 5xx is reported as `gateway.error`.
 *
 * @example
 * const headers = gatewayHeaders(onEvent);
 * app.use(headers);
 * // ...routes...
 * app.use(gatewayErrorHandler(headers, onEvent));
 */
export function gatewayErrorHandler(
  headers: SecurityHeadersMiddleware,
  onEvent: EventSink,
): ErrorRequestHandler {
  const fallback = securityErrorHandler(headers, {
    onError: (err) => reportIfServerError(onEvent, 'ERR_GATEWAY_INTERNAL', statusOf(err)),
  });

  return function gatewayErrorHandlerMiddleware(err, req, res, next) {
    const known = res.headersSent ? undefined : classify(err);
    if (known === undefined) return fallback(err, req, res, next);

    reportIfServerError(onEvent, known.code, known.status);
    prepareErrorAnswer(headers, req, res);
    res.status(known.status).json({ error: { code: known.code, message: known.message } });
  };
}

function classify(err: unknown): KnownError | undefined {
  if (err instanceof GatewayError && err.code === 'ERR_GATEWAY_UPSTREAM') {
    return { status: 502, code: err.code, message: err.message };
  }

  // body-parser marks its own errors with a `type` (`entity.parse.failed`,
  // `entity.too.large`, ...); a 4xx from anywhere else is not about the body.
  const { status, type } = (err ?? {}) as { status?: unknown; type?: unknown };
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'ERR_GATEWAY_BODY', message: 'the body must be JSON of at most 16 KiB' };
  }

  return undefined;
}

function prepareErrorAnswer(headers: SecurityHeadersMiddleware, req: Request, res: Response) {
  for (const name of STALE) res.removeHeader(name);
  headers.applyTo(req, res);
  res.setHeader('Cache-Control', 'no-store');
}

// As securityErrorHandler picks the status: the error's own 4xx or 5xx, else 500.
function statusOf(err: unknown): number {
  const { status, statusCode } = (err ?? {}) as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  if (Number.isInteger(candidate) && (candidate as number) >= 400 && (candidate as number) < 600) {
    return candidate as number;
  }

  return 500;
}

function reportIfServerError(onEvent: EventSink, code: string, status: number): void {
  if (status >= 500) onEvent({ type: 'gateway.error', code, status });
}
