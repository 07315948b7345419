import { describe, expect, it } from 'vitest';
import { type AuditCheck, auditHeaders } from '../src/audit.js';
import { SecurityHeaderSet } from '../src/security-header-set.js';

function goodHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  new SecurityHeaderSet().apply(
    { setHeader: (n, v) => (headers[n.toLowerCase()] = v), removeHeader: () => undefined },
    true,
  );
  return headers;
}

function checks(headers: Record<string, string | string[]>, url = 'https://galaxy.test/') {
  return auditHeaders({ url, status: 200, headers }).map((f) => `${f.severity}:${f.check}`);
}

describe('auditHeaders on HTTPS answers', () => {
  it('passes the headers securityHeaders() sends', () => {
    expect(checks(goodHeaders())).toEqual([]);
  });

  it.each<[string, Record<string, string | string[] | undefined>, string]>([
    ['HSTS missing', { 'strict-transport-security': undefined }, 'fail:hsts'],
    [
      'HSTS max-age=0 (a route weakened it)',
      { 'strict-transport-security': 'max-age=0' },
      'fail:hsts',
    ],
    ['HSTS under six months', { 'strict-transport-security': 'max-age=15767999' }, 'fail:hsts'],
    [
      'HSTS under a year',
      { 'strict-transport-security': 'max-age=20000000; includeSubDomains' },
      'warn:hsts',
    ],
    [
      'HSTS without includeSubDomains',
      { 'strict-transport-security': 'max-age=31536000' },
      'warn:hsts',
    ],
    [
      'HSTS sent twice',
      { 'strict-transport-security': ['max-age=31536000', 'max-age=31536000'] },
      'fail:hsts',
    ],
    [
      'HSTS joined by a proxy',
      { 'strict-transport-security': 'max-age=1, max-age=31536000' },
      'fail:hsts',
    ],
    ['HSTS garbage', { 'strict-transport-security': 'maxage=31536000' }, 'fail:hsts'],
    ['CSP missing', { 'content-security-policy': undefined }, 'fail:csp'],
    [
      'CSP unsafe-inline',
      {
        'content-security-policy':
          "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      },
      'warn:csp',
    ],
    [
      'CSP without script rules',
      { 'content-security-policy': "img-src 'self'; frame-ancestors 'none'" },
      'warn:csp',
    ],
    ['nosniff missing', { 'x-content-type-options': undefined }, 'fail:nosniff'],
    ['Referrer-Policy missing', { 'referrer-policy': undefined }, 'fail:referrer-policy'],
    [
      'Referrer-Policy unsafe-url last',
      { 'referrer-policy': 'no-referrer, unsafe-url' },
      'fail:referrer-policy',
    ],
    ['CORP missing', { 'cross-origin-resource-policy': undefined }, 'fail:corp'],
    ['COOP missing', { 'cross-origin-opener-policy': undefined }, 'fail:coop'],
    ['COOP unsafe-none', { 'cross-origin-opener-policy': 'unsafe-none' }, 'warn:coop'],
    ['X-Powered-By present', { 'x-powered-by': 'Express' }, 'fail:powered-by'],
    ['Server with a version', { server: 'nginx/1.22.1' }, 'fail:server'],
  ])('finds %s', (_, change, expected) => {
    const headers: Record<string, string | string[]> = goodHeaders();
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    expect(checks(headers)).toEqual([expected]);
  });

  it('counts a report-only CSP as none (it blocks nothing)', () => {
    const headers = goodHeaders();
    headers['content-security-policy-report-only'] = headers['content-security-policy']!;
    delete headers['content-security-policy'];
    const findings = auditHeaders({ url: 'https://galaxy.test/', status: 200, headers });
    expect(findings.map((f) => f.check)).toEqual<AuditCheck[]>(['csp']);
    expect(findings[0]!.message).toContain('report-only');
  });

  it('accepts X-Frame-Options in place of frame-ancestors, and fails without both', () => {
    const headers = goodHeaders();
    headers['content-security-policy'] = "default-src 'self'";
    expect(checks(headers)).toEqual([]);
    delete headers['x-frame-options'];
    expect(checks(headers)).toEqual(['fail:framing']);
  });

  it('reads fetch Headers, raw pairs and header objects alike', () => {
    const pairs = Object.entries(goodHeaders());
    expect(checks(Object.fromEntries(pairs))).toEqual([]);
    expect(
      auditHeaders({ url: 'https://g.test/', status: 200, headers: new Headers(pairs) }),
    ).toEqual([]);
    const doubled: Array<[string, string]> = [
      ...pairs,
      ['Strict-Transport-Security', 'max-age=31536000'],
    ];
    expect(auditHeaders({ url: 'https://g.test/', status: 200, headers: doubled })).toMatchObject([
      { check: 'hsts', severity: 'fail', message: '2 HSTS fields were sent' },
    ]);
  });

  it('gives every finding a fix', () => {
    const findings = auditHeaders({ url: 'https://galaxy.test/', status: 200, headers: {} });
    expect(findings.length).toBeGreaterThan(5);
    for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(5);
  });
});

describe('auditHeaders on plain-HTTP answers', () => {
  it('passes a redirect to HTTPS', () => {
    const headers = { location: 'https://galaxy.test/' };
    expect(auditHeaders({ url: 'http://galaxy.test/', status: 301, headers })).toEqual([]);
  });

  it.each([
    [200, {}, 'fail:transport'],
    [301, { location: 'http://galaxy.test/login' }, 'fail:transport'],
    [
      301,
      { location: 'https://galaxy.test/', 'strict-transport-security': 'max-age=31536000' },
      'warn:hsts',
    ],
    [301, { location: 'https://galaxy.test/', server: 'Apache/2.4.1' }, 'fail:server'],
  ])('flags status %i with %j', (status, headers, expected) => {
    const findings = auditHeaders({ url: 'http://galaxy.test/', status, headers });
    expect(findings.map((f) => `${f.severity}:${f.check}`)).toEqual([expected]);
  });
});
