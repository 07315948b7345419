import { MemoryStore } from '@galaxy-harden/store';
import { SignJWT } from 'jose';
import {
  bodyDigest,
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  type PeerOptions,
  publicJwks,
  REQUEST_TYP,
  type ServiceAuthEvent,
  type ServiceIdentity,
  type ServiceVerifierOptions,
} from '../src/index.js';

/** A clock tests move by hand; starts at a fixed instant. */
export function testClock(start = 1_800_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    seconds: () => Math.floor(now / 1000),
  };
}

export type TestClock = ReturnType<typeof testClock>;

/** The demo's two components: `gateway` calls `job-runner`. */
export async function identities() {
  const gateway = await createServiceIdentity('gateway', await generateServiceKey('ES256'));
  const runner = await createServiceIdentity('job-runner', await generateServiceKey('EdDSA'));
  return { gateway, runner };
}

export function gatewayPeer(
  gateway: ServiceIdentity,
  extra: Partial<PeerOptions> = {},
): PeerOptions {
  return {
    name: 'gateway',
    algorithms: ['ES256'],
    jwks: publicJwks(gateway),
    routes: ['POST /jobs', 'GET /jobs/*'],
    ...extra,
  };
}

/** A verifier for `job-runner` that accepts `gateway`, with events collected. */
export async function runnerVerifier(extra: Partial<ServiceVerifierOptions> = {}) {
  const clock = testClock();
  const { gateway, runner } = await identities();
  const events: ServiceAuthEvent[] = [];
  const store = new MemoryStore({ now: clock.now });
  const verifier = await createServiceVerifier({
    identity: runner,
    peers: [gatewayPeer(gateway)],
    store,
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { clock, gateway, runner, events, store, verifier };
}

/** Claims of a well-formed request for `POST /jobs` with `body`, at the clock's time. */
export function requestClaims(clock: TestClock, body = '{"tool":"sed"}') {
  const iat = clock.seconds();
  return {
    iss: 'gateway',
    sub: 'gateway',
    aud: 'job-runner',
    iat,
    exp: iat + 30,
    jti: `jti-${Math.random().toString(36).slice(2)}-${iat}`,
    htm: 'POST',
    htp: '/jobs',
    hbd: bodyDigest(body),
  };
}

/** Signs arbitrary claims and header with `identity`'s key: for hostile variants. */
export async function mint(
  identity: ServiceIdentity,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const protectedHeader = { alg: identity.alg, kid: identity.kid, typ: REQUEST_TYP, ...header };
  return new SignJWT(claims).setProtectedHeader(protectedHeader).sign(identity.privateKey);
}

/** Base64url of a JSON value, for hand-built tokens. */
export function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}
