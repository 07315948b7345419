import { describe, expect, it } from 'vitest';
import { compileCsp, GATEWAY_CSP_DIRECTIVES } from '../src/csp.js';
import { thrown } from './support/thrown.js';

describe('compileCsp', () => {
  it('enforces the gateway policy with a nonce slot in script-src', () => {
    const csp = compileCsp();
    expect(csp.headerName).toBe('Content-Security-Policy');
    expect(csp.parts).toHaveLength(2);
    const text = csp.parts.join('N0NCE');
    expect(text).toContain("default-src 'self'");
    expect(text).toContain("script-src 'self' 'nonce-N0NCE'");
    expect(text).not.toContain('style-src');
    expect(csp.withoutNonce).toBe(text.replace(" 'nonce-N0NCE'", ''));
    expect(text).toContain("object-src 'none'");
    expect(text).toContain("script-src-attr 'none'");
    expect(text).toContain("frame-ancestors 'self'");
    expect(text).not.toContain('unsafe-inline');
  });

  it('has a report-only mode for rollout', () => {
    expect(compileCsp({ reportOnly: true }).headerName).toBe('Content-Security-Policy-Report-Only');
  });

  it('renders one fixed string when nonces are off', () => {
    const csp = compileCsp({ nonce: false });
    expect(csp.parts).toHaveLength(1);
    expect(csp.parts[0]).toContain("script-src 'self';");
  });

  it('lets a directive be replaced, added or dropped', () => {
    const csp = compileCsp({
      nonce: false,
      directives: {
        'img-src': ["'self'", 'https://usegalaxy.example'],
        'report-uri': ['/csp-report'],
        'upgrade-insecure-requests': null,
      },
    });
    expect(csp.parts[0]).toContain("img-src 'self' https://usegalaxy.example");
    expect(csp.parts[0]).toContain('report-uri /csp-report');
    expect(csp.parts[0]).not.toContain('upgrade-insecure-requests');
  });

  it('gives an added style-src the nonce too', () => {
    const csp = compileCsp({ directives: { 'style-src': ["'self'"] } });
    expect(csp.parts.join('X')).toContain("style-src 'self' 'nonce-X'");
  });

  it('keeps the nonce when script-src is replaced', () => {
    const csp = compileCsp({ directives: { 'script-src': ["'self'", 'https://cdn.example'] } });
    expect(csp.parts.join('X')).toContain("script-src 'self' https://cdn.example 'nonce-X'");
  });

  it('does not let callers change the exported defaults', () => {
    expect(Object.isFrozen(GATEWAY_CSP_DIRECTIVES)).toBe(true);
  });

  it.each([
    [{ 'script-src': ['self'] }, 'should be quoted'],
    [{ 'script-src': ["'self'; script-src *"] }, 'invalid directive value'],
    [{ 'img-src': ['a.example,b.example'] }, 'invalid directive value'],
    [{ 'default-src': null }, 'needs a default-src'],
    [{ 'bad name': ["'self'"] }, 'invalid directive name'],
  ])('refuses a policy helmet would refuse: %j', (directives, detail) => {
    const err = thrown(() => compileCsp({ directives }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain('option csp.directives');
    expect(err.message).toContain(detail);
  });

  it.each([[{ 'script-src': "'self'" }], [{ 'script-src': [1] }]])(
    'refuses sources that are not an array of strings: %j',
    (directives) => {
      const err = thrown(() => compileCsp({ directives: directives as never }));
      expect(err.code).toBe('ERR_HEADERS_OPTION');
      expect(err.message).toContain('option csp.directives["script-src"]');
    },
  );

  it.each([
    ["'self'\r\nSet-Cookie: session=x"],
    ["'self'\n"],
    ['https://b\u00fccher.example'],
    ["'self'\u0000"],
    [''],
  ])(
    'refuses a source that is not printable ASCII at start-up: %j (class: header injection)',
    (source) => {
      const err = thrown(() => compileCsp({ directives: { 'img-src': ["'self'", source] } }));
      expect(err.code).toBe('ERR_HEADERS_OPTION');
      expect(err.message).toContain(
        'option csp.directives["img-src"] got ["\'self\'",' +
          `${JSON.stringify(source)}]; it must be an array of printable-ASCII source strings`,
      );
      expect(err.message).not.toMatch(/[\r\n]/);
    },
  );

  it('refuses a nonce with nowhere to go (class: nonce silently dropped)', () => {
    const err = thrown(() => compileCsp({ directives: { 'script-src': null } }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toBe(
      '@galaxy-harden/headers: option csp.nonce got true; a nonce needs a script-src or ' +
        "style-src directive to go into. Fix: keep script-src (e.g. ['self']), or pass " +
        'csp: { nonce: false }',
    );
    expect(compileCsp({ directives: { 'script-src': null }, nonce: false }).parts).toHaveLength(1);
    const styled = compileCsp({ directives: { 'script-src': null, 'style-src': ["'self'"] } });
    expect(styled.parts.join('N')).toContain("style-src 'self' 'nonce-N'");
  });

  it('refuses a non-boolean reportOnly', () => {
    const err = thrown(() => compileCsp({ reportOnly: 'yes' as unknown as boolean }));
    expect(err.message).toContain('option csp.reportOnly got "yes"');
  });
});
