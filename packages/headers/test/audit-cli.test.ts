import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server,
  type Socket,
} from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
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

  it('prints its usage and exits 0 when asked with --help or -h', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, text } = await run(flag);
      expect([code, text.startsWith('usage: galaxy-headers-audit')]).toEqual([0, true]);
    }
  });
});

/** A raw TCP (or TLS) server that answers each connection with `answer`, for hostile cases. */
async function hostile(answer: (socket: Socket) => void, tls = false) {
  const sockets: Socket[] = [];
  const onSocket = (socket: Socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('data', () => answer(socket));
  };
  const server: Server = tls
    ? createTlsServer(selfSignedCertificate(), onSocket)
    : createTcpServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { url, sockets, close };
}

function redirectTo(location: string) {
  return (socket: Socket) => {
    socket.end(`HTTP/1.1 301 Moved\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`);
  };
}

describe('fetchAnswers against a hostile server (class: unbounded audit)', () => {
  it.each([false, true])(
    'gives up on headers dripped one line at a time (TLS: %s)',
    async (tls) => {
      const drip = (socket: Socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => socket.write('X-Drip: 1\r\n'), 20);
        socket.on('close', () => clearInterval(timer));
      };
      const server = await hostile(drip, tls);
      try {
        const err = await fetchAnswers(`${server.url}/`, { insecure: true, timeoutMs: 300 }).catch(
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ code: 'ERR_HEADERS_FETCH' });
        expect((err as Error).message).toContain(`cannot fetch ${server.url}/:`);
      } finally {
        server.close();
      }
    },
  );

  it('closes the connection of an endless body once the headers are in', async () => {
    const endless = (socket: Socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const timer = setInterval(() => socket.write('1\r\na\r\n'), 20);
      socket.on('close', () => clearInterval(timer));
    };
    const server = await hostile(endless, true);
    try {
      const chain = await fetchAnswers(`${server.url}/`, { insecure: true });
      expect(chain.answers.map((a) => a.status)).toEqual([200]);
      const socket = server.sockets[0]!;
      if (!socket.destroyed) await once(socket, 'close');
      expect(socket.destroyed).toBe(true);
    } finally {
      server.close();
    }
  });

  it.each([
    ['file:///etc/passwd', 'redirect to file:, not http(s), not followed'],
    ['ftp://127.0.0.1/pub/', 'redirect to ftp:, not http(s), not followed'],
    ['javascript:alert(1)', 'redirect to javascript:, not http(s), not followed'],
    ['http://[::1', 'redirect to an unparsable URL, not http(s), not followed'],
  ])(
    'does not follow a redirect to %s (class: redirect to a non-HTTP scheme)',
    async (location, message) => {
      const server = await hostile(redirectTo(location));
      try {
        const chain = await fetchAnswers(`${server.url}/`);
        expect(chain.answers.map((a) => a.status)).toEqual([301]);
        expect(chain.stopped).toEqual({ reason: 'not-http', message });
        expect(server.sockets).toHaveLength(1);

        const { code, text } = await run(`${server.url}/`);
        expect(code).toBe(1);
        expect(text).toMatch(new RegExp(`stop +FAIL +transport +${message.replace(/[()]/g, '.')}`));
      } finally {
        server.close();
      }
    },
  );
});

describe('galaxy-headers-audit output (class: terminal escapes from a hostile server)', () => {
  // Header bytes are read as Latin-1: 0x9b arrives as U+009B, a C1 CSI to many terminals.
  const c1 = (socket: Socket) => {
    const head = 'HTTP/1.1 200 OK\r\nServer: evil\x9b2J 1.0\r\nContent-Length: 0\r\n\r\n';
    socket.end(Buffer.from(head, 'latin1'));
  };

  it('escapes control characters in the table', async () => {
    const server = await hostile(c1);
    try {
      const { code, text } = await run(`${server.url}/`);
      expect(code).toBe(1);
      expect(text).toContain('Server: evil\\x9b2J 1.0 reveals a version');
      expect(text).not.toMatch(/\p{Cc}(?<!\n)/u);
    } finally {
      server.close();
    }
  });

  it('escapes C1 controls in --json, which stays valid JSON', async () => {
    const server = await hostile(c1);
    try {
      const { text } = await run('--json', `${server.url}/`);
      expect(text).toContain('evil\\u009b2J');
      expect(text).not.toMatch(/[\u007f-\u009f]/);
      const rows = JSON.parse(text) as Array<{ findings: Array<{ message: string }> }>;
      expect(rows[0]!.findings.map((f) => f.message)).toContain(
        'Server: evil\u009b2J 1.0 reveals a version',
      );
    } finally {
      server.close();
    }
  });

  it.each([[''], ['1e3'], ['0x10'], ['1000']])('refuses --max-redirects %j', async (value) => {
    const { code, text } = await run('--max-redirects', value, 'http://127.0.0.1:9/');
    expect(code).toBe(2);
    expect(text).toContain('--max-redirects needs a whole number, 0 to 999');
  });
});
