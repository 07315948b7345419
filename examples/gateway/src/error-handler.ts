import type { ErrorRequestHandler } from 'express';
import { GatewayError } from './errors.js';
import type { EventSink } from './events.js';

/**
 * Answers errors with `{ error: { code, message } }`: an unreachable job runner is 502, a
 * body that is not JSON 400, anything else a 500 that keeps its detail out of the answer.
 *
 * @example
 * app.use(gatewayErrorHandler(onEvent));
 */
export function gatewayErrorHandler(onEvent: EventSink): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);

    const { status, code, message } = classify(err);
    if (status >= 500) onEvent({ type: 'gateway.error', code, status });
    res.status(status).json({ error: { code, message } });
  };
}

function classify(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof GatewayError && err.code === 'ERR_GATEWAY_UPSTREAM') {
    return { status: 502, code: err.code, message: err.message };
  }

  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'ERR_GATEWAY_BODY', message: 'the body must be JSON of at most 16 KiB' };
  }

  return { status: 500, code: 'ERR_GATEWAY_INTERNAL', message: 'the gateway failed' };
}
