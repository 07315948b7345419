import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../examples/gateway/src/events.js';
import { gatewayLogin } from '../../examples/gateway/src/login.js';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { fields, type RawAnswer, rawRequest } from '../headers/support/raw-request.js';
import { freePort } from '../support/redis-server.js';

// Error answers of the demo gateway as a client sees them over HTTPS: a route that throws
// gets the security headers again and no trace of the error. Express's own handler would
// print the stack here, since NODE_ENV is not 'production' under the test runner.
const SECRET = 'db-password-hunter2';
const HSTS = 'max-age=31536000; includeSubDomains';

let gateway: RunningGateway;
let ca = '';
const events: SecurityEvent[] = [];

// A route that broke its own answer before throwing: weakened HSTS, no CSP, a download
// name and a compression its error page does not have.
function failing(error: Error) {
  return (_req: Request, res: Response) => {
    res.setHeader('Strict-Transport-Security', 'max-age=0');
    res.removeHeader('Content-Security-Policy');
    res.setHeader('Content-Disposition', 'attachment; filename="export.csv"');
    res.setHeader('Content-Encoding', 'gzip');
    throw error;
  };
}

beforeAll(async () => {
  const onEvent = (event: SecurityEvent) => void events.push(event);
  const login = gatewayLogin({ onEvent });
  login.router.get('/export', failing(new Error(`cannot connect with ${SECRET}`)));
  login.router.get('/export-async', async () => {
    throw new TypeError(`undefined is not a function near ${SECRET}`);
  });
  login.router.get('/forbidden', failing(Object.assign(new Error(SECRET), { status: 403 })));
  gateway = await startGateway({
    port: 0,
    https: { httpPort: 0 },
    jobRunnerUrl: `http://127.0.0.1:${await freePort()}`,
    login,
    onEvent,
  });
  ca = gateway.certificate?.cert ?? '';
});

afterAll(async () => {
  await gateway?.close();
});

function expectNoTrace(answer: RawAnswer): void {
  expect(answer.body).not.toContain(SECRET);
  // A stack: `TypeError: ...` then `    at fn (file.js:1:2)` lines.
  expect(answer.body).not.toMatch(/\w*Error:|^\s+at /m);
}

function expectSecurityHeaders(answer: RawAnswer): void {
  expect(fields(answer, 'strict-transport-security')).toEqual([HSTS]);
  expect(fields(answer, 'content-security-policy')).toEqual([
    expect.stringContaining("default-src 'self'"),
  ]);
  expect(fields(answer, 'x-content-type-options')).toEqual(['nosniff']);
  expect(fields(answer, 'cache-control')).toEqual(['no-store']);
}

describe('the demo gateway answering errors', () => {
  it('runs where a stack trace would show: NODE_ENV is not production', () => {
    expect(process.env.NODE_ENV).not.toBe('production');
  });

  it.each([
    ['/export', 500, '500 Internal Server Error\n'],
    ['/export-async', 500, '500 Internal Server Error\n'],
    ['/forbidden', 403, '403 Forbidden\n'],
  ])(
    'answers a throw in GET %s with %i, the headers again and no trace',
    async (path, status, body) => {
      const answer = await rawRequest(`${gateway.url}${path}`, { ca });

      expect([answer.status, answer.body]).toEqual([status, body]);
      expectSecurityHeaders(answer);
      expectNoTrace(answer);
      expect(fields(answer, 'content-disposition')).toEqual([]);
      expect(fields(answer, 'content-encoding')).toEqual([]);
    },
  );

  it('reports a thrown 500 as gateway.error, without the message', () => {
    const reported = events.filter((event) => event.type === 'gateway.error');

    expect(reported).toContainEqual({
      type: 'gateway.error',
      code: 'ERR_GATEWAY_INTERNAL',
      status: 500,
    });
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('answers a body that is not JSON with its JSON error, headers and all', async () => {
    const answer = await rawRequest(`${gateway.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
      ca,
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 'ERR_GATEWAY_BODY', message: 'the body must be JSON of at most 16 KiB' },
    });
    expectSecurityHeaders(answer);
  });

  it('answers a forged Host on the plain-HTTP port with a bare 400, no trace', async () => {
    const answer = await rawRequest(`${gateway.httpUrl}/login`, {
      headers: { Host: 'evil.example' },
    });

    expect([answer.status, answer.body]).toEqual([400, '400 Bad Request\n']);
    expect(answer.body).not.toContain('ERR_HEADERS_HOST');
    expectNoTrace(answer);
    expect(fields(answer, 'x-content-type-options')).toEqual(['nosniff']);
    expect(fields(answer, 'strict-transport-security')).toEqual([]);
    expect(fields(answer, 'location')).toEqual([]);
  });
});
