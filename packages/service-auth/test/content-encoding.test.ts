import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureRawBody, serviceAuth } from '../src/express.js';
import { signRequest } from '../src/index.js';
import { runnerVerifier } from './helpers.js';

// Body parsers inflate before `verify`: the digest would be checked against bytes the caller
// never sent. Before the fix a caller that signed the inflated JSON got through with a gzip
// body, whatever the README said.
const BODY = '{"tool":"sed"}';
let ctx: Awaited<ReturnType<typeof runnerVerifier>>;
let ran: number;
let server: Server;
let url = '';

beforeAll(async () => {
  const app = express();
  const parse = express.json({ verify: captureRawBody });
  app.post('/jobs', parse, (req, res, next) => serviceAuth(ctx.verifier)(req, res, next));
  app.post('/jobs', (_req, res) => {
    ran += 1;
    res.status(201).end();
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  ctx = await runnerVerifier();
  ran = 0;
});

async function post(covered: string | Uint8Array, encoding: string, body: string | Uint8Array) {
  const options = { audience: 'job-runner', method: 'POST', path: '/jobs', body: covered };
  const { authorization } = await signRequest(ctx.gateway, { ...options, now: ctx.clock.now });
  const headers = {
    authorization,
    'content-type': 'application/json',
    'content-encoding': encoding,
  };
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

describe('a request body with a Content-Encoding', () => {
  it.each([
    ['the inflated JSON', BODY],
    ['the gzip bytes', gzipSync(BODY)],
  ])('is refused when the token covers %s', async (_name, covered) => {
    expect(await post(covered, 'gzip', gzipSync(BODY))).toBe(401);
    expect(ran).toBe(0);
    expect(ctx.events.at(-1)).toMatchObject({
      type: 'service.rejected',
      code: 'ERR_SERVICE_AUTH_BODY',
      reason: 'token refused: the raw body was not captured',
    });
  });

  it('passes when it is identity', async () => {
    expect(await post(BODY, 'identity', BODY)).toBe(201);
    expect(ran).toBe(1);
  });
});
