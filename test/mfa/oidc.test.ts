import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  IdTokenVerifier,
  type IdTokenVerifierOptions,
  MemoryMfaRecords,
  Mfa,
  type MfaEvent,
} from '@galaxy-harden/mfa';
import { MemorySessions, mfaExpress } from '@galaxy-harden/mfa/express';
import express from 'express';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ISSUER = 'https://keycloak.example/realms/galaxy';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const clock = () => NOW;

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

// An unsigned token (`alg: none`) that would otherwise pass every claim check.
function unsigned(): string {
  const at = NOW / 1000;
  const claims = { iss: ISSUER, aud: 'galaxy', sub: 'ana', amr: ['mfa'], auth_time: at, iat: at };
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ ...claims, exp: at + 60 })}.`;
}

// A local OIDC key server on 127.0.0.1, as the provider's jwks_uri would be.
describe('upstream-identity mode (OIDC ID tokens)', () => {
  let server: Server;
  let jwksUri = '';
  let signingKey: Key;
  let strangerKey: Key;
  let fetches = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      fetches++;
      if (req.url !== '/realms/galaxy/protocol/openid-connect/certs')
        return void res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    jwksUri = `http://127.0.0.1:${port}/realms/galaxy/protocol/openid-connect/certs`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function verifier(extra: Partial<IdTokenVerifierOptions> = {}, events: MfaEvent[] = []) {
    return new IdTokenVerifier({
      issuer: ISSUER,
      audience: 'galaxy',
      jwksUri,
      unsafeAllowPlainHttp: true,
      now: clock,
      onEvent: (event) => events.push(event),
      ...extra,
    });
  }

  interface TokenOptions {
    key?: Key;
    iat?: number;
    exp?: number;
    iss?: string;
    aud?: string;
  }

  function token(claims: JWTPayload, options: TokenOptions = {}) {
    const iat = options.iat ?? Math.floor(NOW / 1000) - 10;
    return new SignJWT({ auth_time: iat, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? 'galaxy')
      .setSubject('ana')
      .setIssuedAt(iat)
      .setExpirationTime(options.exp ?? iat + 300)
      .sign(options.key ?? signingKey);
  }

  it('accepts a second factor proven by amr, with auth_time in milliseconds', async () => {
    const events: MfaEvent[] = [];
    const identity = await verifier({}, events).verify(
      await token({ amr: ['pwd', 'otp'], auth_time: NOW / 1000 - 60 }),
    );
    expect(identity).toEqual({
      subject: 'ana',
      authTime: NOW - 60_000,
      secondFactor: true,
      amr: ['pwd', 'otp'],
    });
    expect(events).toEqual([
      {
        type: 'mfa.idp.accepted',
        at: NOW,
        userId: 'ana',
        secondFactor: true,
        authTime: NOW - 60_000,
      },
    ]);
    expect(fetches).toBeGreaterThan(0);
  });

  it('accepts a second factor proven by a configured acr level', async () => {
    const identity = await verifier({ secondFactorAcr: ['2'] }).verify(
      await token({ acr: '2', amr: ['pwd'] }),
    );
    expect(identity).toMatchObject({ secondFactor: true, acr: '2' });
  });

  it('reports no second factor for a password-only login; refuses it if required', async () => {
    const plain = await token({ amr: ['pwd'], acr: '1' });
    expect((await verifier().verify(plain)).secondFactor).toBe(false);
    const events: MfaEvent[] = [];
    const error = await verifier({ requireSecondFactor: true }, events)
      .verify(plain)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_IDP_NO_SECOND_FACTOR' });
    expect(events.at(-1)).toMatchObject({ type: 'mfa.idp.rejected', reason: 'no-second-factor' });
  });

  it.each([
    ['another issuer', (t: typeof token) => t({ amr: ['otp'] }, { iss: 'https://evil.example' })],
    ['another audience', (t: typeof token) => t({ amr: ['otp'] }, { aud: 'other-app' })],
    [
      'an expired token',
      (t: typeof token) => t({ amr: ['otp'] }, { iat: NOW / 1000 - 3600, exp: NOW / 1000 - 3000 }),
    ],
    ['a foreign key', (t: typeof token) => t({ amr: ['otp'] }, { key: strangerKey })],
    ['no auth_time', (t: typeof token) => t({ amr: ['otp'], auth_time: undefined })],
    ['a future auth_time', (t: typeof token) => t({ amr: ['otp'], auth_time: NOW / 1000 + 3600 })],
    ['garbage', async () => 'not.a.token'],
    ['alg none', async () => unsigned()],
  ])('refuses %s with ERR_MFA_IDP_TOKEN', async (_name, make) => {
    const error = await verifier()
      .verify(await make(token))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MFA_IDP_TOKEN' });
    expect((error as Error).message).toMatch(/^@galaxy-harden\/mfa: the ID token /);
  });

  it('refuses an HMAC token signed with a guessable secret (algorithm confusion)', async () => {
    const forged = await new SignJWT({ amr: ['mfa'], auth_time: NOW / 1000 })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('galaxy')
      .setSubject('ana')
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(NOW / 1000 + 60)
      .sign(randomBytes(32));
    await expect(verifier().verify(forged)).rejects.toMatchObject({ code: 'ERR_MFA_IDP_TOKEN' });
  });

  it('refuses a token with another nonce, and a login older than maxAuthAgeSeconds', async () => {
    const withNonce = await token({ amr: ['otp'], nonce: 'n-1' });
    await expect(verifier().verify(withNonce, { nonce: 'n-2' })).rejects.toMatchObject({
      code: 'ERR_MFA_IDP_TOKEN',
    });
    expect((await verifier().verify(withNonce, { nonce: 'n-1' })).subject).toBe('ana');
    const old = await token({ amr: ['otp'], auth_time: NOW / 1000 - 7200 });
    await expect(verifier({ maxAuthAgeSeconds: 3600 }).verify(old)).rejects.toThrow(
      /older than maxAuthAgeSeconds/,
    );
  });

  it('fails closed with ERR_MFA_IDP_UNAVAILABLE when the key server is unreachable', async () => {
    const dead = verifier({ jwksUri: 'http://127.0.0.1:9/certs', fetchTimeoutMs: 2000 });
    await expect(dead.verify(await token({ amr: ['otp'] }))).rejects.toMatchObject({
      code: 'ERR_MFA_IDP_UNAVAILABLE',
    });
    const missing = verifier({ jwksUri: jwksUri.replace('certs', 'nothing') });
    await expect(missing.verify(await token({ amr: ['otp'] }))).rejects.toMatchObject({
      code: 'ERR_MFA_IDP_UNAVAILABLE',
    });
  });

  it.each([
    [
      { jwksUri: 'http://keycloak.example/certs', unsafeAllowPlainHttp: false },
      'option idp.jwksUri must use https',
    ],
    [{ jwksUri: 'certs' }, 'option idp.jwksUri must be an absolute URL'],
    [{ issuer: '' }, 'option idp.issuer must be a non-empty string'],
    [{ audience: [] }, 'option idp.audience must be a client id or a list of them'],
    [
      { maxAuthAgeSeconds: -1 },
      'option idp.maxAuthAgeSeconds must be an integer of 0 or more seconds',
    ],
  ])('refuses the options %j at construction', (bad, message) => {
    expect(() => verifier(bad as Partial<IdTokenVerifierOptions>)).toThrow(
      `@galaxy-harden/mfa: ${message}`,
    );
  });

  describe('through the Express adapter', () => {
    async function app(requireSecondFactor = false) {
      const records = new MemoryMfaRecords();
      const mfa = new Mfa({
        issuer: 'Galaxy',
        records,
        encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
        now: clock,
      });
      const session = new MemorySessions({ secure: false, now: clock });
      const gate = mfaExpress({ mfa, session, idp: verifier({ requireSecondFactor }) });
      const server = express();
      server.use(express.json());
      server.post('/oidc/callback', async (req, res, next) => {
        try {
          await gate.acceptIdToken(req, res, req.body.id_token);
          res.json({ ok: true });
        } catch (err) {
          next(err);
        }
      });
      server.get('/api/jobs', gate.requireMfa, (_req, res) => void res.json({ jobs: [] }));
      server.use(
        (
          err: { code?: string },
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => {
          res.status(401).json({ error: err.code });
        },
      );
      return { server, mfa };
    }

    it('passes requireMfa with an IdP-proven second factor', async () => {
      const { server } = await app();
      const login = await request(server)
        .post('/oidc/callback')
        .send({ id_token: await token({ amr: ['pwd', 'mfa'] }) });
      const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
      expect((await request(server).get('/api/jobs').set('Cookie', cookie)).status).toBe(200);
    });

    it('asks an enrolled user for the local code when the IdP proved a password only', async () => {
      const { server, mfa } = await app();
      const start = await mfa.startEnrolment({ userId: 'ana' });
      const { generateSync } = await import('otplib');
      await mfa.confirmEnrolment('ana', generateSync({ secret: start.secret, epoch: NOW / 1000 }));
      const login = await request(server)
        .post('/oidc/callback')
        .send({ id_token: await token({ amr: ['pwd'] }) });
      const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
      const res = await request(server).get('/api/jobs').set('Cookie', cookie);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('mfa_required');
    });

    it('refuses the login when the second factor is required and missing', async () => {
      const { server } = await app(true);
      const login = await request(server)
        .post('/oidc/callback')
        .send({ id_token: await token({ amr: ['pwd'] }) });
      expect(login.status).toBe(401);
      expect(login.body.error).toBe('ERR_MFA_IDP_NO_SECOND_FACTOR');
      expect(login.headers['set-cookie']).toBeUndefined();
    });
  });
});
