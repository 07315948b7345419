import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  publicJwks,
  REQUEST_TYP,
  type RemoteJwksOptions,
  type ServiceAuthEvent,
  type ServiceIdentity,
  type ServiceVerifier,
  signRequest,
} from '@galaxy-harden/service-auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// A JWKS server on 127.0.0.1 whose behaviour each test sets.
type Mode = 'ok' | 'unavailable' | 'hang' | 'redirect' | 'huge';
const state = { mode: 'ok' as Mode, body: '', hits: 0, redirectHits: 0 };
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/elsewhere') {
      state.redirectHits += 1;
      res.end(state.body);
      return;
    }
    state.hits += 1;
    if (state.mode === 'hang') return;
    if (state.mode === 'unavailable') res.writeHead(503).end('down');
    else if (state.mode === 'redirect') res.writeHead(302, { location: '/elsewhere' }).end();
    else if (state.mode === 'huge') res.end(JSON.stringify({ keys: [], pad: 'x'.repeat(100_000) }));
    else res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let now = 1_800_000_000_000;
let gateway: ServiceIdentity;
let runner: ServiceIdentity;
let events: ServiceAuthEvent[];
const clock = () => now;

beforeEach(async () => {
  Object.assign(state, { mode: 'ok', hits: 0, redirectHits: 0 });
  gateway = await createServiceIdentity('gateway', await generateServiceKey());
  runner = await createServiceIdentity('job-runner', await generateServiceKey());
  state.body = JSON.stringify(publicJwks(gateway));
  events = [];
});

async function verifierWith(options: RemoteJwksOptions = {}): Promise<ServiceVerifier> {
  const jwksUrlOptions = { unsafeAllowPlainHttp: true, ...options };
  return createServiceVerifier({
    identity: runner,
    peers: [
      {
        name: 'gateway',
        algorithms: ['ES256'],
        jwksUrl: url,
        jwksUrlOptions,
        routes: ['GET /jobs'],
      },
    ],
    now: clock,
    onEvent: (event) => events.push(event),
  });
}

async function callAs(signer: ServiceIdentity) {
  const signed = await signRequest(signer, {
    audience: 'job-runner',
    method: 'GET',
    path: '/jobs',
    now: clock,
  });
  return { authorization: signed.authorization, method: 'GET', path: '/jobs', body: '' };
}

// Tokens naming a random kid: they fail at the key lookup, before any signature work.
function randomKidCall() {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({
    alg: 'ES256',
    kid: randomBytes(32).toString('base64url'),
    typ: REQUEST_TYP,
  });
  const payload = b64({ iss: 'gateway' });
  return {
    authorization: `Bearer ${header}.${payload}.AAAA`,
    method: 'GET',
    path: '/jobs',
    body: '',
  };
}

async function codeOf(verifier: ServiceVerifier, call: Parameters<ServiceVerifier['verify']>[0]) {
  return verifier.verify(call).then(
    () => 'accepted',
    (error: { code: string }) => error.code,
  );
}

describe('a JWKS URL peer', () => {
  it('fetches at most once per cooldown for 1000 random kids', async () => {
    const verifier = await verifierWith({ cooldownMs: 30_000 });
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    expect(state.hits).toBe(1);

    const storm = Array.from({ length: 1000 }, () => codeOf(verifier, randomKidCall()));
    const codes = new Set(await Promise.all(storm));
    expect(codes).toEqual(new Set(['ERR_SERVICE_AUTH_UNKNOWN_KEY']));
    expect(state.hits).toBe(1);

    now += 30_000;
    await Promise.all(Array.from({ length: 1000 }, () => codeOf(verifier, randomKidCall())));
    expect(state.hits).toBe(2);
    await verifier.close();
  });

  it('shares one fetch among concurrent first calls', async () => {
    const verifier = await verifierWith();
    const calls = await Promise.all(Array.from({ length: 20 }, () => callAs(gateway)));
    const codes = await Promise.all(calls.map((call) => codeOf(verifier, call)));
    expect(new Set(codes)).toEqual(new Set(['accepted']));
    expect(state.hits).toBe(1);
    await verifier.close();
  });

  it('serves last-known keys up to maxStaleMs during a 503 outage, then fails closed', async () => {
    const verifier = await verifierWith({
      cooldownMs: 30_000,
      cacheMaxAgeMs: 300_000,
      maxStaleMs: 600_000,
    });
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    state.mode = 'unavailable';

    now += 300_000;
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    expect(events.at(-2)).toMatchObject({
      type: 'service.keys-fetch-failed',
      usingStaleKeys: true,
    });
    for (let i = 0; i < 50; i += 1) await codeOf(verifier, await callAs(gateway));
    expect(state.hits).toBe(2);

    now += 600_000;
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(state.hits).toBe(3);
    expect(events.at(-2)).toMatchObject({
      type: 'service.keys-fetch-failed',
      usingStaleKeys: false,
    });

    state.mode = 'ok';
    now += 10_000;
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(state.hits).toBe(3);
    now += 20_000;
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    expect(state.hits).toBe(4);
    await verifier.close();
  });

  it('accepts nothing before its first successful fetch', async () => {
    state.mode = 'unavailable';
    const verifier = await verifierWith();
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    await verifier.close();
  });

  it('gives up on a server that does not answer within timeoutMs', async () => {
    state.mode = 'hang';
    const verifier = await verifierWith({ timeoutMs: 150 });
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(events.find((event) => event.type === 'service.keys-fetch-failed')).toBeDefined();
    server.closeAllConnections();
    await verifier.close();
  });

  it('does not follow redirects', async () => {
    state.mode = 'redirect';
    const verifier = await verifierWith();
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(state.redirectHits).toBe(0);
    await verifier.close();
  });

  it('refuses a JWKS over maxResponseBytes', async () => {
    state.mode = 'huge';
    const verifier = await verifierWith({ maxResponseBytes: 10_000 });
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(events.at(-2)).toMatchObject({ reason: 'JWKS too large' });
    await verifier.close();
  });

  it('follows a key rotation: overlap with old and new kid, then the old one is gone', async () => {
    const verifier = await verifierWith({ cooldownMs: 30_000, cacheMaxAgeMs: 300_000 });
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');

    const rotated = await createServiceIdentity('gateway', await generateServiceKey());
    state.body = JSON.stringify(publicJwks(rotated, gateway));
    now += 30_000;
    expect(await codeOf(verifier, await callAs(rotated))).toBe('accepted');
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    expect(state.hits).toBe(2);

    state.body = JSON.stringify(publicJwks(rotated));
    now += 300_000;
    expect(await codeOf(verifier, await callAs(gateway))).toBe('ERR_SERVICE_AUTH_UNKNOWN_KEY');
    expect(await codeOf(verifier, await callAs(rotated))).toBe('accepted');
    await verifier.close();
  });

  it('skips keys it cannot use and reports them', async () => {
    const rsa = { kty: 'RSA', n: 'AQAB', e: 'AQAB' };
    state.body = JSON.stringify({ keys: [rsa, gateway.publicJwk] });
    const verifier = await verifierWith();
    expect(await codeOf(verifier, await callAs(gateway))).toBe('accepted');
    expect(events[0]).toMatchObject({
      type: 'service.keys-refreshed',
      keyCount: 1,
      skippedCount: 1,
    });
    await verifier.close();
  });
});
