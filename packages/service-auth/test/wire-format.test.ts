import { compactVerify, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bodyDigest,
  REQUEST_TYP,
  RESPONSE_TYP,
  type ServiceIdentity,
  signRequest,
  signResponse,
} from '../src/index.js';
import { identities, testClock } from './helpers.js';

// Other implementations (PyJWT in test/service-auth) read these tokens: the header and the
// claims, names, types and order, are the README's "Wire format" and must not drift.
const clock = testClock();
let gateway: ServiceIdentity;
let runner: ServiceIdentity;

beforeAll(async () => {
  ({ gateway, runner } = await identities());
});

function decoded(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

async function verifiedParts(token: string, identity: ServiceIdentity) {
  const key = await importJWK(identity.publicJwk, identity.alg);
  const { payload } = await compactVerify(token, key);
  const [header = ''] = token.split('.');
  return { header: decoded(header), claims: JSON.parse(Buffer.from(payload).toString('utf8')) };
}

describe('a request token', () => {
  it('carries exactly alg, kid, typ and the documented claims, in order', async () => {
    const body = '{"tool":"sed"}';
    const options = { audience: 'job-runner', method: 'POST', path: '/jobs?x=1', body };
    const signed = await signRequest(gateway, { ...options, now: clock.now });
    const { header, claims } = await verifiedParts(signed.token, gateway);
    expect(signed.authorization).toBe(`Bearer ${signed.token}`);
    expect(header).toStrictEqual({ alg: 'ES256', kid: gateway.kid, typ: REQUEST_TYP });
    expect(Object.keys(claims)).toStrictEqual([
      'htm',
      'htp',
      'hbd',
      'iss',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
    ]);
    const iat = clock.seconds();
    expect(claims).toStrictEqual({
      htm: 'POST',
      htp: '/jobs?x=1',
      hbd: bodyDigest(body),
      iss: 'gateway',
      sub: 'gateway',
      aud: 'job-runner',
      iat,
      exp: iat + 30,
      jti: signed.jti,
    });
    expect(signed.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(signed.expiresAt).toBe(iat + 30);
  });

  it('puts cnf after the binding claims when bound to a certificate', async () => {
    const thumbprint = bodyDigest('certificate');
    const options = { audience: 'job-runner', method: 'GET', path: '/jobs/1', now: clock.now };
    const signed = await signRequest(gateway, { ...options, certificateThumbprint: thumbprint });
    const { claims } = await verifiedParts(signed.token, gateway);
    expect(Object.keys(claims).slice(0, 4)).toStrictEqual(['htm', 'htp', 'hbd', 'cnf']);
    expect(claims.cnf).toStrictEqual({ 'x5t#S256': thumbprint });
    expect(claims.hbd).toBe(bodyDigest(''));
  });

  it('gets a fresh jti each time', async () => {
    const options = { audience: 'job-runner', method: 'GET', path: '/jobs/1', now: clock.now };
    const jtis = new Set<string>();
    for (let i = 0; i < 50; i += 1) jtis.add((await signRequest(gateway, options)).jti);
    expect(jtis.size).toBe(50);
  });
});

describe('an answer token', () => {
  it('carries exactly alg, kid, typ and the documented claims, in order', async () => {
    const body = Buffer.from('{"id":"7"}');
    const answer = { audience: 'gateway', requestJti: 'request-jti-0123456789', status: 201 };
    const token = await signResponse(runner, { ...answer, body, now: clock.now });
    const { header, claims } = await verifiedParts(token, runner);
    expect(header).toStrictEqual({ alg: 'EdDSA', kid: runner.kid, typ: RESPONSE_TYP });
    const iat = clock.seconds();
    expect(Object.keys(claims)).toStrictEqual([
      'rti',
      'hst',
      'hbd',
      'iss',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
    ]);
    expect(claims).toMatchObject({
      rti: answer.requestJti,
      hst: 201,
      hbd: bodyDigest(body),
      iss: 'job-runner',
      sub: 'job-runner',
      aud: 'gateway',
      iat,
      exp: iat + 60,
    });
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses an unknown option before signing', async () => {
    const answer = { audience: 'gateway', requestJti: 'request-jti-0123456789', status: 200 };
    const wrong = { ...answer, body: undefined, lifetime: 5 } as Parameters<typeof signResponse>[1];
    await expect(signResponse(runner, wrong)).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_OPTION',
    });
  });
});

describe('minting', () => {
  const request = { audience: 'job-runner', method: 'GET', path: '/jobs/1' };
  const answer = { audience: 'gateway', requestJti: 'request-jti-0123456789', status: 200 };

  // JSON has no NaN: a broken clock would otherwise put "iat": null in the token.
  it.each([
    ['NaN', () => Number.NaN],
    ['a string', () => '1800000000000' as unknown as number],
  ])('refuses a clock that returns %s', async (_name, now) => {
    const option = { code: 'ERR_SERVICE_AUTH_OPTION', message: /option now must return/ };
    await expect(signRequest(gateway, { ...request, now })).rejects.toMatchObject(option);
    const signing = signResponse(runner, { ...answer, body: undefined, now });
    await expect(signing).rejects.toMatchObject(option);
  });

  it('refuses an answer audience that is not a component name', async () => {
    for (const audience of ['', 'two words', ['gateway']]) {
      const wrong = { ...answer, audience, body: undefined } as Parameters<typeof signResponse>[1];
      await expect(signResponse(runner, wrong)).rejects.toMatchObject({
        code: 'ERR_SERVICE_AUTH_OPTION',
        message: /option audience must be 1 to 256 visible ASCII characters/,
      });
    }
  });
});
