import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  loadServiceIdentity,
  type PeerOptions,
  ServiceAuthError,
  type ServiceAuthEvent,
  signRequest,
} from '../src/index.js';
import { testClock } from './helpers.js';

const SECRET = 's3cret-Pa55';

async function startUpError(peer: Partial<PeerOptions>): Promise<ServiceAuthError> {
  const runner = await createServiceIdentity('job-runner', await generateServiceKey());
  const peers = [{ name: 'gateway', algorithms: ['ES256'], routes: ['GET /jobs'], ...peer }];
  const error = await createServiceVerifier({ identity: runner, peers: peers as never }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  return error as ServiceAuthError;
}

describe('a JWKS URL with credentials or a token', () => {
  it('is refused at start-up without echoing the password', async () => {
    const error = await startUpError({ jwksUrl: `https://svc:${SECRET}@keys.internal/jwks` });
    expect(error.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error.message).toBe(
      '@galaxy-harden/service-auth: option peers[0].jwksUrl must not hold a user or password, ' +
        'got "<not shown>"; publish the JWKS without authentication: it is public',
    );
  });

  it('is not echoed when refused for its scheme either', async () => {
    const error = await startUpError({ jwksUrl: `http://keys.internal/jwks?token=${SECRET}` });
    expect(error.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error.message).toMatch(/option peers\[0\]\.jwksUrl must use https:, got "http: URL"/);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('the reason of a failed JWKS fetch', () => {
  let server: Server;
  let url = '';

  beforeAll(async () => {
    // A key server answering with a page that quotes a secret (an error page, a wrong file).
    server = createServer((_req, res) => res.end(`oops {"password":"${SECRET}"}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks?token=${SECRET}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function reasonFor(fetchFn?: typeof fetch): Promise<string | undefined> {
    const clock = testClock();
    const events: ServiceAuthEvent[] = [];
    const gateway = await createServiceIdentity('gateway', await generateServiceKey());
    const verifier = await createServiceVerifier({
      identity: await createServiceIdentity('job-runner', await generateServiceKey()),
      peers: [
        {
          name: 'gateway',
          algorithms: ['ES256'],
          jwksUrl: url,
          jwksUrlOptions: { unsafeAllowPlainHttp: true, ...(fetchFn ? { fetch: fetchFn } : {}) },
          routes: ['GET /jobs'],
        },
      ],
      now: clock.now,
      onEvent: (event) => events.push(event),
    });
    const signed = await signRequest(gateway, {
      audience: 'job-runner',
      method: 'GET',
      path: '/jobs',
    });
    const call = { authorization: signed.authorization, method: 'GET', path: '/jobs', body: '' };
    const error = await verifier.verify(call).catch((caught: ServiceAuthError) => caught);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_KEYS_UNAVAILABLE');
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const failed = events.find((event) => event.type === 'service.keys-fetch-failed');
    return failed?.type === 'service.keys-fetch-failed' ? failed.reason : undefined;
  }

  it('does not quote a body that is not JSON', async () => {
    expect(await reasonFor()).toBe('JWKS is not valid JSON');
  });

  it('does not quote a fetch error message, which may carry the URL', async () => {
    const leaky = (async (input: Parameters<typeof fetch>[0]) => {
      throw new TypeError(`cannot fetch ${String(input)}`);
    }) as typeof fetch;
    expect(await reasonFor(leaky)).toBe('request failed (TypeError)');
  });
});

describe('a request path refused by signRequest', () => {
  it('is shown without its query', async () => {
    const gateway = await createServiceIdentity('gateway', await generateServiceKey());
    const options = { audience: 'job-runner', method: 'GET', path: `/jobs?token=${SECRET} x` };
    const error = await signRequest(gateway, options).catch((caught: ServiceAuthError) => caught);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect((error as ServiceAuthError).message).toBe(
      '@galaxy-harden/service-auth: option path must be an origin-form path, ' +
        'got "/jobs?<query not shown>"; pass e.g. "/jobs?x=1"',
    );
  });
});

describe('a private key file that is not valid JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'service-auth-keyfile-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused without any part of the key in the error or its cause', async () => {
    const jwk = await generateServiceKey();
    // A stray backtick right before `d`: V8's SyntaxError quotes the 10 characters after it.
    const text = JSON.stringify(jwk).replace('"d":"', '"d":`');
    const path = join(dir, 'gateway.private.jwk.json');
    writeFileSync(path, text, { mode: 0o600 });

    const error = await loadServiceIdentity('gateway', path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_KEY');
    expect((error as ServiceAuthError).message).toBe(
      `@galaxy-harden/service-auth: a private JWK at ${path} is not valid JSON`,
    );
    expect(inspect(error, { depth: 5 })).not.toContain(jwk.d.slice(0, 8));
  });
});
