import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import { securityErrorHandler } from '../../src/express-error-handler.js';
import {
  type SecurityHeadersOptions,
  securityHeaders,
} from '../../src/express-security-headers.js';

/** Routes answering with every status class the cases table lists. */
export const ROUTES = [
  ['GET', '/ok', 200],
  ['GET', '/moved', 302],
  ['GET', '/private', 401],
  ['GET', '/missing', 404],
  ['POST', '/upload', 413],
  ['GET', '/limited', 429],
  ['GET', '/boom', 500],
  ['GET', '/static/app.js', 200],
  ['GET', '/static/none.js', 404],
  ['GET', '/download', 200],
] as const;

/**
 * A Galaxy-like app: headers first, then a limiter, a body parser, static files, a
 * download, a redirect and failing routes, and the error-handler companion last.
 */
export function headersTestApp(options: SecurityHeadersOptions = {}): Express {
  const dir = fileURLToPath(new URL('../fixtures/static/', import.meta.url));
  const headers = securityHeaders(options);
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(headers);
  app.use('/limited', rateLimit({ windowMs: 60_000, limit: 1, standardHeaders: 'draft-8' }));
  app.get('/limited', (_req, res) => res.send('within the limit'));
  app.post('/upload', express.json({ limit: '10b' }), (_req, res) => res.send('stored'));
  app.use('/static', express.static(dir, { fallthrough: false }));
  app.get('/ok', (_req, res) => res.send(`<p>nonce ${res.locals.cspNonce}</p>`));
  app.get('/moved', (_req, res) => res.redirect('/ok'));
  app.get('/private', (_req, res) => res.status(401).send('log in first'));
  app.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/download', (_req, res) => res.download(join(dir, 'result.tsv')));
  app.get('/weakened', (_req, res) => {
    res.setHeader('Strict-Transport-Security', 'max-age=0');
    res.send('a route that undoes HSTS');
  });
  app.use(securityErrorHandler(headers));
  return app;
}
