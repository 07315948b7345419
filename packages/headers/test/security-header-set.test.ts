import { describe, expect, it } from 'vitest';
import { SecurityHeaderSet } from '../src/security-header-set.js';
import { thrown } from './support/thrown.js';

function record(set: SecurityHeaderSet, secure: boolean) {
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const nonce = set.apply(
    { setHeader: (n, v) => headers.set(n.toLowerCase(), v), removeHeader: (n) => removed.push(n) },
    secure,
  );
  return { headers, removed, nonce };
}

describe('SecurityHeaderSet', () => {
  it("sends helmet's headers plus Permissions-Policy and removes X-Powered-By", () => {
    const { headers, removed } = record(new SecurityHeaderSet(), true);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('permissions-policy')).toContain('camera=()');
    expect(removed).toEqual(['X-Powered-By']);
  });

  it('sends HSTS on secure answers only (RFC 6797 §7.2)', () => {
    const set = new SecurityHeaderSet();
    expect(record(set, true).headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(record(set, false).headers.has('strict-transport-security')).toBe(false);
  });

  it('puts a fresh nonce into the CSP of every answer and returns it', () => {
    const set = new SecurityHeaderSet();
    const first = record(set, true);
    const second = record(set, true);
    expect(first.nonce).not.toBe(second.nonce);
    expect(first.headers.get('content-security-policy')).toContain(`'nonce-${first.nonce}'`);
  });

  it('returns no nonce and a fixed policy when nonces are off', () => {
    const { nonce, headers } = record(new SecurityHeaderSet({ csp: { nonce: false } }), true);
    expect(nonce).toBeUndefined();
    expect(headers.get('content-security-policy')).not.toContain('nonce-');
  });

  it('lists every header it manages, for the error handler and nginx', () => {
    const names = new SecurityHeaderSet().names;
    for (const name of [
      'strict-transport-security',
      'content-security-policy',
      'permissions-policy',
    ]) {
      expect(names.has(name)).toBe(true);
    }
  });

  it.each([
    ['referrerPolicy', 'unsafe-link'],
    ['crossOriginOpenerPolicy', 'same'],
    ['crossOriginResourcePolicy', 'none'],
    ['frameOptions', 'allow-from https://a.example'],
  ])('refuses %s = %j, naming the allowed values', (option, value) => {
    const err = thrown(() => new SecurityHeaderSet({ [option]: value }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain(`option ${option} got ${JSON.stringify(value)}`);
    expect(err.message).toContain('it must be one of');
  });
});
