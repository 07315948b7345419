import { auditHeaders } from '@galaxy-harden/headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../examples/gateway/src/events.js';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { freePort } from '../support/redis-server.js';
import { fields, rawRequest } from './support/raw-request.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const SED = JSON.stringify({ tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' });

describe('the demo gateway over HTTPS, headers first', () => {
  let gateway: RunningGateway;
  let ca = '';
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    // No job runner listens there: API calls fail upstream, and those 502s need headers too.
    gateway = await startGateway({
      port: 0,
      https: { httpPort: 0 },
      jobRunnerUrl: `http://127.0.0.1:${await freePort()}`,
      onEvent: (event) => events.push(event),
    });
    ca = gateway.certificate!.cert;
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const routes = [
    ['GET', '/', 200, undefined],
    ['GET', '/static/app.js', 200, undefined],
    ['GET', '/static/app.css', 200, undefined],
    ['GET', '/static/missing.js', 404, undefined],
    // The API refuses these (no login, no job runner, a broken body); which 4xx or 5xx the
    // gateway picks is its own business, the headers on the refusal are this test's.
    ['GET', '/api/datasets', 'refused', undefined],
    ['POST', '/api/jobs', 'refused', SED],
    ['POST', '/api/jobs', 'refused', '{not json'],
    ['POST', '/api/login', 'refused', JSON.stringify({ username: 'ada', password: 'wrong' })],
    ['GET', '/no/such/route', 404, undefined],
  ] as const;

  it.each(routes)(
    '%s %s answers %s over verified TLS with one HSTS and a clean audit',
    async (method, path, status, body) => {
      const headers = body === undefined ? undefined : JSON_HEADERS;
      const answer = await rawRequest(`${gateway.url}${path}`, { method, body, headers, ca });
      if (status === 'refused') expect(answer.status).toBeGreaterThanOrEqual(400);
      else expect(answer.status).toBe(status);
      expect(fields(answer, 'strict-transport-security')).toEqual([
        'max-age=31536000; includeSubDomains',
      ]);
      expect(auditHeaders(answer)).toEqual([]);
    },
  );

  it('puts the CSP nonce on the page script', async () => {
    const answer = await rawRequest(`${gateway.url}/`, { ca });
    const nonce = /<script src="\/static\/app\.js" defer nonce="([^"]+)">/.exec(answer.body)?.[1];
    expect(nonce).toHaveLength(24);
    expect(fields(answer, 'content-security-policy')[0]).toContain(`'nonce-${nonce}'`);
  });

  it.each([
    ['GET', 301],
    ['HEAD', 301],
    ['POST', 308],
  ])(
    'redirects plain-HTTP %s with %i to the HTTPS port, headers and all',
    async (method, status) => {
      const answer = await rawRequest(`${gateway.httpUrl}/api/jobs?x=1`, { method });
      expect(answer.status).toBe(status);
      expect(fields(answer, 'location')).toEqual([`${gateway.url}/api/jobs?x=1`]);
      expect(fields(answer, 'strict-transport-security')).toEqual([]);
      expect(fields(answer, 'x-content-type-options')).toEqual(['nosniff']);
    },
  );

  it('refuses to redirect to a forged Host', async () => {
    const answer = await rawRequest(`${gateway.httpUrl}/`, { headers: { Host: 'evil.example' } });
    expect(answer.status).toBe(400);
    expect(fields(answer, 'location')).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'headers.host-rejected', host: 'evil.example' }),
    );
  });

  it('removes a Proxy header and reports it to the gateway log', async () => {
    await rawRequest(`${gateway.url}/api/datasets`, {
      ca,
      headers: { Proxy: 'http://evil.example' },
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'headers.proxy-header-removed', path: '/api/datasets' }),
    );
  });
});
