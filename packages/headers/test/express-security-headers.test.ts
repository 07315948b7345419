import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHeaders } from '../src/audit.js';
import type { HeadersEvent } from '../src/events.js';
import { securityErrorHandler } from '../src/express-error-handler.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { parseHsts } from '../src/hsts.js';
import { headersTestApp, ROUTES } from './support/app.js';
import { fieldValues, rawPairs, selfSignedCertificate } from './support/http.js';
import { thrown } from './support/thrown.js';

function send(app: express.Express, method: string, path: string) {
  const agent = request(app);
  const call =
    method === 'POST' ? agent.post(path).send({ much: 'too long a body' }) : agent.get(path);
  return call.set('X-Forwarded-Proto', 'https');
}

describe('securityHeaders on every answer (class: HSTS missing on some answers)', () => {
  const app = headersTestApp();

  it.each(ROUTES)(
    '%s %s answers %i with exactly one valid HSTS field',
    async (method, path, status) => {
      if (path === '/limited') await send(app, method, path);
      const res = await send(app, method, path);

      expect(res.status).toBe(status);
      const hsts = fieldValues(res, 'strict-transport-security');
      expect(hsts).toEqual(['max-age=31536000; includeSubDomains']);
      expect(parseHsts(hsts[0]!).ok).toBe(true);
      expect(
        auditHeaders({ url: `https://galaxy.test${path}`, status, headers: rawPairs(res) }),
      ).toEqual([]);
    },
  );

  it('never leaks the error message of a failing route', async () => {
    const res = await send(app, 'GET', '/boom');
    expect(res.text).toBe('500 Internal Server Error\n');
    expect(res.text).not.toContain('hunter2');
  });

  it('lets the audit catch a weakened HSTS (class: later code weakens a header)', async () => {
    const res = await send(app, 'GET', '/weakened');
    const findings = auditHeaders({
      url: 'https://galaxy.test/weakened',
      status: 200,
      headers: rawPairs(res),
    });
    expect(findings).toEqual([expect.objectContaining({ check: 'hsts', severity: 'fail' })]);
    expect(findings[0]!.message).toContain('max-age=0 is under six months');
  });
});

describe('securityHeaders and the request scheme', () => {
  it('sends no HSTS to a direct plain-HTTP request (class: HSTS over plain HTTP)', async () => {
    const res = await request(headersTestApp()).get('/ok');
    expect(fieldValues(res, 'strict-transport-security')).toEqual([]);
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('sends no HSTS when the trusted proxy says X-Forwarded-Proto: http', async () => {
    const res = await request(headersTestApp()).get('/ok').set('X-Forwarded-Proto', 'http');
    expect(fieldValues(res, 'strict-transport-security')).toEqual([]);
  });

  it.each([
    ['trust proxy off', false],
    ['trust proxy naming another address', '10.9.8.7'],
  ])(
    'ignores a forged X-Forwarded-Proto: https with %s (class: forged proto header)',
    async (_, trust) => {
      const events: HeadersEvent[] = [];
      const app = express();
      app.set('trust proxy', trust);
      app.use(securityHeaders({ onEvent: (e) => events.push(e), now: () => 1_000 }));
      app.get('/', (_req, res) => res.send('hi'));

      const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
      expect(fieldValues(res, 'strict-transport-security')).toEqual([]);
      expect(events).toEqual([
        { type: 'headers.forwarded-proto-ignored', at: 1_000, ip: expect.any(String), path: '/' },
      ]);
    },
  );

  it('reports a forged proto once on an error answer (class: duplicate events)', async () => {
    const events: HeadersEvent[] = [];
    const headers = securityHeaders({ onEvent: (e) => events.push(e), now: () => 5 });
    const app = express();
    app.set('trust proxy', '10.9.8.7');
    app.use(headers);
    app.get('/', () => {
      throw new Error('fails after the headers were written');
    });
    app.use(securityErrorHandler(headers));

    const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(500);
    expect(fieldValues(res, 'strict-transport-security')).toEqual([]);
    expect(events).toEqual([
      { type: 'headers.forwarded-proto-ignored', at: 5, ip: expect.any(String), path: '/' },
    ]);
  });

  it('sends HSTS on a real TLS connection without any proxy header', async () => {
    const { cert, key } = selfSignedCertificate();
    const server = createHttpsServer({ cert, key }, headersTestApp());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const raw = await new Promise<string[]>((resolve, reject) => {
        const req = httpsRequest(
          { port, host: '127.0.0.1', path: '/ok', rejectUnauthorized: false },
          (res) => {
            res.resume();
            resolve(res.rawHeaders);
          },
        );
        req.on('error', reject).end();
      });
      const hsts = raw.filter(
        (_, i) => i % 2 === 0 && raw[i]!.toLowerCase() === 'strict-transport-security',
      );
      expect(hsts).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('securityHeaders CSP nonce', () => {
  it('exposes the nonce of the policy in res.locals.cspNonce', async () => {
    const res = await request(headersTestApp()).get('/ok');
    const nonce = /nonce ([A-Za-z0-9+/=]+)/.exec(res.text)?.[1];
    expect(nonce).toHaveLength(24);
    expect(res.headers['content-security-policy']).toContain(`script-src 'self' 'nonce-${nonce}'`);
  });

  it('uses a different nonce on every answer', async () => {
    const app = headersTestApp();
    const [a, b] = await Promise.all([request(app).get('/ok'), request(app).get('/ok')]);
    expect(a.text).not.toBe(b.text);
  });

  it('switches to Content-Security-Policy-Report-Only for rollout', async () => {
    const res = await request(headersTestApp({ csp: { reportOnly: true } })).get('/ok');
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['content-security-policy-report-only']).toContain("object-src 'none'");
  });
});

describe('securityHeaders and httpoxy (class: httpoxy)', () => {
  let upstreamUrl = '';
  let seenByUpstream: Record<string, unknown> = {};
  const upstream = createServer((req, res) => {
    seenByUpstream = { headers: req.headers, raw: req.rawHeaders };
    res.end('upstream');
  });

  beforeAll(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => upstream.close());

  function gateway(options: Parameters<typeof securityHeaders>[0] = {}) {
    const app = express();
    app.use(securityHeaders(options));
    // A naive forwarder that copies the raw header list, as some proxies do.
    app.get('/forward', (req, res) => {
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        if (name.toLowerCase() !== 'host') headers.push([name, req.rawHeaders[i + 1]!]);
      }
      const out = httpRequest(`${upstreamUrl}/`, { headers: Object.fromEntries(headers) }, (up) => {
        up.resume();
        up.on('end', () => res.json({ handlerSaw: req.headers.proxy ?? null }));
      });
      out.end();
    });
    return app;
  }

  it('removes Proxy before the handler and the upstream see it, and reports it', async () => {
    const events: HeadersEvent[] = [];
    const app = gateway({ onEvent: (e) => events.push(e), now: () => 7 });

    const res = await request(app).get('/forward').set('Proxy', 'http://evil.example:3128');
    expect(res.body).toEqual({ handlerSaw: null });
    expect(seenByUpstream.headers).not.toHaveProperty('proxy');
    expect(JSON.stringify(seenByUpstream.raw)).not.toContain('evil.example');
    expect(events).toEqual([
      { type: 'headers.proxy-header-removed', at: 7, ip: expect.any(String), path: '/forward' },
    ]);
  });

  it('keeps Proxy only when unsafeKeepProxyHeader says so', async () => {
    const app = gateway({ unsafeKeepProxyHeader: true });
    const res = await request(app).get('/forward').set('Proxy', 'http://evil.example:3128');
    expect(res.body).toEqual({ handlerSaw: 'http://evil.example:3128' });
  });
});

describe('securityHeaders options', () => {
  it.each([
    [{ unsafeKeepProxyHeader: 'yes' }, 'option unsafeKeepProxyHeader got "yes"'],
    [{ onEvent: 'log' }, 'option onEvent got "log"'],
    [{ now: 5 }, 'option now got 5'],
  ])('refuses %j at start-up', (options, detail) => {
    const err = thrown(() => securityHeaders(options as never));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain(detail);
  });
});
