import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Middleware that marks an answer `Cache-Control: no-store`, for login, second-factor and
 * token answers: a shared or browser cache must never keep them for the next user of the
 * machine or proxy (OWASP Authentication Cheat Sheet).
 *
 * @example
 * app.post('/login', noStore(), loginHandler);
 */
export function noStore() {
  return function noStoreMiddleware(
    _req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
