import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceFetch,
  publicJwks,
  ServiceAuthError,
  type ServiceAuthEvent,
  type ServiceFetch,
} from '../src/index.js';
import { identities } from './helpers.js';

// The answer body is read before its signature can be checked, so its size is the one thing
// an impostor on the callee's address controls for free: every framing is held to the bound.
const MAX = 1_000;
let server: Server;
let base: string;
let call: ServiceFetch;
const events: ServiceAuthEvent[] = [];

function answer(url: URL, res: import('node:http').ServerResponse) {
  const size = Number(url.searchParams.get('n'));
  const body = Buffer.alloc(size, 0x61);
  if (url.pathname === '/fixed') {
    res.writeHead(200, { 'content-length': size }).end(body);
  } else if (url.pathname === '/chunked') {
    res.writeHead(200);
    for (let at = 0; at < size; at += 100) res.write(body.subarray(at, at + 100));
    res.end();
  } else {
    // A small compressed body that fetch inflates past the bound.
    const packed = gzipSync(body);
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': packed.length });
    res.end(packed);
  }
}

beforeAll(async () => {
  const { gateway, runner } = await identities();
  server = createServer((req, res) => answer(new URL(req.url ?? '/', 'http://x'), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  call = await createServiceFetch({
    identity: gateway,
    peer: { name: 'job-runner', algorithms: ['EdDSA'], jwks: publicJwks(runner) },
    maxResponseBytes: MAX,
    onEvent: (event) => events.push(event),
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function reason(path: string): Promise<string> {
  const error = await call(`${base}${path}`).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_RESPONSE');
  return (error as ServiceAuthError).message;
}

describe('the answer size bound', () => {
  it.each(['fixed', 'chunked', 'gzip'])('refuses a %s body over maxResponseBytes', async (kind) => {
    expect(await reason(`/${kind}?n=${MAX + 1}`)).toBe('answer refused: body too large');
    expect(events.at(-1)).toMatchObject({
      type: 'service.response-rejected',
      reason: 'answer refused: body too large',
    });
  });

  it.each(['fixed', 'chunked', 'gzip'])('reads a %s body at the bound', async (kind) => {
    // Read in full, then refused for what it is: an answer without the callee's signature.
    expect(await reason(`/${kind}?n=${MAX}`)).toBe('answer refused: not signed');
  });

  it('refuses a large gzip body whose compressed length is small', async () => {
    expect(await reason('/gzip?n=1000000')).toBe('answer refused: body too large');
  });
});
