import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serviceAuth } from '../src/express.js';
import { createServiceVerifier, ServiceAuthError, signRequest } from '../src/index.js';
import { compileRoutes } from '../src/route-rules.js';
import { gatewayPeer, identities, runnerVerifier } from './helpers.js';

// `*` is one segment as sent. Express decodes %2F and %5C inside a `:param`, and WHATWG URL
// parsers read `\` as `/`, so these reach a `/jobs/:id` handler as `../admin`.
const DISGUISED = [
  '/jobs/..%2Fadmin',
  '/jobs/..%2fadmin',
  '/jobs/..%5Cadmin',
  '/jobs/..%5cadmin',
  '/jobs/..\\admin',
  '/jobs/a%2Fb',
];

describe('route rules and separators in disguise', () => {
  const rules = compileRoutes('routes', ['GET /jobs/*', 'GET /files/**']);

  it.each(DISGUISED)('GET /jobs/* does not match %s', (path) => {
    expect(rules.allows('GET', path)).toBe(false);
  });

  it.each(['/files/a%2Fb', '/files/a\\b/c'])('GET /files/** does not match %s', (path) => {
    expect(rules.allows('GET', path)).toBe(false);
  });

  it('still matches a plain segment and an encoded character that is no separator', () => {
    expect(rules.allows('GET', '/jobs/7')).toBe(true);
    expect(rules.allows('GET', '/jobs/a%20b')).toBe(true);
    expect(rules.allows('GET', '/jobs/..%2Fadmin?x=%2F')).toBe(false);
    expect(rules.allows('GET', '/jobs/7?next=%2Fadmin')).toBe(true);
  });

  it('refuses at start-up a rule segment no path can match', async () => {
    const { gateway, runner } = await identities();
    const peer = gatewayPeer(gateway, { routes: ['GET /files/a%2Fb'] });
    const error = await createServiceVerifier({ identity: runner, peers: [peer] }).catch(
      (caught: unknown) => caught as ServiceAuthError,
    );
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect((error as ServiceAuthError).message).toBe(
      '@galaxy-harden/service-auth: option peers[0].routes[0] has a bad path segment "a%2Fb", ' +
        'got "GET /files/a%2Fb"; write rules like "POST /jobs", "GET /jobs/*" or "GET /status/**"',
    );
  });
});

// node:http sends the request target byte for byte (supertest would resolve the backslash).
function get(server: Server, path: string, authorization: string): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path, headers: { authorization } };
    const req = httpRequest(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a signed call whose path hides a separator', () => {
  let ctx: Awaited<ReturnType<typeof runnerVerifier>>;
  let reached: string[];
  let server: Server;

  beforeAll(async () => {
    const app = express();
    app.get('/jobs/:id', (req, res, next) => serviceAuth(ctx.verifier)(req, res, next));
    app.get('/jobs/:id', (req, res) => {
      reached.push(req.params.id as string);
      res.json({ id: req.params.id });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    ctx = await runnerVerifier();
    reached = [];
  });

  it('reaches the handler with a plain id (the set-up works)', async () => {
    const signed = await signRequest(ctx.gateway, {
      audience: 'job-runner',
      method: 'GET',
      path: '/jobs/7',
      now: ctx.clock.now,
    });
    expect(await get(server, '/jobs/7', signed.authorization)).toBe(200);
    expect(reached).toEqual(['7']);
  });

  it.each(DISGUISED)('never reaches the /jobs/:id handler with %s', async (path) => {
    const signed = await signRequest(ctx.gateway, {
      audience: 'job-runner',
      method: 'GET',
      path,
      now: ctx.clock.now,
    });
    expect(await get(server, path, signed.authorization)).toBe(401);
    expect(reached).toEqual([]);
    expect(ctx.events.at(-1)).toMatchObject({
      type: 'service.rejected',
      code: 'ERR_SERVICE_AUTH_ROUTE',
      reason: 'token refused: gateway may not call this route',
    });
  });
});
