import { describe, expect, it } from 'vitest';
import {
  createServiceFetch,
  createServiceVerifier,
  publicJwks,
  ServiceAuthError,
  type ServiceFetchOptions,
  type ServiceVerifierOptions,
} from '../src/index.js';
import { gatewayPeer, identities } from './helpers.js';

// Options that used to be taken as given: a wrong store refused every call at request time,
// a wrong clock failed each call as "malformed", a wrong onEvent dropped the audit log.
const PKG = '@galaxy-harden/service-auth: option';
const verifierCases: Array<[string, Record<string, unknown>, string]> = [
  [
    'a null store',
    { store: null },
    `${PKG} store must be a Store, got "null"; pass a Store such as createRedisStore(...), ` +
      'or leave it out for memory',
  ],
  [
    'a Redis URL as the store',
    { store: 'redis://127.0.0.1:6379' },
    `${PKG} store must be a Store, got "string"; pass a Store such as createRedisStore(...), ` +
      'or leave it out for memory',
  ],
  [
    'a store without setIfAbsent',
    { store: { get: async () => undefined } },
    `${PKG} store must be a Store, got "object"; pass a Store such as createRedisStore(...), ` +
      'or leave it out for memory',
  ],
  [
    'a clock that is not a function',
    { now: 1_800_000_000_000 },
    `${PKG} now must be a function, got "number"; pass a function or leave it out`,
  ],
  [
    'an onEvent that is not a function',
    { onEvent: 'audit' },
    `${PKG} onEvent must be a function, got "string"; pass a function or leave it out`,
  ],
  [
    'an empty replay key prefix',
    { replayKeyPrefix: '' },
    `${PKG} replayKeyPrefix must be 1 to 128 visible ASCII characters, got ""; ` +
      'use e.g. "service-auth:jti:" (the default)',
  ],
  [
    'a replay key prefix with a space',
    { replayKeyPrefix: 'service auth:' },
    `${PKG} replayKeyPrefix must be 1 to 128 visible ASCII characters, got "service auth:"; ` +
      'use e.g. "service-auth:jti:" (the default)',
  ],
];

describe('a verifier refuses at start-up', () => {
  it.each(verifierCases)('%s', async (_name, change, message) => {
    const { gateway, runner } = await identities();
    const options = { identity: runner, peers: [gatewayPeer(gateway)], ...change };
    const error = await createServiceVerifier(options as ServiceVerifierOptions).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect((error as ServiceAuthError).message).toBe(message);
  });
});

const fetchCases: Array<[string, Record<string, unknown>, string]> = [
  [
    'a fetch that is not a function',
    { fetch: 'https://runner.internal' },
    `${PKG} fetch must be a function, got "string"; pass a function or leave it out`,
  ],
  [
    'a clock that is not a function',
    { now: Date.now() },
    `${PKG} now must be a function, got "number"; pass a function or leave it out`,
  ],
  [
    'an onEvent that is not a function',
    { onEvent: {} },
    `${PKG} onEvent must be a function, got "object"; pass a function or leave it out`,
  ],
];

describe('a fetch wrapper refuses at start-up', () => {
  it.each(fetchCases)('%s', async (_name, change, message) => {
    const { gateway, runner } = await identities();
    const peer = { name: 'job-runner', algorithms: ['EdDSA' as const], jwks: publicJwks(runner) };
    const options = { identity: gateway, peer, ...change } as ServiceFetchOptions;
    const error = await createServiceFetch(options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect((error as ServiceAuthError).message).toBe(message);
  });
});
