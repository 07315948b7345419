import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditHeaders, fetchAnswers } from '@galaxy-harden/headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../examples/gateway/src/app.js';
import { resolveGatewayConfig } from '../../examples/gateway/src/config.js';
import { freePort } from '../support/redis-server.js';
import { type NginxFront, nginxInstalled, startNginxFront } from './support/nginx.js';
import { fields, rawRequest } from './support/raw-request.js';

const SED = JSON.stringify({ tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' });

describe.runIf(nginxInstalled())('the generated nginx config in front of the demo gateway', () => {
  let upstream: Server;
  let front: NginxFront;

  beforeAll(async () => {
    // No job runner listens there: the API answers 502, which must carry the headers too.
    const jobRunnerUrl = `http://127.0.0.1:${await freePort()}`;
    const app = createGatewayApp({ config: resolveGatewayConfig({ jobRunnerUrl }) });
    upstream = app.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    front = await startNginxFront((upstream.address() as AddressInfo).port);
  });

  afterAll(async () => {
    await front?.stop();
    upstream?.closeAllConnections();
    upstream?.close();
  });

  it.each([
    ['GET', '/', 200],
    ['GET', '/static/app.js', 200],
    ['GET', '/static/app.css', 200],
    // Refused by the gateway (no login, no job runner, a broken body): headers all the same.
    ['GET', '/api/datasets', 'refused'],
    ['POST', '/api/jobs', 'refused'],
    ['POST', '/api/jobs?broken', 'refused'],
    ['GET', '/no/such/route', 404],
    ['GET', '/files/reference.fa', 200],
    ['GET', '/files/absent.fa', 404],
  ] as const)(
    '%s %s answers %s with one field per header and a clean audit',
    async (method, path, status) => {
      const body = method === 'POST' ? (path.includes('broken') ? '{oops' : SED) : undefined;
      const headers = body ? { 'content-type': 'application/json' } : undefined;
      const answer = await rawRequest(`${front.https}${path}`, { method, body, headers });

      if (status === 'refused') expect(answer.status).toBeGreaterThanOrEqual(400);
      else expect(answer.status).toBe(status);
      expect(fields(answer, 'strict-transport-security')).toEqual([
        'max-age=31536000; includeSubDomains',
      ]);
      expect(fields(answer, 'content-security-policy')).toHaveLength(1);
      expect(auditHeaders(answer)).toEqual([]);
    },
  );

  it("keeps the page's nonce policy, so its script still runs behind nginx", async () => {
    const answer = await rawRequest(`${front.https}/`);
    const nonce = /nonce="([^"]+)"/.exec(answer.body)?.[1];
    expect(fields(answer, 'content-security-policy')[0]).toContain(`'nonce-${nonce}'`);
  });

  it('audits each hop from plain HTTP to the page', async () => {
    const chain = await fetchAnswers(`${front.http}/`, { insecure: true });
    expect(chain.answers.map((a) => [a.status, a.url])).toEqual([
      [301, `${front.http}/`],
      [200, `${front.https}/`],
    ]);
    for (const answer of chain.answers) expect(auditHeaders(answer)).toEqual([]);
  });
});
