import { beforeAll, describe, expect, it } from 'vitest';
import {
  bodyDigest,
  createServiceIdentity,
  generateServiceKey,
  publicJwks,
  REQUEST_TYP,
  RESPONSE_TYP,
  ServiceAuthError,
  type ServiceIdentity,
} from '../src/index.js';
import { createPeer, type Peer } from '../src/peers.js';
import { type ExpectedResponse, signResponse, verifyResponse } from '../src/response-signing.js';
import { b64, identities, mint, testClock } from './helpers.js';

// The caller's side of mutual authentication: every way an answer can be wrong is refused
// with ERR_SERVICE_AUTH_RESPONSE, and the checks stay exactly as strict as jose's jwtVerify
// with the options this package used to pass it (typ, iss, sub, aud, required claims, age).
const clock = testClock();
const BODY = Buffer.from('{"datasets":["genes.tsv"]}');
const REQUEST_JTI = 'request-jti-0123456789';
let runner: ServiceIdentity;
let peer: Peer;

beforeAll(async () => {
  ({ runner } = await identities());
  const context = { now: clock.now, onEvent: undefined, routesRequired: false };
  const options = { name: 'job-runner', algorithms: ['EdDSA' as const], jwks: publicJwks(runner) };
  peer = await createPeer('peer', options, context);
});

function expected(extra: Partial<ExpectedResponse> = {}): ExpectedResponse {
  const base = { self: 'gateway', requestJti: REQUEST_JTI, status: 200, body: BODY };
  return { ...base, nowMs: clock.now(), clockToleranceSeconds: 5, ...extra };
}

/** Claims of a right answer at the clock's time; `iat` and `exp` as signResponse sets them. */
function answerClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = clock.seconds();
  return {
    iss: 'job-runner',
    sub: 'job-runner',
    aud: 'gateway',
    iat,
    exp: iat + 60,
    jti: 'answer-jti-0123456789',
    rti: REQUEST_JTI,
    hst: 200,
    hbd: bodyDigest(BODY),
    ...extra,
  };
}

function without(name: string): Record<string, unknown> {
  const claims = answerClaims();
  delete claims[name];
  return claims;
}

function mintAnswer(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return mint(runner, claims, { typ: RESPONSE_TYP, ...header });
}

async function refusal(token: string, extra: Partial<ExpectedResponse> = {}) {
  const error = await verifyResponse(token, peer, expected(extra)).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_RESPONSE');
  expect((error as ServiceAuthError).status).toBe(extra.status ?? 200);
  return error as ServiceAuthError;
}

describe('a right answer', () => {
  it('is accepted as signResponse makes it', async () => {
    const answer = { audience: 'gateway', requestJti: REQUEST_JTI, status: 200, body: BODY };
    const token = await signResponse(runner, { ...answer, now: clock.now });
    const claims = await verifyResponse(token, peer, expected());
    expect(claims).toMatchObject({ iss: 'job-runner', aud: 'gateway', rti: REQUEST_JTI, hst: 200 });
    expect(claims.exp - claims.iat).toBe(60);
  });

  it('is accepted with a string body digested as UTF-8', async () => {
    const body = '{"name":"Gène"}';
    const answer = { audience: 'gateway', requestJti: REQUEST_JTI, status: 201, body };
    const token = await signResponse(runner, { ...answer, now: clock.now });
    const check = expected({ status: 201, body: Buffer.from(body, 'utf8') });
    await expect(verifyResponse(token, peer, check)).resolves.toMatchObject({ hst: 201 });
  });

  it('is accepted within the clock tolerance on exp, iat and nbf', async () => {
    const now = clock.seconds();
    const edges = [
      answerClaims({ exp: now - 4, iat: now - 60 }),
      answerClaims({ iat: now + 5, exp: now + 65 }),
      answerClaims({ nbf: now + 5 }),
      answerClaims({ iat: now - 65 }),
    ];
    for (const claims of edges) {
      await expect(
        verifyResponse(await mintAnswer(claims), peer, expected()),
      ).resolves.toBeTruthy();
    }
  });

  it('is accepted with the typ in another letter case', async () => {
    const token = await mintAnswer(answerClaims(), { typ: RESPONSE_TYP.toUpperCase() });
    await expect(verifyResponse(token, peer, expected())).resolves.toBeTruthy();
  });
});

describe('an answer for someone else', () => {
  it.each([
    ['another audience', { aud: 'galaxy' }],
    ['an audience list naming this caller', { aud: ['gateway', 'galaxy'] }],
    ['another issuer', { iss: 'galaxy' }],
    ['a subject other than the issuer', { sub: 'galaxy' }],
    ['a malformed jti', { jti: 'short' }],
    ['another request', { rti: 'another-request-jti-0123' }],
    ['another status', { hst: 201 }],
    ['another body', { hbd: bodyDigest('{}') }],
    ['a status given as text', { hst: '200' }],
  ])('is refused: %s', async (_name, extra) => {
    await refusal(await mintAnswer(answerClaims(extra)));
  });
});

describe('lifetime', () => {
  const now = clock.seconds();
  it.each([
    ['expired past the tolerance', { exp: now - 5, iat: now - 60 }],
    ['issued in the future', { iat: now + 6, exp: now + 66 }],
    ['issued too long ago', { iat: now - 66 }],
    ['not valid before a later time', { nbf: now + 6 }],
    ['with a textual exp', { exp: String(now + 60) }],
    ['with a textual iat', { iat: String(now) }],
    ['with a textual nbf', { nbf: String(now) }],
  ])('an answer %s is refused', async (_name, extra) => {
    await refusal(await mintAnswer(answerClaims(extra)));
  });
});

describe('shape', () => {
  it.each(['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'rti', 'hst', 'hbd'])(
    'refuses an answer without "%s"',
    async (name) => {
      await refusal(await mintAnswer(without(name)));
    },
  );

  it('refuses a request token presented as an answer', async () => {
    await refusal(await mintAnswer(answerClaims(), { typ: REQUEST_TYP }));
  });

  it('refuses the typ with an application/ prefix', async () => {
    await refusal(await mintAnswer(answerClaims(), { typ: `application/${RESPONSE_TYP}` }));
  });

  it('refuses a header naming its own key', async () => {
    await refusal(await mintAnswer(answerClaims(), { jku: 'http://127.0.0.1:1/jwks' }));
  });

  // jose will not sign these, so they are put together by hand with a real signature.
  it.each([
    ['an unknown critical extension', { crit: ['exp'], exp: 1 }],
    ['an unencoded payload', { crit: ['b64'], b64: false }],
  ])('refuses a header with %s', async (_name, extra) => {
    const header = b64({ alg: 'EdDSA', kid: runner.kid, typ: RESPONSE_TYP, ...extra });
    const signature = (await mintAnswer(answerClaims())).split('.')[2] as string;
    await refusal(`${header}.${b64(answerClaims())}.${signature}`);
  });

  it('refuses an algorithm the peer does not use and an unknown kid', async () => {
    const other = await createServiceIdentity('job-runner', await generateServiceKey('ES256'));
    await refusal(await mint(other, answerClaims(), { typ: RESPONSE_TYP }));
    const sameAlg = await createServiceIdentity('job-runner', await generateServiceKey('EdDSA'));
    const error = await refusal(await mint(sameAlg, answerClaims(), { typ: RESPONSE_TYP }));
    expect(error.message).toMatch(/no such kid/);
  });

  it('refuses a signature made by another key under the peer kid', async () => {
    const impostor = await createServiceIdentity('job-runner', await generateServiceKey('EdDSA'));
    const header = { alg: 'EdDSA', kid: runner.kid, typ: RESPONSE_TYP };
    const forged = await mint(impostor, answerClaims(), header);
    await refusal(forged);
  });

  it('refuses a payload that is not a JSON object, and malformed token text', async () => {
    const header = b64({ alg: 'EdDSA', kid: runner.kid, typ: RESPONSE_TYP });
    const signature = (await mintAnswer(answerClaims())).split('.')[2] as string;
    const texts = [
      `${header}.${b64([1, 2])}.${signature}`,
      `${header}.${b64('not json')}.${signature}`,
      `${header}.${b64(answerClaims())}`,
      `${b64('{')}.${b64(answerClaims())}.${signature}`,
      `${header}.${b64(answerClaims())}.${signature}.x`,
    ];
    for (const text of texts) await refusal(text);
  });

  it('refuses a missing, empty or oversized answer token as not signed', async () => {
    expect((await refusal('')).message).toMatch(/not signed/);
    const huge = `${'a'.repeat(4000)}.${'b'.repeat(100)}.c`;
    expect((await refusal(huge, { status: 404 })).message).toMatch(/not signed/);
    const error = await verifyResponse(null, peer, expected()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_SERVICE_AUTH_RESPONSE', message: /not signed/ });
  });
});
