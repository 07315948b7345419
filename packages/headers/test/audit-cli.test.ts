import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCli } from '../src/audit-cli.js';
import { httpsRedirect } from '../src/express-https-redirect.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { fetchAnswers } from '../src/fetch-answers.js';
import { selfSignedCertificate } from './support/http.js';

const servers: Array<import('node:http').Server> = [];
let httpsUrl = '';
let httpUrl = '';

beforeAll(async () => {
  const { cert, key } = selfSignedCertificate();
  const secure = express();
  secure.use(securityHeaders());
  secure.get('/', (_req, res) => res.send('home'));
  secure.get('/hop', (_req, res) => res.redirect('/'));
  secure.get('/loop', (_req, res) => res.redirect('/loop'));
  secure.get('/away', (_req, res) => res.redirect('https://elsewhere.example/'));
  secure.get('/weak', (_req, res) => res.set('Strict-Transport-Security', 'max-age=0').send('x'));
  const tls = createHttpsServer({ cert, key }, secure).listen(0, '127.0.0.1');
  await once(tls, 'listening');
  httpsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;

  const plain = express();
  plain.use(securityHeaders());
  plain.use(
    httpsRedirect({ allowedHosts: ['127.0.0.1'], httpsPort: Number(new URL(httpsUrl).port) }),
  );
  const http = createServer(plain).listen(0, '127.0.0.1');
  await once(http, 'listening');
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  servers.push(tls, http);
});

afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function run(...args: string[]) {
  let text = '';
  const code = await runAuditCli(args, { write: (chunk: string) => (text += chunk) });
  return { code, text };
}

describe('fetchAnswers', () => {
  it('follows a redirect from HTTP to HTTPS hop by hop', async () => {
    const chain = await fetchAnswers(`${httpUrl}/hop`, { insecure: true });
    expect(chain.answers.map((a) => a.status)).toEqual([301, 302, 200]);
    expect(chain.answers.map((a) => a.url)).toEqual([
      `${httpUrl}/hop`,
      `${httpsUrl}/hop`,
      `${httpsUrl}/`,
    ]);
    expect(chain.stopped).toBeUndefined();
  });

  it('stops at a redirect loop and at another host', async () => {
    const loop = await fetchAnswers(`${httpsUrl}/loop`, { insecure: true, maxRedirects: 3 });
    expect(loop.answers).toHaveLength(4);
    expect(loop.stopped?.reason).toBe('too-many-redirects');
    const away = await fetchAnswers(`${httpsUrl}/away`, { insecure: true });
    expect(away.stopped).toEqual({
      reason: 'other-host',
      message: expect.stringContaining('elsewhere.example'),
    });
  });

  it('refuses a self-signed certificate unless insecure is set', async () => {
    await expect(fetchAnswers(`${httpsUrl}/`)).rejects.toMatchObject({ code: 'ERR_HEADERS_FETCH' });
  });
});

describe('galaxy-headers-audit', () => {
  it('prints a table and exits 0 when every hop passes', async () => {
    const { code, text } = await run('--insecure', `${httpUrl}/hop`);
    expect(code).toBe(0);
    expect(text.split('\n')[0]).toMatch(/^URL +STATUS +RESULT +CHECK +FINDING -> FIX$/);
    expect(text.match(/ pass /g)).toHaveLength(3);
  });

  it('exits 1 and names the fix when a check fails', async () => {
    const { code, text } = await run('--insecure', `${httpsUrl}/weak`);
    expect(code).toBe(1);
    expect(text).toContain('FAIL');
    expect(text).toContain('max-age=0 is under six months -> one field: Strict-Transport-Security');
  });

  it('prints JSON with --json', async () => {
    const { code, text } = await run('--insecure', '--json', `${httpsUrl}/`);
    expect(code).toBe(0);
    expect(JSON.parse(text)).toEqual([{ url: `${httpsUrl}/`, status: 200, findings: [] }]);
  });

  it('exits 2 for an unreachable URL or a bad argument', async () => {
    expect((await run(`${httpsUrl}/`)).code).toBe(2);
    expect((await run('ftp://galaxy.test/')).code).toBe(2);
    expect((await run('--max-redirects', 'x', `${httpsUrl}/`)).code).toBe(2);
    expect((await run()).text).toContain('usage: galaxy-headers-audit');
  });
});
