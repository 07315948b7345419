import { describe, expect, it } from 'vitest';
import { compileCsp } from '../src/csp.js';
import { securityErrorHandler } from '../src/express-error-handler.js';
import { httpsRedirect } from '../src/express-https-redirect.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { fetchAnswers } from '../src/fetch-answers.js';
import { hstsHeaderValue } from '../src/hsts.js';
import { planHttpsRedirect } from '../src/https-redirect-target.js';
import { nginxConfig } from '../src/nginx-config.js';
import { permissionsPolicyValue } from '../src/permissions-policy.js';
import { SecurityHeaderSet } from '../src/security-header-set.js';
import { thrown } from './support/thrown.js';

const site = {
  serverName: 'galaxy.test',
  listenHttps: '443',
  certificate: '/etc/ssl/galaxy.pem',
  certificateKey: '/etc/ssl/galaxy.key',
  upstream: 'http://127.0.0.1:8080',
};
const redirect = { allowedHosts: ['galaxy.test'] };

// Each of these was accepted and ignored: the caller believed the option took effect.
const MISSPELT: Array<[string, () => unknown, string]> = [
  [
    'hsts.includeSubdomains',
    () => securityHeaders({ hsts: { includeSubdomains: false } as never }),
    'option hsts.includeSubdomains got false; no such option exists. Fix: rename it to ' +
      'includeSubDomains',
  ],
  [
    'hsts.maxAge',
    () => hstsHeaderValue({ maxAge: 600 } as never),
    'option hsts.maxAge got 600; no such option exists. Fix: remove it, or use one of ' +
      'maxAgeSeconds, includeSubDomains, preload',
  ],
  [
    'csp.reportonly',
    () => compileCsp({ reportonly: true } as never),
    'option csp.reportonly got true; no such option exists. Fix: rename it to reportOnly',
  ],
  [
    'helmet-style contentSecurityPolicy',
    () => securityHeaders({ contentSecurityPolicy: false } as never),
    'option contentSecurityPolicy got false; no such option exists',
  ],
  [
    'unsafeKeepProxyHeaders',
    () => securityHeaders({ unsafeKeepProxyHeaders: true } as never),
    'option unsafeKeepProxyHeaders got true; no such option exists. Fix: remove it',
  ],
  [
    'onEvent on the framework-free set',
    () => new SecurityHeaderSet({ onEvent: () => {} } as never),
    'option onEvent got a function; no such option exists',
  ],
  [
    'httpPort on httpsRedirect',
    () => httpsRedirect({ ...redirect, httpPort: 8443 } as never),
    'option httpPort got 8443; no such option exists',
  ],
  [
    'onEvent on planHttpsRedirect',
    () => planHttpsRedirect({ ...redirect, onEvent: () => {} } as never),
    'option onEvent got a function; no such option exists',
  ],
  [
    'serverNames on nginxConfig',
    () => nginxConfig({ ...site, serverNames: ['a.test'] } as never),
    'option serverNames got ["a.test"]; no such option exists',
  ],
  [
    'headers.onEvent on nginxConfig',
    () => nginxConfig({ ...site, headers: { onEvent: () => {} } } as never),
    'option headers.onEvent got a function; no such option exists',
  ],
  [
    'locations[].alias on nginxConfig',
    () =>
      nginxConfig({
        ...site,
        locations: [{ path: '/s/', kind: 'static', directory: '/srv/s/', alias: '/x/' }],
      } as never),
    'option locations[].alias got "/x/"; no such option exists',
  ],
  [
    'onerror on securityErrorHandler',
    () => securityErrorHandler(securityHeaders(), { onerror: () => {} } as never),
    'option onerror got a function; no such option exists. Fix: rename it to onError',
  ],
];

// helmet turns a header off with `false`; here that would be read as "use the defaults".
const WRONG_TYPE: Array<[string, () => unknown, string]> = [
  [
    'hsts: false',
    () => securityHeaders({ hsts: false } as never),
    'option hsts got false; it must be an object. Fix: pass an object with some of ' +
      'maxAgeSeconds, includeSubDomains, preload',
  ],
  ['csp: false', () => securityHeaders({ csp: false } as never), 'option csp got false'],
  [
    'nginx headers.csp: false',
    () => nginxConfig({ ...site, headers: { csp: false } } as never),
    'option headers.csp got false; it must be an object',
  ],
  ['options null', () => securityHeaders(null as never), 'option options got null'],
  ['hsts null', () => new SecurityHeaderSet({ hsts: null } as never), 'option hsts got null'],
  ['nginx without options', () => nginxConfig(undefined as never), 'got undefined'],
  [
    'permissionsPolicy: false',
    () => permissionsPolicyValue(false as never),
    'option permissionsPolicy got false; it must be an object',
  ],
  [
    'csp.directives as a string',
    () => compileCsp({ directives: "default-src 'self'" as never }),
    'option csp.directives got "default-src \'self\'"; it must be an object',
  ],
  [
    'nginx kind in capitals',
    () => nginxConfig({ ...site, locations: [{ path: '/', kind: 'Proxy' }] } as never),
    "option locations[].kind got \"Proxy\"; it must be 'proxy' or 'static'",
  ],
  [
    'nginx locations: {}',
    () => nginxConfig({ ...site, locations: {} } as never),
    'option locations got {}; it must be a non-empty array',
  ],
  [
    'the factory instead of the middleware',
    () => securityErrorHandler(securityHeaders as never),
    'option headers got a function; it must be the middleware securityHeaders() returned',
  ],
  [
    'onError as a string',
    () => securityErrorHandler(securityHeaders(), { onError: 'log' as never }),
    'option onError got "log"; it must be a function',
  ],
];

describe('options are checked by name (class: misspelt option silently ignored)', () => {
  it.each(MISSPELT)('refuses %s at start-up', (_, make, message) => {
    const err = thrown(make);
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain(`@galaxy-harden/headers: ${message}`);
  });

  it.each(WRONG_TYPE)('refuses %s at start-up', (_, make, message) => {
    const err = thrown(make);
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain(message);
    expect(err.message).toContain('Fix:');
  });

  it('refuses a misspelt fetchAnswers option before any request', async () => {
    const err = await fetchAnswers('http://127.0.0.1:9/', { timeout: 5 } as never).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ERR_HEADERS_OPTION' });
    expect((err as Error).message).toContain('option timeout got 5; no such option exists');
  });

  it('accepts every documented option name', () => {
    const handler = securityHeaders({
      hsts: { maxAgeSeconds: 63_072_000, includeSubDomains: true, preload: true },
      csp: { directives: { 'img-src': ["'self'"] }, reportOnly: true, nonce: true },
      permissionsPolicy: { camera: [] },
      referrerPolicy: 'same-origin',
      crossOriginOpenerPolicy: 'same-origin',
      crossOriginResourcePolicy: 'same-site',
      frameOptions: 'deny',
      unsafeKeepProxyHeader: false,
      onEvent: () => {},
      now: () => 0,
    });
    expect(handler.headerSet.hsts).toBe('max-age=63072000; includeSubDomains; preload');
    expect(() => httpsRedirect({ ...redirect, httpsPort: 8443, onEvent: () => {} })).not.toThrow();
    expect(() => securityErrorHandler(handler, { onError: () => {} })).not.toThrow();
  });
});
