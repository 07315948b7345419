import { describe, expect, it } from 'vitest';
import { DEFAULT_TOTP_PARAMETERS, MfaError, otpauthUri, qrImages } from '../src/index.js';
import { checkIssuer } from '../src/otpauth-uri.js';

const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const params = DEFAULT_TOTP_PARAMETERS;
const NO_LONE = '(no unpaired surrogate)';

describe('otpauthUri', () => {
  it('escapes issuer and account name with %20 and %40, never +', () => {
    const uri = otpauthUri({
      issuer: 'Galaxy EU',
      accountName: 'ana+test@example.org',
      secret,
      params,
    });
    expect(uri).toBe(
      'otpauth://totp/Galaxy%20EU:ana%2Btest%40example.org' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=Galaxy%20EU&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('round-trips issuer and account through a URI parser, UTF-8 included', () => {
    const uri = otpauthUri({
      issuer: 'Galaxy Zürich & Co',
      accountName: 'jöse?#&=/',
      secret,
      params,
    });
    const parsed = new URL(uri);
    const [issuer, account] = decodeURIComponent(parsed.pathname.slice(1)).split(':');
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(issuer).toBe('Galaxy Zürich & Co');
    expect(account).toBe('jöse?#&=/');
    expect(parsed.searchParams.get('issuer')).toBe('Galaxy Zürich & Co');
    expect(parsed.searchParams.get('secret')).toBe(secret);
    expect([...parsed.searchParams.keys()]).toEqual([
      'secret',
      'issuer',
      'algorithm',
      'digits',
      'period',
    ]);
  });

  it.each(['ana:admin', 'ana\nbob', '', 'x'.repeat(129)])(
    'refuses the account name %j',
    (accountName) => {
      expect(() => otpauthUri({ issuer: 'Galaxy', accountName, secret, params })).toThrow(MfaError);
    },
  );

  it.each([
    ['accountName', 'Galaxy', 'ana\ud800'],
    ['issuer', 'Gal\udc00', 'ana'],
  ])(
    'refuses an unpaired surrogate in the %s with MfaError, not URIError (a 500)',
    (name, issuer, accountName) => {
      expect(() => otpauthUri({ issuer, accountName, secret, params })).toThrow(
        expect.objectContaining({
          code: 'ERR_MFA_ARGUMENT',
          message: `@galaxy-harden/mfa: argument ${name} must be well-formed Unicode ${NO_LONE}`,
        }),
      );
    },
  );

  it('refuses an issuer with an unpaired surrogate at construction', () => {
    expect(() => checkIssuer('Galaxy\ud83e')).toThrow(
      '@galaxy-harden/mfa: option issuer must be well-formed Unicode (an unpaired surrogate ' +
        'cannot be put in a URI), got "Galaxy\\ud83e"; fix how the name is read or decoded',
    );
  });

  it('keeps a whole emoji (a surrogate pair) and escapes %, & and # (hostile issuer)', () => {
    const issuer = 'Galaxy 🧬 100% &co #1';
    const uri = otpauthUri({ issuer, accountName: 'ana&secret=AAAA#x', secret, params });
    const parsed = new URL(uri);
    expect(parsed.hash).toBe('');
    expect(parsed.searchParams.getAll('secret')).toEqual([secret]);
    expect(parsed.searchParams.get('issuer')).toBe(issuer);
    expect(decodeURIComponent(parsed.pathname.slice(1))).toBe(`${issuer}:ana&secret=AAAA#x`);
  });

  it.each(['Galaxy:EU', '', 'a\tb', 'x'.repeat(65), 42])(
    'refuses the issuer %j at construction',
    (issuer) => {
      expect(() => checkIssuer(issuer)).toThrow(
        /^@galaxy-harden\/mfa: option issuer must be 1 to 64 characters/,
      );
    },
  );
});

describe('qrImages', () => {
  it('renders an SVG document and a PNG data URL', async () => {
    const uri = otpauthUri({ issuer: 'Galaxy', accountName: 'ana', secret, params });
    const { svg, pngDataUrl } = await qrImages(uri);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    expect(pngDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(pngDataUrl.split(',')[1] ?? '', 'base64');
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });
});
