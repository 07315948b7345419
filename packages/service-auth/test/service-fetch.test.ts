import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureRawBody, serviceAuth } from '../src/express.js';
import {
  createServiceFetch,
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  publicJwks,
  ServiceAuthError,
  type ServiceAuthEvent,
  type ServiceFetch,
  type ServiceIdentity,
} from '../src/index.js';
import { gatewayPeer, identities } from './helpers.js';

interface Running {
  server: Server;
  url: string;
}

const servers: Server[] = [];

async function listen(app: express.Express): Promise<Running> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  servers.push(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A job runner that answers as `identity` (the real one, or an impostor). */
async function runnerServer(identity: ServiceIdentity, gateway: ServiceIdentity) {
  const verifier = await createServiceVerifier({
    identity,
    peers: [
      gatewayPeer(gateway, {
        routes: ['POST /jobs', 'GET /jobs/*', 'HEAD /jobs/*', 'DELETE /jobs/*'],
      }),
    ],
  });
  const app = express();
  app.use(express.json({ verify: captureRawBody }), serviceAuth(verifier));
  app.post('/jobs', (req, res) => {
    res.status(201).json({ accepted: (req.body as { tool: string }).tool, query: req.query });
  });
  app.get('/jobs/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.head('/jobs/:id', (_req, res) => {
    res.end();
  });
  app.delete('/jobs/:id', (_req, res) => {
    res.status(204).end();
  });
  return listen(app);
}

let gateway: ServiceIdentity;
let runner: ServiceIdentity;
let real: Running;
let impostor: Running;
let unsigned: Running;
let events: ServiceAuthEvent[];
let call: ServiceFetch;

async function fetchFor(options: { fetch?: typeof fetch } = {}) {
  const peer = { name: 'job-runner', algorithms: ['EdDSA' as const], jwks: publicJwks(runner) };
  return createServiceFetch({
    identity: gateway,
    peer,
    onEvent: (e) => events.push(e),
    ...options,
  });
}

async function refusal(promise: Promise<unknown>): Promise<ServiceAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  expect((error as ServiceAuthError).code).toBe('ERR_SERVICE_AUTH_RESPONSE');
  return error as ServiceAuthError;
}

beforeAll(async () => {
  ({ gateway, runner } = await identities());
  real = await runnerServer(runner, gateway);
  const fake = await createServiceIdentity('job-runner', await generateServiceKey('EdDSA'));
  impostor = await runnerServer(fake, gateway);
  const plain = express();
  plain.post('/jobs', (_req, res) => res.status(201).json({ accepted: 'sed' }));
  unsigned = await listen(plain);
  events = [];
  call = await fetchFor();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const jobBody = JSON.stringify({ tool: 'sed' });
const post = { method: 'POST', body: jobBody, headers: { 'content-type': 'application/json' } };

describe('the fetch wrapper', () => {
  it('signs the call and hands back the verified answer', async () => {
    const res = await call(`${real.url}/jobs?dry=1&q=a%20b`, post);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ accepted: 'sed', query: { dry: '1', q: 'a b' } });
  });

  it('handles GET, HEAD and a 204 without a body', async () => {
    expect(await (await call(`${real.url}/jobs/7`)).json()).toEqual({ id: '7' });
    expect((await call(`${real.url}/jobs/7`, { method: 'head' })).status).toBe(200);
    const deleted = await call(`${real.url}/jobs/7`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it('refuses an answer from a process without the callee key', async () => {
    const error = await refusal(call(`${impostor.url}/jobs`, post));
    expect(error.status).toBe(201);
    expect(error.message).toMatch(/no such kid/);
    expect(events.at(-1)).toMatchObject({ type: 'service.response-rejected', peer: 'job-runner' });
  });

  it('refuses an unsigned answer', async () => {
    const error = await refusal(call(`${unsigned.url}/jobs`, post));
    expect(error.message).toMatch(/not signed/);
    expect(error.status).toBe(201);
  });

  it('reports the callee refusal as an unsigned 401', async () => {
    const error = await refusal(call(`${real.url}/admin`, post));
    expect(error.status).toBe(401);
  });

  it('refuses an answer whose body was changed on the way', async () => {
    const tamper = await fetchFor({
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        return new Response('{"accepted":"rm"}', { status: res.status, headers: res.headers });
      },
    });
    const error = await refusal(tamper(`${real.url}/jobs`, post));
    expect(error.message).toMatch(/body differs/);
  });

  it('refuses an answer whose status was changed on the way', async () => {
    const tamper = await fetchFor({
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        return new Response(await res.arrayBuffer(), { status: 200, headers: res.headers });
      },
    });
    expect((await refusal(tamper(`${real.url}/jobs`, post))).message).toMatch(/status differs/);
  });

  it('refuses an old signed answer replayed for a new request', async () => {
    let captured: Response | undefined;
    const replaying = await fetchFor({
      fetch: async (url, init) => {
        if (captured !== undefined) return captured.clone();
        captured = await fetch(url, init);
        return captured.clone();
      },
    });
    await replaying(`${real.url}/jobs`, post);
    expect((await refusal(replaying(`${real.url}/jobs`, post))).message).toMatch(/another request/);
  });

  it('refuses bodies it cannot digest, a preset Authorization and followed redirects', async () => {
    const stream = new ReadableStream<Uint8Array>();
    await expect(
      call(`${real.url}/jobs`, { method: 'POST', body: stream as never }),
    ).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_BODY',
    });
    await expect(
      call(`${real.url}/jobs`, { headers: { authorization: 'Bearer x' } }),
    ).rejects.toThrow(/init\.headers\.authorization must be absent/);
    await expect(call(`${real.url}/jobs`, { redirect: 'follow' })).rejects.toThrow(
      /init\.redirect/,
    );
  });
});
