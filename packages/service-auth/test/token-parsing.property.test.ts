import type { NextFunction, Request, Response } from 'express';
import fc from 'fast-check';
import { errors as joseErrors } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import { serviceAuth } from '../src/express.js';
import {
  type IncomingCall,
  REQUEST_TYP,
  RESPONSE_TYP,
  ServiceAuthError,
  type ServiceAuthErrorCode,
  signRequest,
} from '../src/index.js';
import { runnerVerifier } from './helpers.js';

// What a refused call may be told; configuration, key-file, store and response codes would
// mean that junk in one header reached code it must never reach.
const REFUSAL_CODES = new Set<ServiceAuthErrorCode>([
  'ERR_SERVICE_AUTH_TOO_LARGE',
  'ERR_SERVICE_AUTH_MALFORMED',
  'ERR_SERVICE_AUTH_HEADER',
  'ERR_SERVICE_AUTH_UNKNOWN_PEER',
  'ERR_SERVICE_AUTH_UNKNOWN_KEY',
  'ERR_SERVICE_AUTH_SIGNATURE',
  'ERR_SERVICE_AUTH_CLAIMS',
  'ERR_SERVICE_AUTH_LIFETIME',
  'ERR_SERVICE_AUTH_BINDING',
  'ERR_SERVICE_AUTH_ROUTE',
  'ERR_SERVICE_AUTH_REPLAY',
]);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BODY = '{"tool":"sed"}';

let ctx: Awaited<ReturnType<typeof runnerVerifier>>;
beforeAll(async () => {
  ctx = await runnerVerifier();
});
afterAll(() => ctx.store.close());

function call(authorization: string | undefined, body = BODY): IncomingCall {
  return { authorization, method: 'POST', path: '/jobs', body: Buffer.from(body) };
}

/** The error `verify` rejected with; fails the property if the call was accepted. */
async function refusal(incoming: IncomingCall): Promise<unknown> {
  try {
    await ctx.verifier.verify(incoming);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${JSON.stringify(incoming.authorization?.slice(0, 80))}`);
}

function expectTypedRefusal(error: unknown, authorization: string | undefined): void {
  expect(error).toBeInstanceOf(ServiceAuthError);
  const { code, cause, message } = error as ServiceAuthError;
  expect(REFUSAL_CODES.has(code), code).toBe(true);
  // A TypeError from our own parsing, wrapped as "malformed", would hide a crash.
  if (cause !== undefined) expect(cause).toBeInstanceOf(joseErrors.JOSEError);
  // Tokens are credentials: no part of one is echoed into the error (or the audit event).
  const tail = authorization?.slice(-16) ?? '';
  if (tail.trim().length === 16) expect(message).not.toContain(tail);
}

function utf16Units(maxLength: number) {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
  return fc.string({ unit, maxLength });
}

const scheme = fc.constantFrom(
  ...['Bearer ', 'bearer ', 'BEARER   ', 'Bearer', 'Bearer\t', ' Bearer ', 'Basic ', 'DPoP ', ''],
);
const junkSegment = fc.oneof(
  fc.string({ unit: fc.constantFrom(...B64URL, '=', '+', '/', ' ', '%'), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  utf16Units(20),
  fc.constantFrom('', 'eyJ', 'e30', 'eyJhbGciOiJub25lIn0', 'bnVsbA', 'W10', 'MQ'),
);
const compactLike = fc
  .tuple(scheme, fc.array(junkSegment, { maxLength: 7 }))
  .map(([head, segments]) => head + segments.join('.'));
const huge = fc
  .tuple(
    scheme,
    fc.integer({ min: 8000, max: 40_000 }),
    fc.constantFrom('a', '.', 'a.', 'eyJ', '=', '\u00e9', '\u{1f600}', ' '),
  )
  .map(([head, count, piece]) => head + piece.repeat(Math.ceil(count / piece.length)));

/** Headers and payloads that decode and parse, reaching the key lookup and signature check. */
function decodableToken(kid: string) {
  const header = fc.record(
    {
      alg: fc.constantFrom('ES256', 'EdDSA', 'Ed25519', 'none', 'None', 'HS256', 'RS256', ''),
      kid: fc.oneof(fc.constant(kid), fc.string({ maxLength: 130 })),
      typ: fc.constantFrom(REQUEST_TYP, RESPONSE_TYP, 'JWT', REQUEST_TYP.toUpperCase()),
      crit: fc.constant(['b64']),
      b64: fc.constant(false),
      jku: fc.constant('http://127.0.0.1:9/jwks'),
      jwk: fc.constant({ kty: 'oct', k: 'AAAA' }),
    },
    { requiredKeys: ['alg', 'kid', 'typ'] },
  );
  const now = ctx.clock.seconds();
  const claims = fc.record(
    {
      iss: fc.constantFrom('gateway', 'job-runner', 'Gateway', ''),
      sub: fc.constantFrom('gateway', 'other'),
      aud: fc.oneof(fc.constant('job-runner'), fc.constant(['job-runner', 'x'])),
      iat: fc.integer({ min: now - 120, max: now + 120 }),
      exp: fc.integer({ min: now - 120, max: now + 120 }),
      jti: fc.string({ maxLength: 30 }),
      htm: fc.constantFrom('POST', 'GET', 'post'),
      htp: fc.constantFrom('/jobs', '/admin', '/jobs/'),
    },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(claims, fc.jsonValue({ maxDepth: 2 }));
  const signature = fc.oneof(
    fc
      .array(fc.nat(255), { minLength: 64, maxLength: 64 })
      .map((bytes) => Buffer.from(bytes).toString('base64url')),
    junkSegment,
  );
  const toSegment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return fc
    .tuple(scheme, header, payload, signature)
    .map(([head, h, p, s]) => `${head}${toSegment(h)}.${toSegment(p)}.${s}`);
}

function anyAuthorization(kid: string) {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    utf16Units(80),
    compactLike,
    huge,
    decodableToken(kid),
  );
}

describe('ServiceVerifier.verify on arbitrary Authorization values (property)', () => {
  it('always refuses with a typed ServiceAuthError, never anything else', async () => {
    const seen = ctx.events.length;
    await fc.assert(
      fc.asyncProperty(anyAuthorization(ctx.gateway.kid), async (authorization) => {
        expectTypedRefusal(await refusal(call(authorization)), authorization);
        const last = ctx.events.at(-1);
        expect(last).toMatchObject({ type: 'service.rejected' });
      }),
      fuzzParameters<[string]>('service-auth-token-any', 300),
    );
    const accepted = ctx.events.slice(seen).filter((e) => e.type === 'service.authenticated');
    expect(accepted).toEqual([]);
  });
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What the middleware touches: headers, method, URL, socket, raw body; status, set, json. */
function minimalExchange(authorization: string | null) {
  const headers: Record<string, string> = { 'content-length': String(BODY.length) };
  if (authorization !== null) headers.authorization = authorization;
  const req = {
    headers,
    method: 'POST',
    originalUrl: '/jobs',
    socket: { encrypted: false },
    rawBody: Buffer.from(BODY),
  };
  const answer: Answer = { status: 0, headers: {}, body: undefined };
  const res = {
    status: (code: number) => {
      answer.status = code;
      return res;
    },
    set: (fields: Record<string, string>) => {
      Object.assign(answer.headers, fields);
      return res;
    },
    json: (body: unknown) => {
      answer.body = body;
      return res;
    },
  };
  return { req: req as unknown as Request, res: res as unknown as Response, answer };
}

describe('serviceAuth middleware on arbitrary Authorization values (property)', () => {
  it('answers every one with the same 401 and never calls next', async () => {
    const middleware = serviceAuth(ctx.verifier);
    const uniform: Answer = {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer realm="galaxy-service", error="invalid_token"',
        'cache-control': 'no-store',
      },
      body: { error: 'unauthorized' },
    };
    const header = fc.option(anyAuthorization(ctx.gateway.kid), { nil: null });
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const { req, res, answer } = minimalExchange(authorization);
        const nextCalls: unknown[] = [];
        const next: NextFunction = (error?: unknown) => void nextCalls.push(error);
        await middleware(req, res, next);
        expect(nextCalls).toEqual([]);
        expect(answer).toEqual(uniform);
        expect(req.servicePeer).toBeUndefined();
      }),
      fuzzParameters<[string | null]>('service-auth-middleware-any', 200),
    );
  });
});

type Tamper = 'swap' | 'xor' | 'byte';

/** `at` from the start, or (when negative) from the end: the last characters carry spare bits. */
function position(at: number, length: number): number {
  return at < 0 ? length + at : at % length;
}

/** Changes one character (swap, xor) or one decoded byte (byte) of one segment. */
function tamper(token: string, segment: number, at: number, kind: Tamper, mask: number): string {
  const parts = token.split('.');
  const text = parts[segment]!;
  const i = position(at, text.length);
  if (kind === 'byte') {
    const bytes = Buffer.from(text, 'base64url');
    const j = position(at, bytes.length);
    bytes[j] = (bytes[j] ?? 0) ^ mask;
    parts[segment] = bytes.toString('base64url');
  } else {
    const c = text[i]!;
    const swapped = B64URL[(B64URL.indexOf(c) + 1 + (mask % 63)) % 64]!;
    const other = kind === 'swap' ? swapped : String.fromCharCode(c.charCodeAt(0) ^ mask);
    parts[segment] = text.slice(0, i) + other + text.slice(i + 1);
  }

  return parts.join('.');
}

function sameBytes(a: string, b: string): boolean {
  const decode = (token: string) => token.split('.').map((s) => Buffer.from(s, 'base64url'));
  const [x, y] = [decode(a), decode(b)];
  return x.length === y.length && x.every((part, i) => part.equals(y[i]!));
}

async function signed(body = BODY) {
  const options = { audience: 'job-runner', method: 'POST', path: '/jobs', body };
  return signRequest(ctx.gateway, { ...options, now: ctx.clock.now });
}

describe('tampered valid tokens (property)', () => {
  it('refuses a token with any byte of any segment changed; the original still works', async () => {
    const change = fc.record({
      segment: fc.constantFrom(0, 1, 2),
      at: fc.oneof(fc.nat(), fc.constantFrom(-1, -2)),
      kind: fc.constantFrom<Tamper>('swap', 'xor', 'byte'),
      mask: fc.integer({ min: 1, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(change, async ({ segment, at, kind, mask }) => {
        const { token, authorization } = await signed();
        const changed = tamper(token, segment, at, kind, mask);
        let error: unknown;
        try {
          await ctx.verifier.verify(call(`Bearer ${changed}`));
        } catch (caught) {
          error = caught;
        }
        // A change confined to the spare bits of a last character decodes to the same bytes;
        // such non-canonical spellings are refused like any other change.
        expect(error).toBeDefined();
        expectTypedRefusal(error, changed);
        await expect(ctx.verifier.verify(call(authorization))).resolves.toBeDefined();
      }),
      fuzzParameters<[{ segment: number; at: number; kind: Tamper; mask: number }]>(
        'service-auth-token-tampered',
        150,
      ),
    );
  });

  it('refuses a non-canonical base64url signature spelling (malleable token)', async () => {
    const { token } = await signed();
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // An ES256 signature is 64 bytes: 86 characters, the last one carrying 4 spare bits.
    const respelt = `${token.slice(0, -1)}${alphabet[alphabet.indexOf(last) | 1]}`;
    expect(sameBytes(token, respelt)).toBe(true);

    const error = await ctx.verifier.verify(call(`Bearer ${respelt}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceAuthError);
    expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_MALFORMED');
    expect((error as ServiceAuthError).message).toMatch(/not canonical base64url/);
  });

  it('refuses one token payload with another token signature, and the reverse', async () => {
    const body = fc.string({ unit: 'binary', maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(body, body, async (bodyA, bodyB) => {
        const [a, b] = [await signed(bodyA), await signed(bodyB)];
        const [headerA, payloadA, signatureA] = a.token.split('.');
        const [, payloadB, signatureB] = b.token.split('.');
        for (const [mixed, sentBody] of [
          [`Bearer ${headerA}.${payloadB}.${signatureA}`, bodyB],
          [`Bearer ${headerA}.${payloadA}.${signatureB}`, bodyA],
        ] as const) {
          expectTypedRefusal(await refusal(call(mixed, sentBody)), mixed);
        }
        await expect(ctx.verifier.verify(call(a.authorization, bodyA))).resolves.toBeDefined();
        await expect(ctx.verifier.verify(call(b.authorization, bodyB))).resolves.toBeDefined();
      }),
      fuzzParameters<[string, string]>('service-auth-token-spliced', 60),
    );
  });
});
