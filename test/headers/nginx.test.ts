import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { auditHeaders, fetchAnswers } from '@galaxy-harden/headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersTestApp, ROUTES } from '../../packages/headers/test/support/app.js';
import { type NginxFront, nginxInstalled, startNginxFront } from './support/nginx.js';
import { fields, rawRequest, tlsVersion } from './support/raw-request.js';

const SECURITY_HEADERS = [
  'strict-transport-security',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
];

describe.runIf(nginxInstalled())(
  'generated nginx config in a real nginx, in front of the app',
  () => {
    let front: NginxFront;
    let upstream: Server;
    let https = '';
    let http = '';
    let httpsPort = 0;
    let upstreamSaw: string[] = [];

    beforeAll(async () => {
      const app = headersTestApp();
      upstream = createServer((req, res) => {
        upstreamSaw = [...req.rawHeaders];
        app(req, res);
      }).listen(0, '127.0.0.1');
      await once(upstream, 'listening');
      const upstreamPort = (upstream.address() as AddressInfo).port;
      front = await startNginxFront(upstreamPort, [
        { path: '/download', kind: 'proxy', headers: { 'X-Accel-Buffering': 'no' } },
      ]);
      ({ https, http, httpsPort } = front);
    });

    afterAll(async () => {
      await front?.stop();
      upstream?.closeAllConnections();
      upstream?.close();
    });

    it('passes nginx -t', () => {
      const result = front.nginx.check();
      expect(result.output).toContain('syntax is ok');
      expect(result.ok).toBe(true);
    });

    const nginxRoutes = [
      ...ROUTES.filter(([, path]) => path !== '/limited'),
      ['GET', '/files/reference.fa', 200],
      ['GET', '/files/absent.fa', 404],
    ] as const;

    it.each(nginxRoutes)(
      '%s %s answers %i with each security header once, audited clean',
      async (method, path, status) => {
        const body = method === 'POST' ? JSON.stringify({ much: 'too long a body' }) : undefined;
        const headers = body ? { 'content-type': 'application/json' } : undefined;
        const answer = await rawRequest(`${https}${path}`, { method, body, headers });

        expect(answer.status).toBe(status);
        for (const name of SECURITY_HEADERS) expect(fields(answer, name), name).toHaveLength(1);
        expect(auditHeaders(answer)).toEqual([]);
      },
    );

    it("keeps a limiter's 429 covered through nginx", async () => {
      await rawRequest(`${https}/limited`);
      const answer = await rawRequest(`${https}/limited`);
      expect(answer.status).toBe(429);
      expect(auditHeaders(answer)).toEqual([]);
    });

    it('sends one HSTS although app and nginx both set it (class: header set twice)', async () => {
      const answer = await rawRequest(`${https}/ok`);
      expect(fields(answer, 'strict-transport-security')).toEqual([
        'max-age=31536000; includeSubDomains',
      ]);
    });

    it("replaces a route's weakened HSTS with the configured one", async () => {
      const answer = await rawRequest(`${https}/weakened`);
      expect(fields(answer, 'strict-transport-security')).toEqual([
        'max-age=31536000; includeSubDomains',
      ]);
    });

    it("passes the app's nonce policy through instead of adding a second CSP", async () => {
      const answer = await rawRequest(`${https}/ok`);
      const [csp] = fields(answer, 'content-security-policy');
      const nonce = /nonce ([A-Za-z0-9+/=]+)/.exec(answer.body)?.[1];
      expect(csp).toContain(`'nonce-${nonce}'`);
    });

    it('sends no Server version and no X-Powered-By', async () => {
      const answer = await rawRequest(`${https}/ok`);
      expect(fields(answer, 'server')).toEqual(['nginx']);
      expect(fields(answer, 'x-powered-by')).toEqual([]);
    });

    it('drops the Proxy header before the upstream sees it (class: httpoxy)', async () => {
      await rawRequest(`${https}/ok`, { headers: { Proxy: 'http://evil.example:3128' } });
      expect(upstreamSaw.map((h) => h.toLowerCase())).not.toContain('proxy');
      expect(upstreamSaw).not.toContain('http://evil.example:3128');
    });

    it.each([
      ['GET', 301],
      ['HEAD', 301],
      ['POST', 308],
    ])(
      'redirects plain-HTTP %s with %i to the configured host, whatever Host says',
      async (method, status) => {
        const answer = await rawRequest(`${http}/api/jobs?x=1`, {
          method,
          headers: { Host: 'evil.example' },
        });
        expect(answer.status).toBe(status);
        expect(fields(answer, 'location')).toEqual([`https://127.0.0.1:${httpsPort}/api/jobs?x=1`]);
        expect(fields(answer, 'strict-transport-security')).toEqual([]);
        expect(auditHeaders(answer)).toEqual([]);
      },
    );

    it('audits every hop of a redirect chain from HTTP to the final page', async () => {
      const chain = await fetchAnswers(`${http}/moved`, { insecure: true });
      expect(chain.answers.map((a) => a.status)).toEqual([301, 302, 200]);
      for (const answer of chain.answers) expect(auditHeaders(answer), answer.url).toEqual([]);
    });

    it('speaks TLS 1.2 and 1.3 only', async () => {
      expect(await tlsVersion(httpsPort, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' })).toBe(
        'TLSv1.3',
      );
      expect(await tlsVersion(httpsPort, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe(
        'TLSv1.2',
      );
      const old = await tlsVersion(httpsPort, {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      expect(old).toMatch(/^error: /);
    });

    it('galaxy-headers-audit exits 0 for every route through nginx', async () => {
      const cli = join(import.meta.dirname, '../../packages/headers/dist/cli.js');
      const urls = ['/', '/ok', '/moved', '/private', '/boom', '/download', '/files/reference.fa'];
      // Asynchronous: the upstream app runs in this process and must keep answering.
      const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const args = [cli, '--insecure', ...urls.map((p) => `${http}${p}`)];
        const child = execFile('node', args, { encoding: 'utf8' }, (_err, stdout) => {
          resolve({ status: child.exitCode, stdout });
        });
      });
      expect(result.stdout).not.toContain('FAIL');
      expect(result.status).toBe(0);
      expect(result.stdout.match(/ pass /g)?.length).toBeGreaterThanOrEqual(urls.length * 2);
    });
  },
);
