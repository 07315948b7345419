import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type NginxFront,
  nginxInstalled,
  startNginxFront,
} from '../../../test/headers/support/nginx.js';
import { rawRequest } from '../../../test/headers/support/raw-request.js';
import { type NginxConfigOptions, nginxConfig } from '../src/nginx-config.js';
import { thrown } from './support/thrown.js';

const base: NginxConfigOptions = {
  serverName: 'galaxy.test',
  listenHttps: '127.0.0.1:8443',
  listenHttp: '127.0.0.1:8080',
  httpsPort: 8443,
  certificate: '/etc/ssl/galaxy.pem',
  certificateKey: '/etc/ssl/galaxy.key',
  upstream: 'http://127.0.0.1:3000',
  locations: [
    { path: '/', kind: 'proxy' },
    { path: '/api/download/', kind: 'proxy', headers: { 'X-Accel-Buffering': 'no' } },
    { path: '/static/', kind: 'static', directory: '/srv/galaxy/static/' },
  ],
};

/** The text of each `location` block. */
function locations(text: string): string[] {
  return text.split(/\n {4}location /).slice(1);
}

describe('nginxConfig', () => {
  const text = nginxConfig(base);

  it('repeats each header with always in every location (class: HSTS on some locations)', () => {
    const blocks = locations(text);
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      for (const name of [
        'Strict-Transport-Security',
        'X-Content-Type-Options',
        'Referrer-Policy',
      ]) {
        const lines = block.split('\n').filter((l) => l.includes(`add_header ${name} `));
        expect(lines, `${name} in ${block.split('\n')[0]}`).toHaveLength(1);
        expect(lines[0]).toMatch(/ always;$/);
      }
      expect(block).toContain('add_header Content-Security-Policy $galaxy_harden_csp always;');
    }
  });

  it('hides the upstream copies so each header is sent once (class: header set twice)', () => {
    for (const block of locations(text).filter((b) => b.includes('proxy_pass'))) {
      expect(block).toContain('proxy_hide_header Strict-Transport-Security;');
      expect(block).toContain('proxy_hide_header X-Powered-By;');
      expect(block).not.toContain('proxy_hide_header Content-Security-Policy;');
    }
  });

  it('adds a fallback CSP only when the upstream sent none', () => {
    expect(text).toMatch(
      /map \$upstream_http_content_security_policy \$galaxy_harden_csp \{\n {4}"" "default-src/,
    );
    expect(text).toContain('    default "";');
  });

  it('clears the Proxy header in every proxied location (class: httpoxy)', () => {
    for (const block of locations(text).filter((b) => b.includes('proxy_pass'))) {
      expect(block).toContain('proxy_set_header Proxy "";');
    }
  });

  it('allows TLS 1.2 and 1.3 only and hides the nginx version', () => {
    expect(text).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(text.match(/server_tokens off;/g)).toHaveLength(2);
  });

  it('redirects plain HTTP to the fixed host, 301 for GET/HEAD, 308 otherwise, no HSTS', () => {
    const http = text.slice(
      text.indexOf('server {'),
      text.indexOf('server {', text.indexOf('server {') + 1),
    );
    expect(http).toContain('return 308 https://galaxy.test:8443$request_uri;');
    expect(http).toContain('return 301 https://galaxy.test:8443$request_uri;');
    expect(http).not.toContain('$host');
    expect(http).not.toContain('add_header');
  });

  it("keeps a location's own headers next to the repeated set", () => {
    expect(text).toContain('add_header X-Accel-Buffering "no" always;');
  });

  it('uses a report-only fallback when the app rolls out a report-only policy', () => {
    const report = nginxConfig({ ...base, headers: { csp: { reportOnly: true } } });
    expect(report).toContain('map $upstream_http_content_security_policy_report_only');
    expect(report).toContain(
      'add_header Content-Security-Policy-Report-Only $galaxy_harden_csp always;',
    );
  });

  it.each<[string, Partial<NginxConfigOptions>, string]>([
    ['serverName', { serverName: 'galaxy.test; include /etc/passwd' }, 'option serverName'],
    ['serverName', { serverName: '$host' }, 'option serverName'],
    ['listenHttps', { listenHttps: '443 ssl; x' }, 'option listenHttps'],
    ['certificate', { certificate: '/tmp/a b.pem' }, 'option certificate'],
    ['upstream', { upstream: 'http://127.0.0.1:3000/; proxy_pass http://evil' }, 'option upstream'],
    ['httpsPort', { httpsPort: 0 }, 'option httpsPort'],
    ['location path', { locations: [{ path: '/a {', kind: 'proxy' }] }, 'option locations[].path'],
    [
      'header value with $',
      { locations: [{ path: '/', kind: 'proxy', headers: { 'X-A': '$remote_addr' } }] },
      'option X-A',
    ],
    [
      'header name',
      { locations: [{ path: '/', kind: 'proxy', headers: { 'X A': 'b' } }] },
      'option locations[].headers',
    ],
    [
      'duplicated HSTS',
      {
        locations: [
          { path: '/', kind: 'proxy', headers: { 'strict-transport-security': 'max-age=0' } },
        ],
      },
      'not one of the security headers',
    ],
    ['a short HSTS', { headers: { hsts: { maxAgeSeconds: 60 } } }, 'option hsts.maxAgeSeconds'],
  ])('refuses an unsafe %s', (_, change, detail) => {
    const err = thrown(() => nginxConfig({ ...base, ...change }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain(detail);
  });

  it('escapes double quotes in header values', () => {
    const quoted = nginxConfig({
      ...base,
      headers: { permissionsPolicy: { fullscreen: ['https://a.test'] } },
    });
    expect(quoted).toContain(
      'add_header Permissions-Policy "fullscreen=(\\"https://a.test\\")" always;',
    );
  });
});

describe('nginxConfig static locations (class: alias traversal)', () => {
  it.each([
    ['/static', '/srv/galaxy/static/', "{ path: '/static/', directory: '/srv/galaxy/static/' }"],
    ['/static/', '/srv/galaxy/static', "{ path: '/static/', directory: '/srv/galaxy/static/' }"],
    ['/static', '/srv/galaxy/static', "{ path: '/static/', directory: '/srv/galaxy/static/' }"],
  ])('refuses path %s with directory %s', (path, directory, fix) => {
    const err = thrown(() =>
      nginxConfig({ ...base, locations: [{ path, kind: 'static', directory }] }),
    );
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toBe(
      `@galaxy-harden/headers: option locations[].path got "${path} -> ${directory}"; a ` +
        'static location and its directory must both end in / (else /static../x escapes ' +
        `alias). Fix: write ${fix}`,
    );
  });
});

describe('nginxConfig forwarding headers (class: forged X-Forwarded-Host from the proxy)', () => {
  const text = nginxConfig(base);

  it('gives the upstream the site name as Host and X-Forwarded-Host, never the client one', () => {
    for (const block of locations(text).filter((b) => b.includes('proxy_pass'))) {
      expect(block).toContain('proxy_set_header Host galaxy.test:8443;');
      expect(block).toContain('proxy_set_header X-Forwarded-Host galaxy.test:8443;');
      expect(block).not.toMatch(/\$(host|http_host|http_x_forwarded_host)\b/);
    }
    const plain = nginxConfig({ ...base, httpsPort: 443 });
    expect(plain).toContain('proxy_set_header Host galaxy.test;');
  });

  it('drops the forwarding headers a client could make up', () => {
    for (const block of locations(text).filter((b) => b.includes('proxy_pass'))) {
      for (const name of ['Forwarded', 'X-Forwarded-Port', 'X-Forwarded-Prefix', 'Proxy']) {
        expect(block).toContain(`proxy_set_header ${name} "";`);
      }
    }
  });
});

describe.runIf(nginxInstalled())('the generated config in a real nginx', () => {
  let front: NginxFront;
  const upstream = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });

  beforeAll(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    front = await startNginxFront((upstream.address() as AddressInfo).port);
  });

  afterAll(async () => {
    await front?.stop();
    upstream.closeAllConnections();
    upstream.close();
  });

  it('serves /files/ but no sibling through /files../ (class: alias traversal)', async () => {
    expect((await rawRequest(`${front.https}/files/reference.fa`)).body).toBe('>chr17\nACGT\n');

    // With `location /files` this path would map to <dir>/../<dir>/reference.fa on disk.
    const sibling = `/files../${basename(front.files)}/reference.fa`;
    const answer = await rawRequest(`${front.https}${sibling}`);
    expect(answer.body).not.toContain('>chr17');
    expect(JSON.parse(answer.body)).toMatchObject({ url: sibling });
  });

  it('passes no client-made forwarding header on (class: forged X-Forwarded-Host)', async () => {
    const answer = await rawRequest(`${front.https}/echo`, {
      headers: {
        Host: 'evil.example',
        'X-Forwarded-Host': 'evil.example',
        Forwarded: 'host=evil.example;proto=https',
        'X-Forwarded-Port': '1',
        'X-Forwarded-Prefix': '/evil',
        Proxy: 'http://evil.example:3128',
      },
    });
    const seen = JSON.parse(answer.body).headers as Record<string, string>;
    const site = `127.0.0.1:${front.httpsPort}`;
    expect(seen).toMatchObject({ host: site, 'x-forwarded-host': site });
    expect(JSON.stringify(seen)).not.toContain('evil');
    for (const name of ['forwarded', 'x-forwarded-port', 'x-forwarded-prefix', 'proxy']) {
      expect(seen, name).not.toHaveProperty(name);
    }
  });
});
