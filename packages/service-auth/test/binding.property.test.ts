import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import { signRequest } from '../src/index.js';
import { runnerVerifier } from './helpers.js';

// Dot segments are excluded: route rules refuse them (tested in route-rules.test.ts).
const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/);
const call = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
  query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&%_-]{0,20}$/), { nil: undefined }),
  // Bytes as a number array, so a failure prints them readably; made a Uint8Array per run.
  body: fc.array(fc.nat(255), { maxLength: 256 }),
});
const extraBytes = fc.array(fc.nat(255), { minLength: 1, maxLength: 8 });
type Call = typeof call extends fc.Arbitrary<infer V> ? V : never;

describe('request binding (property)', () => {
  it('accepts exactly the call that was signed and refuses any other body', async () => {
    const open = await runnerVerifier();
    const { createServiceVerifier, publicJwks } = await import('../src/index.js');
    const verifier = await createServiceVerifier({
      identity: open.runner,
      peers: [
        {
          name: 'gateway',
          algorithms: ['ES256'],
          jwks: publicJwks(open.gateway),
          routes: ['* /**'],
        },
      ],
      now: open.clock.now,
    });
    await fc.assert(
      fc.asyncProperty(call, extraBytes, async (c, extra) => {
        const body = Uint8Array.from(c.body);
        const path = `/${c.segments.join('/')}${c.query === undefined ? '' : `?${c.query}`}`;
        const options = {
          audience: 'job-runner',
          method: c.method,
          path,
          body,
          now: open.clock.now,
        };
        const signed = await signRequest(open.gateway, options);
        const other = Buffer.concat([body, Uint8Array.from(extra)]);
        const base = { authorization: signed.authorization, method: c.method, path };
        await expect(verifier.verify({ ...base, body: other })).rejects.toMatchObject({
          code: 'ERR_SERVICE_AUTH_BINDING',
        });
        await expect(verifier.verify({ ...base, body })).resolves.toMatchObject({
          jti: signed.jti,
        });
      }),
      fuzzParameters<[Call, number[]]>('service-auth-binding', 40),
    );
    await verifier.close();
  });
});
