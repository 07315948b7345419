import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { securityErrorHandler } from '../src/express-error-handler.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { fieldValues } from './support/http.js';

function appThrowing(err: unknown, before?: express.RequestHandler) {
  const headers = securityHeaders();
  const seen: unknown[] = [];
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(headers);
  app.get('/', before ?? ((_req, _res, next) => next()), () => {
    throw err;
  });
  app.use(securityErrorHandler(headers, { onError: (e) => seen.push(e) }));
  return { app, seen };
}

describe('securityErrorHandler', () => {
  it('answers with the error status and its reason phrase only', async () => {
    const err = Object.assign(new Error('token abc.def.ghi expired'), { status: 403 });
    const { app, seen } = appThrowing(err);
    const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(403);
    expect(res.text).toBe('403 Forbidden\n');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(seen).toEqual([err]);
  });

  it.each([[{ status: '404' }], ['string error'], [{ status: 200 }], [{ statusCode: 999 }]])(
    'answers 500 for an error without a 4xx/5xx status: %j',
    async (err) => {
      const res = await request(appThrowing(err).app).get('/');
      expect(res.status).toBe(500);
    },
  );

  it('writes back headers a failing route removed or weakened', async () => {
    const { app } = appThrowing(new Error('x'), (_req, res, next) => {
      res.removeHeader('Content-Security-Policy');
      res.setHeader('Strict-Transport-Security', 'max-age=0');
      next();
    });
    const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
    expect(fieldValues(res, 'strict-transport-security')).toEqual([
      'max-age=31536000; includeSubDomains',
    ]);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it("keeps the error's own headers but never lets them override a security header", async () => {
    const err = Object.assign(new Error('slow down'), {
      status: 429,
      headers: {
        'Retry-After': '60',
        'strict-transport-security': 'max-age=0',
        'X-Bad': 'a\r\nSet-Cookie: x=1',
      },
    });
    const res = await request(appThrowing(err).app).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.headers['retry-after']).toBe('60');
    expect(fieldValues(res, 'strict-transport-security')).toEqual([
      'max-age=31536000; includeSubDomains',
    ]);
    expect(res.headers['x-bad']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('drops headers the failing route set (class: stale representation headers)', async () => {
    const { app } = appThrowing(new Error('export failed'), (_req, res, next) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Disposition', 'attachment; filename="results.tsv"');
      res.setHeader('Content-Language', 'de');
      res.setHeader('Content-Range', 'bytes 0-9/100');
      next();
    });
    const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(500);
    expect(res.text).toBe('500 Internal Server Error\n');
    for (const name of ['content-encoding', 'content-disposition', 'content-language']) {
      expect(fieldValues(res, name), name).toEqual([]);
    }
    expect(fieldValues(res, 'content-range')).toEqual([]);
  });

  it("keeps a 416's own Content-Range, which describes the error itself", async () => {
    const err = Object.assign(new Error('range'), {
      status: 416,
      headers: { 'Content-Range': 'bytes */100' },
    });
    const res = await request(appThrowing(err).app).get('/');
    expect(res.status).toBe(416);
    expect(fieldValues(res, 'content-range')).toEqual(['bytes */100']);
  });

  it('takes no framing header from err.headers (class: response framing)', async () => {
    const err = Object.assign(new Error('busy'), {
      status: 503,
      headers: {
        'Transfer-Encoding': 'chunked',
        'Content-Length': '5',
        'Content-Encoding': 'gzip',
        'Content-Type': 'text/html',
        Connection: 'close',
        'Retry-After': '30',
      },
    });
    const res = await request(appThrowing(err).app).get('/');
    expect(res.status).toBe(503);
    expect(fieldValues(res, 'transfer-encoding')).toEqual([]);
    expect(fieldValues(res, 'content-length')).toEqual(['24']);
    expect(fieldValues(res, 'content-encoding')).toEqual([]);
    expect(fieldValues(res, 'content-type')).toEqual(['text/plain; charset=utf-8']);
    expect(fieldValues(res, 'retry-after')).toEqual(['30']);
    expect(res.text).toBe('503 Service Unavailable\n');
  });

  it('hands the error on when the answer has already started', async () => {
    const headers = securityHeaders();
    const app = express();
    app.use(headers);
    app.get('/', (_req, res, next) => {
      res.write('partial');
      next(new Error('late'));
    });
    app.use(securityErrorHandler(headers));
    await expect(request(app).get('/')).rejects.toThrow();
  });
});
