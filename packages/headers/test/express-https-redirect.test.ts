import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HeadersError } from '../src/errors.js';
import type { HeadersEvent } from '../src/events.js';
import { securityErrorHandler } from '../src/express-error-handler.js';
import { httpsRedirect } from '../src/express-https-redirect.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { thrown } from './support/thrown.js';

function app(events: HeadersEvent[] = [], httpsPort?: number) {
  const headers = securityHeaders();
  const server = express();
  server.set('trust proxy', 'loopback');
  server.use(headers);
  server.use(
    httpsRedirect({
      allowedHosts: ['galaxy.test', 'www.galaxy.test'],
      httpsPort,
      onEvent: (e) => events.push(e),
      now: () => 5,
    }),
  );
  server.all('/{*rest}', (_req, res) => res.send('secure content'));
  server.use(securityErrorHandler(headers));
  return server;
}

describe('httpsRedirect', () => {
  it.each([
    ['GET', 301],
    ['HEAD', 301],
    ['POST', 308],
    ['PUT', 308],
    ['DELETE', 308],
  ])('answers a plain-HTTP %s with %i to the same path on HTTPS', async (method, status) => {
    const res = await request(app())
      [method.toLowerCase() as 'get'](`/api/jobs?tool=sed`)
      .set('Host', 'galaxy.test');
    expect(res.status).toBe(status);
    expect(res.headers.location).toBe('https://galaxy.test/api/jobs?tool=sed');
  });

  it('keeps a non-default HTTPS port and normalises the host case and port', async () => {
    const res = await request(app([], 8443)).get('/').set('Host', 'WWW.Galaxy.Test:8080');
    expect(res.headers.location).toBe('https://www.galaxy.test:8443/');
  });

  it.each([
    ['evil.example'],
    ['galaxy.test.evil.example'],
    ['evil.example/galaxy.test'],
    ['galaxy.test@evil.example'],
    [''],
  ])('refuses a Host outside the allowlist (no open redirect): %j', async (host) => {
    const events: HeadersEvent[] = [];
    const res = await request(app(events)).get('/').set('Host', host);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(events).toEqual([
      { type: 'headers.host-rejected', at: 5, ip: expect.any(String), host },
    ]);
  });

  it('passes the HostError to next with code and status', async () => {
    const seen: unknown[] = [];
    const server = express();
    server.use(httpsRedirect({ allowedHosts: ['galaxy.test'] }));
    server.use(
      (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        seen.push(err);
        res.status(400).end();
      },
    );
    await request(server).get('/').set('Host', 'evil.example');
    expect(seen[0]).toBeInstanceOf(HeadersError);
    expect(seen[0]).toMatchObject({ code: 'ERR_HEADERS_HOST', status: 400 });
  });

  it('lets requests through that a trusted proxy marks as HTTPS', async () => {
    const res = await request(app())
      .get('/')
      .set('Host', 'galaxy.test')
      .set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(200);
  });

  it('redirects when X-Forwarded-Proto: https comes from an untrusted peer', async () => {
    const server = express();
    server.use(httpsRedirect({ allowedHosts: ['galaxy.test'] }));
    server.get('/', (_req, res) => res.send('secure content'));
    const res = await request(server)
      .get('/')
      .set('Host', 'galaxy.test')
      .set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(301);
  });

  it.each([
    ['', 'non-empty array'],
    [[], 'non-empty array'],
    [['https://galaxy.test'], 'bare host name'],
    [['galaxy.test:443'], 'bare host name'],
    [['galaxy.test/'], 'bare host name'],
    [['*.galaxy.test'], 'bare host name'],
  ])('refuses allowedHosts %j at start-up', (allowedHosts, rule) => {
    const err = thrown(() => httpsRedirect({ allowedHosts: allowedHosts as string[] }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain('option allowedHosts got');
    expect(err.message).toContain(rule);
  });

  it.each([0, 70_000, 1.5])('refuses httpsPort %s', (httpsPort) => {
    const err = thrown(() => httpsRedirect({ allowedHosts: ['galaxy.test'], httpsPort }));
    expect(err.message).toContain('option httpsPort got');
  });
});
