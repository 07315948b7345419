import { createPrivateKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  REQUEST_TYP,
  ServiceAuthError,
} from '../src/index.js';
import { b64, gatewayPeer, requestClaims, testClock } from './helpers.js';

// jose refuses an unknown `crit` extension before this package's header allowlist runs; the
// refusal used to come out as ERR_SERVICE_AUTH_MALFORMED, not the documented header code.
describe('a token with a critical header extension', () => {
  it.each([
    [
      'an unknown extension',
      { crit: ['exp'], exp: 1 },
      'token refused: Extension Header Parameter "exp" is not recognized',
    ],
    [
      'b64 turned off',
      { crit: ['b64'], b64: false },
      'token refused: header member "crit" is not allowed',
    ],
  ])('is refused as a header error: %s', async (_name, extra, message) => {
    const clock = testClock();
    const privateJwk = await generateServiceKey('ES256');
    const gateway = await createServiceIdentity('gateway', privateJwk);
    const runner = await createServiceIdentity('job-runner', await generateServiceKey());
    const verifier = await createServiceVerifier({
      identity: runner,
      peers: [gatewayPeer(gateway)],
      now: clock.now,
    });
    // Signed with the gateway's real key, so nothing but the header is wrong.
    const header = b64({ alg: 'ES256', kid: gateway.kid, typ: REQUEST_TYP, ...extra });
    const payload = b64(requestClaims(clock));
    const key = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
    const input = Buffer.from(`${header}.${payload}`);
    const signature = sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    const call = {
      authorization: `Bearer ${header}.${payload}.${signature.toString('base64url')}`,
      method: 'POST',
      path: '/jobs',
      body: '{"tool":"sed"}',
    };

    const error = await verifier.verify(call).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_HEADER');
    expect((error as ServiceAuthError).message).toBe(message);
    await verifier.close();
  });
});
