import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServiceIdentity, generateServiceKey, publicJwks } from '../src/index.js';

// RFC 7638 section 3: SHA-256 over the required members in lexicographic order, no spaces.
function thumbprint(jwk: { kty: string; crv: string; x: string; y?: string }): string {
  const json =
    jwk.kty === 'EC'
      ? `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`
      : `{"crv":"${jwk.crv}","kty":"OKP","x":"${jwk.x}"}`;
  return createHash('sha256').update(json).digest('base64url');
}

describe('identities', () => {
  it.each(['ES256', 'EdDSA'] as const)(
    'gives a %s key a kid equal to its RFC 7638 thumbprint',
    async (alg) => {
      const privateJwk = await generateServiceKey(alg);
      const identity = await createServiceIdentity('galaxy', privateJwk);
      expect(identity.kid).toBe(thumbprint(identity.publicJwk));
      expect(privateJwk.kid).toBe(identity.kid);
      expect(identity.alg).toBe(alg);
    },
  );

  it('publishes no private member', async () => {
    const identity = await createServiceIdentity('galaxy', await generateServiceKey());
    const jwks = publicJwks(identity);
    expect(Object.keys(jwks.keys[0]!).sort()).toEqual([
      'alg',
      'crv',
      'kid',
      'kty',
      'use',
      'x',
      'y',
    ]);
  });

  it('keeps the private key unextractable', async () => {
    const identity = await createServiceIdentity('galaxy', await generateServiceKey());
    expect(identity.privateKey.extractable).toBe(false);
  });

  it('refuses a private JWK whose kid is not its thumbprint', async () => {
    const privateJwk = { ...(await generateServiceKey()), kid: 'galaxy-1' };
    await expect(createServiceIdentity('galaxy', privateJwk)).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_KEY',
    });
  });

  it('refuses a public JWK as the private key without printing it', async () => {
    const identity = await createServiceIdentity('galaxy', await generateServiceKey());
    const error = await createServiceIdentity('galaxy', identity.publicJwk).catch(
      (caught: Error) => caught,
    );
    expect(error).toMatchObject({ code: 'ERR_SERVICE_AUTH_OPTION' });
    expect((error as Error).message).toMatch(/option privateJwk must be a private/);
    expect((error as Error).message).not.toContain(identity.publicJwk.x);
  });

  it('refuses an unsupported algorithm', async () => {
    await expect(generateServiceKey('HS256' as never)).rejects.toThrow(
      /option alg must be ES256 or EdDSA/,
    );
  });
});
