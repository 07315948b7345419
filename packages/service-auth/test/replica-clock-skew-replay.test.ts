import { MemoryStore } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { createServiceVerifier, type IncomingCall, type ServiceAuthError } from '../src/index.js';
import { gatewayPeer, identities, mint, requestClaims, testClock } from './helpers.js';

const BODY = '{"tool":"sed"}';

// Two replicas of the job runner share one store (Redis in production), whose TTLs run on
// the store's own clock. Replica B's clock is 3 s behind replica A's: inside the default 5 s
// tolerance, which is the skew the verifier is told to expect.
async function replicas() {
  const store = testClock();
  const skewMs = 3_000;
  const { gateway, runner } = await identities();
  const shared = new MemoryStore({ now: store.now });
  const options = { identity: runner, peers: [gatewayPeer(gateway)], store: shared };
  const a = await createServiceVerifier({ ...options, now: store.now });
  const b = await createServiceVerifier({ ...options, now: () => store.now() - skewMs });
  return { store, gateway, a, b };
}

function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'accepted',
    (error: ServiceAuthError) => `${error.code}: ${error.message}`,
  );
}

describe('replay across replicas whose clocks differ within the tolerance', () => {
  it('refuses on a slow replica a token a fast replica took just before its exp', async () => {
    const { store, gateway, a, b } = await replicas();
    const claims = requestClaims(store); // exp = iat + 30
    const call: IncomingCall = {
      authorization: `Bearer ${await mint(gateway, claims)}`,
      method: 'POST',
      path: '/jobs',
      body: BODY,
    };

    store.advance(34_000); // exp + 4 s on A: still inside A's tolerance
    expect(await codeOf(a.verify(call))).toBe('accepted');

    // On B it is exp + 3.1 s, then exp + 4.9 s: B still accepts the lifetime, so only the
    // marker stands between the token and a second use.
    store.advance(2_100);
    expect(await codeOf(b.verify(call))).toBe(
      'ERR_SERVICE_AUTH_REPLAY: token refused: jti seen before',
    );
    store.advance(1_800);
    expect(await codeOf(b.verify(call))).toBe(
      'ERR_SERVICE_AUTH_REPLAY: token refused: jti seen before',
    );

    // Past exp + tolerance on every clock the lifetime check takes over.
    store.advance(2_000);
    expect(await codeOf(b.verify(call))).toBe('ERR_SERVICE_AUTH_LIFETIME: token refused: expired');
  });
});
