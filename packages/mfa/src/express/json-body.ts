import express, { type NextFunction, type Request, type Response } from 'express';
import { deny, type Responder } from './respond.js';

// A code is six digits and a recovery code fourteen characters: 2 KiB is ample for either.
const LIMIT = '2kb';

/**
 * Parses JSON bodies of at most 2 KiB and answers a body it cannot take itself (400
 * `invalid_request`, 413 `request_too_large`). The parser's own error is never handed to
 * `next(err)`: it carries the raw body as `err.body` (and newer Node versions quote it in
 * the message), so a code or recovery code would reach the app's error log.
 */
export function jsonBody(responder: Responder) {
  const parse = express.json({ limit: LIMIT });

  return function jsonBodyHandler(req: Request, res: Response, next: NextFunction): void {
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();

      const status = (err as { status?: unknown }).status;
      deny(responder, req, res, status === 413 ? 'request_too_large' : 'invalid_request');
    });
  };
}

/**
 * The submitted `code`, read only from a JSON body: a form field parsed by an app-wide
 * `urlencoded()` parser mounted earlier is ignored, so a cross-site form (which needs no CORS
 * preflight) can never submit a code.
 */
export function codeOf(req: Request): unknown {
  const body: unknown = req.body;
  if (!req.is('application/json') || body === null || typeof body !== 'object') return undefined;

  return (body as { code?: unknown }).code;
}
