import { describe, expect, it } from 'vitest';
import { serviceAuth } from '../src/express.js';
import {
  createServiceFetch,
  createServiceVerifier,
  publicJwks,
  ServiceAuthError,
  type ServiceVerifierOptions,
} from '../src/index.js';
import { gatewayPeer, identities } from './helpers.js';

async function startUp(change: (options: ServiceVerifierOptions) => ServiceVerifierOptions) {
  const { gateway, runner } = await identities();
  const options = change({ identity: runner, peers: [gatewayPeer(gateway)] });
  return createServiceVerifier(options).then(
    () => undefined,
    (error: unknown) => error as ServiceAuthError,
  );
}

const peerChanges: Array<[string, Record<string, unknown>, RegExp]> = [
  [
    'no algorithm list',
    { algorithms: undefined },
    /peers\[0\]\.algorithms must be a non-empty array/,
  ],
  ['an empty algorithm list', { algorithms: [] }, /peers\[0\]\.algorithms/],
  ['HS256 in the list', { algorithms: ['ES256', 'HS256'] }, /unsupported alg, got "HS256"/],
  ['RS256 in the list', { algorithms: ['RS256'] }, /unsupported alg, got "RS256"/],
  ['none in the list', { algorithms: ['none'] }, /unsupported alg, got "none"/],
  ['no routes', { routes: undefined }, /peers\[0\]\.routes must be a non-empty array/],
  ['a route without a method', { routes: ['/jobs'] }, /must be "METHOD \/path"/],
  ['a route with a dot segment', { routes: ['GET /jobs/../admin'] }, /bad path segment "\.\."/],
  [
    'both jwks and jwksUrl',
    { jwksUrl: 'https://keys.example/jwks' },
    /jwks xor jwksUrl is required, got "both"/,
  ],
  ['neither jwks nor jwksUrl', { jwks: undefined }, /got "neither"/],
  ['a plain http jwksUrl', { jwks: undefined, jwksUrl: 'http://keys/jwks' }, /must use https:/],
  [
    'a name with a space',
    { name: 'job runner' },
    /peers\[0\]\.name must be 1 to 256 visible ASCII/,
  ],
  [
    'a negative cooldown',
    { jwks: undefined, jwksUrl: 'https://k/j', jwksUrlOptions: { cooldownMs: -1 } },
    /cooldownMs must be a number/,
  ],
];

describe('a verifier refuses to start with', () => {
  it.each(peerChanges)('%s', async (_name, change, message) => {
    const error = await startUp((options) => ({
      ...options,
      peers: [{ ...options.peers[0]!, ...change } as never],
    }));
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect(error?.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error?.message).toMatch(/^@galaxy-harden\/service-auth: option /);
    expect(error?.message).toMatch(message);
  });

  const settingChanges: Array<[string, Partial<ServiceVerifierOptions>, RegExp]> = [
    [
      'a max token age over 60 s',
      { maxTokenAgeSeconds: 120 },
      /maxTokenAgeSeconds must be a number from 1 to 60, got 120/,
    ],
    ['a clock tolerance of 5 minutes', { clockToleranceSeconds: 300 }, /clockToleranceSeconds/],
    ['no size cap', { maxAuthorizationBytes: Number.POSITIVE_INFINITY }, /maxAuthorizationBytes/],
    ['no peers', { peers: [] }, /option peers must be a non-empty array/],
  ];

  it.each(settingChanges)('%s', async (_name, change, message) => {
    const error = await startUp((options) => ({ ...options, ...change }));
    expect(error?.code).toBe('ERR_SERVICE_AUTH_OPTION');
    expect(error?.message).toMatch(message);
  });

  it('the same peer twice', async () => {
    const error = await startUp((options) => ({
      ...options,
      peers: [options.peers[0]!, options.peers[0]!],
    }));
    expect(error?.message).toMatch(/lists a name twice/);
  });

  it('one key under two peer names', async () => {
    const error = await startUp((options) => ({
      ...options,
      peers: [options.peers[0]!, { ...options.peers[0]!, name: 'pulsar' }],
    }));
    expect(error?.message).toMatch(/key of pulsar is also gateway's/);
  });

  it('a JWKS holding the private key', async () => {
    const { gateway, runner } = await identities();
    const { generateServiceKey } = await import('../src/index.js');
    const leaked = { keys: [await generateServiceKey()] };
    const error = await startUp(() => ({
      identity: runner,
      peers: [{ ...gatewayPeer(gateway), jwks: leaked as never }],
    }));
    expect(error?.code).toBe('ERR_SERVICE_AUTH_KEY');
    expect(error?.message).toMatch(/holds private key material/);
    expect(error?.message).not.toContain(leaked.keys[0]!.d);
  });

  it('an empty JWKS', async () => {
    const error = await startUp((options) => ({
      ...options,
      peers: [{ ...options.peers[0]!, jwks: { keys: [] } }],
    }));
    expect(error?.code).toBe('ERR_SERVICE_AUTH_KEY');
    expect(error?.message).toMatch(
      /peers\[0\]\.jwks must be a JWKS object with a non-empty "keys"/,
    );
  });

  it('a JWKS whose kid is not the thumbprint', async () => {
    const { gateway, runner } = await identities();
    const jwks = { keys: [{ ...gateway.publicJwk, kid: 'gateway-2024' }] };
    const error = await startUp(() => ({
      identity: runner,
      peers: [{ ...gatewayPeer(gateway), jwks }],
    }));
    expect(error?.code).toBe('ERR_SERVICE_AUTH_KEY');
    expect(error?.message).toMatch(/not its RFC 7638 thumbprint/);
  });

  it('a JWKS key whose alg does not fit it', async () => {
    const { gateway, runner } = await identities();
    const jwks = { keys: [{ ...gateway.publicJwk, alg: 'EdDSA' as const }] };
    const error = await startUp(() => ({
      identity: runner,
      peers: [{ ...gatewayPeer(gateway), jwks }],
    }));
    expect(error?.message).toMatch(/has "alg" other than ES256/);
  });
});

describe('other start-up checks', () => {
  it('the fetch wrapper refuses a peer without algorithms', async () => {
    const { gateway, runner } = await identities();
    const peer = { name: 'job-runner', jwks: publicJwks(runner) } as never;
    await expect(createServiceFetch({ identity: gateway, peer })).rejects.toThrow(
      /option peer\.algorithms must be a non-empty array/,
    );
  });

  it('the middleware refuses a bad realm and a missing verifier', async () => {
    const { gateway, runner } = await identities();
    const verifier = await createServiceVerifier({
      identity: runner,
      peers: [gatewayPeer(gateway)],
    });
    expect(() => serviceAuth(verifier, { realm: 'a"b' })).toThrow(/option realm must be/);
    expect(() => serviceAuth(undefined as never)).toThrow(
      /option verifier must be a ServiceVerifier/,
    );
    await verifier.close();
  });

  it('the middleware refuses non-object options and a non-boolean signResponses', async () => {
    const { gateway, runner } = await identities();
    const verifier = await createServiceVerifier({
      identity: runner,
      peers: [gatewayPeer(gateway)],
    });
    expect(() => serviceAuth(verifier, null as never)).toThrow(
      /option options must be an object, got null; pass \{ realm \} or leave it out/,
    );
    // 'false' as a string is truthy: answers would be signed although the caller said no.
    expect(() => serviceAuth(verifier, { signResponses: 'false' as never })).toThrow(
      'option signResponses must be a boolean, got "false"; pass true or false',
    );
    expect(() => serviceAuth(verifier, { realm: 5 as never })).toThrow(/option realm must be/);
    await verifier.close();
  });
});
