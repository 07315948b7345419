import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createServiceIdentity,
  generateServiceKey,
  publicJwks,
  RESPONSE_HEADER,
  type ServiceAuthEvent,
  type ServiceIdentity,
  signRequest,
} from '@galaxy-harden/service-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedJobClient } from '../../examples/gateway/src/job-client.js';
import { type RunningJobRunner, startJobRunner } from '../../examples/job-runner/src/server.js';
import { createRunnerAuthentication } from '../../examples/job-runner/src/service-auth.js';

// The demo's wiring: the gateway's job client signs every call, the job runner refuses
// everything else. A recording proxy between them captures a real call to replay it.
let gateway: ServiceIdentity;
let runnerIdentity: ServiceIdentity;
let runner: RunningJobRunner;
let impostor: RunningJobRunner;
let proxy: Server;
let proxyUrl = '';
const events: ServiceAuthEvent[] = [];
const recorded: Array<{
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}> = [];
const grepJob = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' };

async function runnerWith(identity: ServiceIdentity) {
  const authenticate = await createRunnerAuthentication({
    identity,
    gatewayJwks: publicJwks(gateway),
    onEvent: (event) => events.push(event),
  });
  return startJobRunner({ port: 0, authenticate });
}

beforeAll(async () => {
  gateway = await createServiceIdentity('gateway', await generateServiceKey());
  runnerIdentity = await createServiceIdentity('job-runner', await generateServiceKey());
  runner = await runnerWith(runnerIdentity);
  impostor = await runnerWith(
    await createServiceIdentity('job-runner', await generateServiceKey()),
  );
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = {
      authorization: String(req.headers.authorization),
      'content-type': 'application/json',
    };
    const call = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers,
      body: Buffer.concat(chunks).toString(),
    };
    recorded.push(call);
    const answer = await send(runner.url, call);
    res
      .writeHead(answer.status, Object.fromEntries(answer.headers))
      .end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await runner.close();
  await impostor.close();
});

function send(base: string, call: (typeof recorded)[number]) {
  const body = call.method === 'GET' ? undefined : call.body;
  return fetch(`${base}${call.path}`, { method: call.method, headers: call.headers, body });
}

function client(baseUrl: string) {
  return createSignedJobClient({
    baseUrl: new URL(baseUrl),
    timeoutMs: 20_000,
    identity: gateway,
    runnerJwks: publicJwks(runnerIdentity),
  });
}

describe('the demo gateway and job runner', () => {
  it('run a job through signed calls, both ways verified', async () => {
    const jobs = await client(proxyUrl);
    const datasets = await jobs.listDatasets();
    expect(datasets.status).toBe(200);
    const answer = await jobs.submitJob(grepJob);
    expect(answer.status).toBe(200);
    expect((answer.body as { stdout: string }).stdout).toContain('chr17');
    expect(recorded.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /datasets',
      'POST /jobs',
    ]);
  });

  it('refuse a replay of a captured call', async () => {
    const captured = recorded.at(-1)!;
    const replay = await send(runner.url, captured);
    expect(replay.status).toBe(401);
    expect(events.at(-1)).toMatchObject({
      type: 'service.rejected',
      code: 'ERR_SERVICE_AUTH_REPLAY',
    });
  });

  it('refuse unsigned calls to every route', async () => {
    for (const [method, path] of [
      ['GET', '/datasets'],
      ['POST', '/jobs'],
      ['GET', '/nowhere'],
    ]) {
      const body = method === 'POST' ? JSON.stringify(grepJob) : undefined;
      const res = await fetch(`${runner.url}${path}`, {
        method,
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('refuse a signed call outside the gateway routes', async () => {
    const signed = await signRequest(gateway, {
      audience: 'job-runner',
      method: 'GET',
      path: '/jobs',
    });
    const res = await fetch(`${runner.url}/jobs`, {
      headers: { authorization: signed.authorization },
    });
    expect(res.status).toBe(401);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_ROUTE' });
  });

  it('check the token before reporting bad JSON, and sign the refusal', async () => {
    const body = '{"tool":';
    const unsigned = await fetch(`${runner.url}/jobs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    const signed = await signRequest(gateway, {
      audience: 'job-runner',
      method: 'POST',
      path: '/jobs',
      body,
    });
    const res = await fetch(`${runner.url}/jobs`, {
      method: 'POST',
      body,
      headers: { authorization: signed.authorization, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_JOB_BODY');
    expect(res.headers.get(RESPONSE_HEADER)).not.toBeNull();
  });

  it('make the gateway refuse answers from a process without the runner key', async () => {
    const jobs = await client(impostor.url);
    await expect(jobs.submitJob(grepJob)).rejects.toMatchObject({ code: 'ERR_GATEWAY_UPSTREAM' });
  });
});
