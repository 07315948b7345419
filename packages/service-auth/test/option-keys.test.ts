import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceAuth } from '../src/express.js';
import {
  createServiceFetch,
  createServiceVerifier,
  publicJwks,
  ServiceAuthError,
  signRequest,
  signResponse,
  writeServiceKeys,
} from '../src/index.js';
import { nearestName } from '../src/option-keys.js';
import { gatewayPeer, identities } from './helpers.js';

// Class: a misspelt option silently ignored. Each of these was accepted before and left the
// default in force, the caller believing the option took effect.
const PKG = '@galaxy-harden/service-auth: option';
const { gateway, runner } = await identities();
const runnerPeer = { name: 'job-runner', algorithms: ['EdDSA' as const], jwks: publicJwks(runner) };
const dir = mkdtempSync(join(tmpdir(), 'service-auth-option-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(make: () => unknown): Promise<ServiceAuthError> {
  const error = await Promise.resolve()
    .then(make)
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(ServiceAuthError);

  return error as ServiceAuthError;
}

const verifier = (change: Record<string, unknown>) =>
  createServiceVerifier({ identity: runner, peers: [gatewayPeer(gateway)], ...change } as never);
const remotePeer = (jwksUrlOptions: Record<string, unknown>) => ({
  ...gatewayPeer(gateway),
  jwks: undefined,
  jwksUrl: 'https://keys.galaxy.test/jwks',
  jwksUrlOptions,
});
const call = { audience: 'job-runner', method: 'POST', path: '/jobs' };
const answer = { audience: 'gateway', requestJti: 'a'.repeat(22), status: 200, body: '' };

const MISSPELT: Array<[string, () => unknown, string]> = [
  [
    "jose's clockTolerance on the verifier",
    () => verifier({ clockTolerance: 0 }),
    `${PKG} clockTolerance does not exist, got "number"; rename it to clockToleranceSeconds`,
  ],
  [
    'maxTokenAge without its unit',
    () => verifier({ maxTokenAge: 10 }),
    `${PKG} maxTokenAge does not exist, got "number"; rename it to maxTokenAgeSeconds`,
  ],
  [
    'onevent in lower case',
    () => verifier({ onevent: () => {} }),
    `${PKG} onevent does not exist, got "function"; rename it to onEvent`,
  ],
  [
    'a private key handed to the verifier',
    () => verifier({ privateKey: 'secret-d-value' }),
    `${PKG} privateKey does not exist, got "string"; remove it, or use one of identity, ` +
      'peers, store, maxTokenAgeSeconds, clockToleranceSeconds, maxAuthorizationBytes, ' +
      'replayKeyPrefix, now, onEvent',
  ],
  [
    'requireCertificate on a peer',
    () => verifier({ peers: [{ ...gatewayPeer(gateway), requireCertificate: true }] }),
    `${PKG} peers[0].requireCertificate does not exist, got "boolean"; rename it to ` +
      'requireCertificateBinding',
  ],
  [
    'jwksUri (the OIDC spelling) on a peer',
    () => verifier({ peers: [{ ...gatewayPeer(gateway), jwksUri: 'https://k.test/j' }] }),
    `${PKG} peers[0].jwksUri does not exist, got "string"; rename it to jwksUrl`,
  ],
  [
    'maxStale in the JWKS URL options',
    () => verifier({ peers: [remotePeer({ maxStale: 0 })] }),
    `${PKG} peers[0].jwksUrlOptions.maxStale does not exist, got "number"; rename it to ` +
      'maxStaleMs',
  ],
  [
    'timeout on the fetch wrapper',
    () => createServiceFetch({ identity: gateway, peer: runnerPeer, timeout: 5 } as never),
    `${PKG} timeout does not exist, got "number"; remove it, or use one of identity, peer, ` +
      'fetch, lifetimeSeconds, clockToleranceSeconds, maxResponseBytes, ' +
      'certificateThumbprint, now, onEvent',
  ],
  [
    "the fetch wrapper's peer with a misspelt algorithm list",
    () =>
      createServiceFetch({
        identity: gateway,
        peer: { ...runnerPeer, algorithm: ['EdDSA'] },
      } as never),
    `${PKG} peer.algorithm does not exist, got "object"; rename it to algorithms`,
  ],
  [
    'lifetime on signRequest',
    () => signRequest(gateway, { ...call, lifetime: 60 } as never),
    `${PKG} lifetime does not exist, got "number"; rename it to lifetimeSeconds`,
  ],
  [
    'requestJTI on signResponse',
    () => signResponse(runner, { ...answer, requestJTI: 'x' } as never),
    `${PKG} requestJTI does not exist, got "string"; rename it to requestJti`,
  ],
  [
    'algorithm on writeServiceKeys',
    () => writeServiceKeys({ name: 'gateway', dir, algorithm: 'EdDSA' } as never),
    `${PKG} algorithm does not exist, got "string"; remove it, or use one of name, dir, ` +
      'alg, mode',
  ],
];

describe('options are checked by name', () => {
  it.each(MISSPELT)('refuses a misspelt option name: %s', async (_name, make, message) => {
    const error = await refusal(make);

    expect(error.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error.message).toBe(message);
  });

  it('refuses a misspelt option name on the middleware', async () => {
    const made = await verifier({});
    const error = await refusal(() => serviceAuth(made, { signResponse: false } as never));

    expect(error.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error.message).toBe(
      `${PKG} signResponse does not exist, got "boolean"; rename it to signResponses`,
    );
    await made.close();
  });

  it('refuses JWKS URL options beside a static JWKS, where they would do nothing', async () => {
    const peer = { ...gatewayPeer(gateway), jwksUrlOptions: { maxStaleMs: 0 } };
    const error = await refusal(() => verifier({ peers: [peer] }));

    expect(error.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error.message).toBe(
      `${PKG} peers[0].jwksUrlOptions applies only with jwksUrl, got "an object"; remove it, ` +
        'or give jwksUrl instead of jwks',
    );
  });

  it('never echoes the value of an unknown option', async () => {
    const error = await refusal(() => verifier({ secret: 'hunter2-d-value' }));

    expect(error.message).not.toContain('hunter2');
  });

  it('writes no key file when an option is misspelt', async () => {
    await refusal(() => writeServiceKeys({ name: 'pulsar', dir, rotate: true } as never));

    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts every documented option name', async () => {
    const made = await verifier({
      store: undefined,
      maxTokenAgeSeconds: 60,
      clockToleranceSeconds: 5,
      maxAuthorizationBytes: 8_192,
      replayKeyPrefix: 'service-auth:jti:',
      now: Date.now,
      onEvent: () => {},
      peers: [{ ...gatewayPeer(gateway), requireCertificateBinding: false }],
    });
    const options = { signResponses: true, certificateThumbprint: () => undefined, realm: 'x' };

    expect(() => serviceAuth(made, options)).not.toThrow();
    await made.close();
  });
});

describe('nearestName', () => {
  const known = ['clockToleranceSeconds', 'maxStaleMs', 'maxKeys', 'now'];

  it.each([
    ['CLOCKTOLERANCESECONDS', 'clockToleranceSeconds'],
    ['clockTolerance', 'clockToleranceSeconds'],
    ['maxStale', 'maxStaleMs'],
    ['maxKey', 'maxKeys'],
    ['nwo', 'now'],
  ])('suggests %s -> %s', (given, meant) => {
    expect(nearestName(given, known)).toBe(meant);
  });

  it.each(['max', 'timeout', 'x'])('suggests nothing for %s', (given) => {
    expect(nearestName(given, known)).toBeUndefined();
  });
});
