import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IncomingCall, REQUEST_TYP, ServiceAuthError, signRequest } from '../src/index.js';
import { b64, mint, requestClaims, runnerVerifier } from './helpers.js';

const BODY = '{"tool":"sed"}';
let ctx: Awaited<ReturnType<typeof runnerVerifier>>;

beforeAll(async () => {
  ctx = await runnerVerifier();
});

function call(token: string, extra: Partial<IncomingCall> = {}): IncomingCall {
  return { authorization: `Bearer ${token}`, method: 'POST', path: '/jobs', body: BODY, ...extra };
}

async function refusal(request: IncomingCall): Promise<ServiceAuthError> {
  const error = await ctx.verifier.verify(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  return error as ServiceAuthError;
}

describe('a well-formed call', () => {
  it('is accepted and names the peer', async () => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock));
    const peer = await ctx.verifier.verify(call(token));
    expect(peer).toMatchObject({ name: 'gateway', kid: ctx.gateway.kid, alg: 'ES256' });
    expect(ctx.events.at(-1)).toMatchObject({ type: 'service.authenticated', peer: 'gateway' });
  });
});

describe('alg: none', () => {
  it.each(['none', 'None', 'NONE'])('refuses alg %s with an empty signature', async (alg) => {
    const header = b64({ alg, kid: ctx.gateway.kid, typ: REQUEST_TYP });
    const token = `${header}.${b64(requestClaims(ctx.clock))}.`;
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_MALFORMED');
  });

  it.each(['none', 'None', 'NONE'])('refuses alg %s with a signature present', async (alg) => {
    const header = b64({ alg, kid: ctx.gateway.kid, typ: REQUEST_TYP });
    const token = `${header}.${b64(requestClaims(ctx.clock))}.AAAA`;
    const error = await refusal(call(token));
    expect(error.code).toBe('ERR_SERVICE_AUTH_HEADER');
    expect(error.message).toMatch(/"alg"/);
  });
});

describe('HMAC keyed with the peer public key', () => {
  const pem = () =>
    createPublicKey({ key: { ...ctx.gateway.publicJwk }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  const secrets: Array<[string, () => string]> = [
    ['the PEM', () => pem()],
    ['the PEM with a leading newline', () => `\n${pem()}`],
    ['the PEM with a leading space', () => ` ${pem()}`],
    ['the JWK JSON', () => JSON.stringify(ctx.gateway.publicJwk)],
  ];

  it.each(secrets)('refuses HS256 keyed with %s', async (_name, secret) => {
    const header = b64({ alg: 'HS256', kid: ctx.gateway.kid, typ: REQUEST_TYP });
    const input = `${header}.${b64(requestClaims(ctx.clock))}`;
    const mac = createHmac('sha256', secret()).update(input).digest('base64url');
    expect((await refusal(call(`${input}.${mac}`))).code).toBe('ERR_SERVICE_AUTH_HEADER');
  });
});

describe('key taken from the token', () => {
  let server: Server;
  let hits = 0;
  let base = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['jwk', 'jku', 'x5u', 'x5c'])(
    'refuses a %s header and fetches nothing',
    async (member) => {
      const attacker = await generateKeyPair('ES256');
      const values: Record<string, unknown> = {
        jwk: await exportJWK(attacker.publicKey),
        jku: `${base}/jwks.json`,
        x5u: `${base}/cert.pem`,
        x5c: [Buffer.from('not a certificate').toString('base64')],
      };
      const header = {
        alg: 'ES256',
        kid: ctx.gateway.kid,
        typ: REQUEST_TYP,
        [member]: values[member],
      };
      const token = await new SignJWT(requestClaims(ctx.clock))
        .setProtectedHeader(header)
        .sign(attacker.privateKey);

      const error = await refusal(call(token));
      expect(error.code).toBe('ERR_SERVICE_AUTH_HEADER');
      expect(error.message).toContain(`"${member}"`);
      expect(hits).toBe(0);
    },
  );

  it('refuses a token signed by another key under the peer kid', async () => {
    const attacker = await generateKeyPair('ES256');
    const header = { alg: 'ES256', kid: ctx.gateway.kid, typ: REQUEST_TYP };
    const token = await new SignJWT(requestClaims(ctx.clock))
      .setProtectedHeader(header)
      .sign(attacker.privateKey);
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_SIGNATURE');
  });
});

describe('lifetime', () => {
  const variants: Array<
    [string, (claims: ReturnType<typeof requestClaims>) => Record<string, unknown>, string]
  > = [
    ['no exp', ({ exp: _exp, ...rest }) => rest, 'ERR_SERVICE_AUTH_LIFETIME'],
    ['no iat', ({ iat: _iat, ...rest }) => rest, 'ERR_SERVICE_AUTH_LIFETIME'],
    [
      'iat 2 minutes ahead',
      (c) => ({ ...c, iat: c.iat + 120, exp: c.iat + 150 }),
      'ERR_SERVICE_AUTH_LIFETIME',
    ],
    [
      'an old iat with a far exp',
      (c) => ({ ...c, iat: c.iat - 120, exp: c.iat + 3600 }),
      'ERR_SERVICE_AUTH_LIFETIME',
    ],
    [
      'a fresh iat with exp past 60 s',
      (c) => ({ ...c, exp: c.iat + 61 }),
      'ERR_SERVICE_AUTH_LIFETIME',
    ],
    [
      'an expired exp',
      (c) => ({ ...c, iat: c.iat - 50, exp: c.iat - 10 }),
      'ERR_SERVICE_AUTH_LIFETIME',
    ],
    ['exp as a string', (c) => ({ ...c, exp: String(c.exp) }), 'ERR_SERVICE_AUTH_LIFETIME'],
  ];

  it.each(variants)('refuses %s', async (_name, change, code) => {
    const token = await mint(ctx.gateway, change(requestClaims(ctx.clock)));
    expect((await refusal(call(token))).code).toBe(code);
  });

  it('accepts an iat 4 seconds ahead (inside the 5 s tolerance)', async () => {
    const claims = requestClaims(ctx.clock);
    const token = await mint(ctx.gateway, { ...claims, iat: claims.iat + 4, exp: claims.iat + 30 });
    await expect(ctx.verifier.verify(call(token))).resolves.toMatchObject({ name: 'gateway' });
  });
});

describe('claims', () => {
  const variants: Array<
    [string, (claims: ReturnType<typeof requestClaims>) => Record<string, unknown>, string]
  > = [
    [
      'an array aud naming it among others',
      (c) => ({ ...c, aud: ['job-runner', 'pulsar'] }),
      'ERR_SERVICE_AUTH_CLAIMS',
    ],
    ['another audience', (c) => ({ ...c, aud: 'pulsar' }), 'ERR_SERVICE_AUTH_CLAIMS'],
    ['a sub other than iss', (c) => ({ ...c, sub: 'admin' }), 'ERR_SERVICE_AUTH_CLAIMS'],
    ['a short jti', (c) => ({ ...c, jti: 'abc' }), 'ERR_SERVICE_AUTH_CLAIMS'],
    ['no jti', ({ jti: _jti, ...rest }) => rest, 'ERR_SERVICE_AUTH_CLAIMS'],
    ['no body digest', ({ hbd: _hbd, ...rest }) => rest, 'ERR_SERVICE_AUTH_CLAIMS'],
    [
      'an unknown issuer',
      (c) => ({ ...c, iss: 'pulsar', sub: 'pulsar' }),
      'ERR_SERVICE_AUTH_CLAIMS',
    ],
  ];

  it.each(variants)('refuses %s', async (_name, change, code) => {
    const token = await mint(ctx.gateway, change(requestClaims(ctx.clock)));
    expect((await refusal(call(token))).code).toBe(code);
  });

  it('refuses a response token presented as a request (typ)', async () => {
    const typ = 'galaxy-service-response+jwt';
    const token = await mint(ctx.gateway, requestClaims(ctx.clock), { typ });
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_HEADER');
  });

  it('refuses an unknown kid from an unknown issuer', async () => {
    const claims = { ...requestClaims(ctx.clock), iss: 'pulsar' };
    const token = await mint(ctx.gateway, claims, { kid: 'A'.repeat(43) });
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_UNKNOWN_PEER');
  });

  it('refuses an unknown kid from a known issuer', async () => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock), { kid: 'A'.repeat(43) });
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_UNKNOWN_KEY');
  });
});

describe('replay', () => {
  it('refuses the same token a second time', async () => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock));
    await ctx.verifier.verify(call(token));
    const error = await refusal(call(token));
    expect(error.code).toBe('ERR_SERVICE_AUTH_REPLAY');
    expect(ctx.events.at(-1)).toMatchObject({
      type: 'service.rejected',
      code: 'ERR_SERVICE_AUTH_REPLAY',
    });
  });

  it('keeps refusing until the token is past exp and tolerance', async () => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock));
    await ctx.verifier.verify(call(token));
    ctx.clock.advance(34_000);
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_REPLAY');
    ctx.clock.advance(2_000);
    expect((await refusal(call(token))).code).toBe('ERR_SERVICE_AUTH_LIFETIME');
  });
});

describe('request binding', () => {
  const variants: Array<[string, Partial<IncomingCall>]> = [
    ['with body B', { body: '{"tool":"grep"}' }],
    ['with an empty body', { body: '' }],
    ['to /admin', { path: '/admin' }],
    ['with a query added', { path: '/jobs?dry=1' }],
    ['as GET', { method: 'GET' }],
    ['with a lower-case method', { method: 'post' }],
  ];

  it.each(variants)('refuses a POST /jobs token sent %s', async (_name, change) => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock));
    expect((await refusal(call(token, change))).code).toBe('ERR_SERVICE_AUTH_BINDING');
  });

  it('refuses a body that was sent but not captured', async () => {
    const token = await mint(ctx.gateway, requestClaims(ctx.clock));
    expect((await refusal(call(token, { body: null }))).code).toBe('ERR_SERVICE_AUTH_BODY');
  });

  it('accepts the query exactly as signed', async () => {
    const path = '/jobs/7?fields=a%2Cb&x=%20';
    const signed = await signRequest(ctx.gateway, {
      audience: 'job-runner',
      method: 'GET',
      path,
      now: ctx.clock.now,
    });
    const request = { authorization: signed.authorization, method: 'GET', path, body: '' };
    await expect(ctx.verifier.verify(request)).resolves.toMatchObject({ jti: signed.jti });
  });
});

describe('routes', () => {
  it('refuses an authenticated peer outside its routes', async () => {
    const claims = { ...requestClaims(ctx.clock), htp: '/admin' };
    const token = await mint(ctx.gateway, claims);
    const error = await refusal(call(token, { path: '/admin' }));
    expect(error.code).toBe('ERR_SERVICE_AUTH_ROUTE');
  });
});

describe('oversized input', () => {
  it('refuses an Authorization header over 8 KiB before any base64 or JSON work', async () => {
    const token = await mint(ctx.gateway, { ...requestClaims(ctx.clock), pad: 'x'.repeat(9000) });
    const parse = vi.spyOn(JSON, 'parse');
    const from = vi.spyOn(Buffer, 'from');
    const error = await refusal(call(token));
    expect(parse).not.toHaveBeenCalled();
    expect(from).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(error.code).toBe('ERR_SERVICE_AUTH_TOO_LARGE');
  });

  it.each([
    ['many dots', `${'.'.repeat(8000)}`],
    ['four segments', 'a.b.c.d'],
    ['two segments', 'a.b'],
    ['an empty payload', 'a..c'],
    ['a non-base64url byte', 'a.b+.c'],
  ])('refuses %s without decoding', async (_name, token) => {
    const parse = vi.spyOn(JSON, 'parse');
    const error = await refusal(call(token));
    expect(parse).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(error.code).toBe('ERR_SERVICE_AUTH_MALFORMED');
  });

  it('refuses a missing header and another scheme', async () => {
    expect((await refusal({ ...call('x'), authorization: undefined })).code).toBe(
      'ERR_SERVICE_AUTH_MALFORMED',
    );
    expect((await refusal({ ...call('x'), authorization: 'Basic Zm9vOmJhcg==' })).code).toBe(
      'ERR_SERVICE_AUTH_MALFORMED',
    );
  });
});

describe('events and errors', () => {
  it('never carry the token', async () => {
    const token = await mint(ctx.gateway, { ...requestClaims(ctx.clock), aud: 'pulsar' });
    const error = await refusal(call(token));
    const signature = token.split('.')[2] as string;
    expect(error.message).not.toContain(signature);
    expect(JSON.stringify(ctx.events)).not.toContain(signature);
  });

  it('leave the query out of the reported path', async () => {
    await refusal(call('a.b', { path: '/jobs?token=secret' }));
    expect(ctx.events.at(-1)).toMatchObject({ path: '/jobs' });
  });

  it('does not let a throwing onEvent change the verdict', async () => {
    const throwing = await runnerVerifier({
      onEvent: () => {
        throw new Error('log sink down');
      },
    });
    const token = await mint(throwing.gateway, requestClaims(throwing.clock));
    await expect(throwing.verifier.verify(call(token))).resolves.toMatchObject({ name: 'gateway' });
    await expect(throwing.verifier.verify(call(token))).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_REPLAY',
    });
  });
});

describe('a foreign RSA key pair', () => {
  it('cannot be configured as a peer key', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwks = { keys: [publicKey.export({ format: 'jwk' })] };
    const peers = [
      {
        name: 'gateway',
        algorithms: ['ES256' as const],
        jwks: jwks as never,
        routes: ['POST /jobs'],
      },
    ];
    await expect(runnerVerifier({ peers })).rejects.toMatchObject({ code: 'ERR_SERVICE_AUTH_KEY' });
  });
});
