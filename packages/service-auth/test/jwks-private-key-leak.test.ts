import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  type PrivateJwk,
  publicJwks,
  type ServiceAuthEvent,
  type ServiceIdentity,
  type ServiceVerifier,
  signRequest,
} from '../src/index.js';
import { testClock } from './helpers.js';

// A JWKS server on 127.0.0.1 serving whatever body the test sets: here, by the classic
// mistake, the private key file instead of the public set.
let body = '';
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let clock: ReturnType<typeof testClock>;
let privateJwk: PrivateJwk;
let gateway: ServiceIdentity;
let other: ServiceIdentity;
let events: ServiceAuthEvent[];
let verifier: ServiceVerifier;

beforeEach(async () => {
  clock = testClock();
  privateJwk = await generateServiceKey();
  gateway = await createServiceIdentity('gateway', privateJwk);
  other = await createServiceIdentity('gateway', await generateServiceKey());
  events = [];
  body = JSON.stringify(publicJwks(gateway, other));
  verifier = await createServiceVerifier({
    identity: await createServiceIdentity('job-runner', await generateServiceKey()),
    peers: [
      {
        name: 'gateway',
        algorithms: ['ES256'],
        jwksUrl: url,
        jwksUrlOptions: { unsafeAllowPlainHttp: true, cooldownMs: 30_000 },
        routes: ['GET /jobs'],
      },
    ],
    now: clock.now,
    onEvent: (event) => events.push(event),
  });
});

async function outcome(signer: ServiceIdentity): Promise<string> {
  const signed = await signRequest(signer, {
    audience: 'job-runner',
    method: 'GET',
    path: '/jobs',
    now: clock.now,
  });
  const call = { authorization: signed.authorization, method: 'GET', path: '/jobs', body: '' };
  return verifier.verify(call).then(
    () => 'accepted',
    (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
  );
}

const UNAVAILABLE =
  'ERR_SERVICE_AUTH_KEYS_UNAVAILABLE: token refused: no usable keys for gateway ' +
  '(no clean JWKS within maxStaleMs)';

describe('a JWKS URL that starts publishing a private key', () => {
  it('stops accepting every key of that peer at once, not after maxStaleMs', async () => {
    expect(await outcome(gateway)).toBe('accepted');

    body = JSON.stringify({ keys: [privateJwk, other.publicJwk] });
    clock.advance(300_000); // the cache is due for a refresh
    expect(await outcome(gateway)).toBe(UNAVAILABLE);
    expect(await outcome(other)).toBe(UNAVAILABLE);

    const failed = events.find((event) => event.type === 'service.keys-fetch-failed');
    expect(failed).toEqual({
      type: 'service.keys-fetch-failed',
      peer: 'gateway',
      reason: 'JWKS publishes private key material; all its keys dropped',
      usingStaleKeys: false,
    });
    expect(JSON.stringify(events)).not.toContain(privateJwk.d);
  });

  it('also when the leak is found through an unknown kid, inside the cache age', async () => {
    expect(await outcome(gateway)).toBe('accepted');

    const rotated = await createServiceIdentity('gateway', await generateServiceKey());
    body = JSON.stringify({ keys: [privateJwk, rotated.publicJwk] });
    clock.advance(30_000);
    expect(await outcome(rotated)).toBe(UNAVAILABLE);
    expect(await outcome(gateway)).toBe(UNAVAILABLE);
  });

  it('accepts again once the server publishes public keys only', async () => {
    body = JSON.stringify({ keys: [privateJwk] });
    expect(await outcome(gateway)).toBe(UNAVAILABLE);

    const rotated = await createServiceIdentity('gateway', await generateServiceKey());
    body = JSON.stringify(publicJwks(rotated));
    clock.advance(30_000);
    expect(await outcome(rotated)).toBe('accepted');
  });
});
