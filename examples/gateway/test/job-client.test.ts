import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/redis-server.js';
import { createJobClient, type OutgoingCall } from '../src/job-client.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** A real HTTP server on loopback answering with `answer(method, url, headers, body)`. */
async function upstream(
  answer: (req: IncomingMessage, text: string) => { status: number; type: string; text: string },
): Promise<URL> {
  const server = createServer(async (req, res) => {
    const reply = answer(req, await body(req));
    res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.text);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/base`);
}

const echo = (req: IncomingMessage, text: string) => ({
  status: 201,
  type: 'application/json',
  text: JSON.stringify({ method: req.method, url: req.url, headers: req.headers, text }),
});

describe('createJobClient', () => {
  it('posts the job as JSON under the base URL and relays status and body', async () => {
    const client = createJobClient({ baseUrl: await upstream(echo), timeoutMs: 5_000 });
    const answer = await client.submitJob({ tool: 'grep', pattern: 'a' });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      method: 'POST',
      url: '/base/jobs',
      headers: { 'content-type': 'application/json' },
      text: '{"tool":"grep","pattern":"a"}',
    });
  });

  it('sends a missing body as JSON null, for the job runner to refuse by its rule', async () => {
    const client = createJobClient({ baseUrl: await upstream(echo), timeoutMs: 5_000 });

    expect((await client.submitJob(undefined)).body).toMatchObject({ text: 'null' });
  });

  it('gives the signer the exact method, URL and bytes, and sends its headers', async () => {
    const calls: OutgoingCall[] = [];
    const sign = async (call: OutgoingCall) => {
      calls.push(call);
      return { authorization: 'Bearer signed-for-this-call' };
    };
    const baseUrl = await upstream(echo);
    const client = createJobClient({ baseUrl, timeoutMs: 5_000, sign });
    const answer = await client.listDatasets();

    expect(calls).toEqual([
      { method: 'GET', url: new URL('/base/datasets', baseUrl), body: undefined },
    ]);
    expect(answer.body).toMatchObject({
      method: 'GET',
      headers: { authorization: 'Bearer signed-for-this-call' },
    });
  });

  it('fails with ERR_GATEWAY_UPSTREAM when nothing listens', async () => {
    const baseUrl = new URL(`http://127.0.0.1:${await freePort()}`);
    const client = createJobClient({ baseUrl, timeoutMs: 5_000 });

    await expect(client.listDatasets()).rejects.toMatchObject({ code: 'ERR_GATEWAY_UPSTREAM' });
  });

  it('fails with ERR_GATEWAY_UPSTREAM on an answer that is not JSON', async () => {
    const html = () => ({ status: 200, type: 'text/html', text: '<h1>proxy error</h1>' });
    const client = createJobClient({ baseUrl: await upstream(html), timeoutMs: 5_000 });

    await expect(client.submitJob({})).rejects.toMatchObject({
      code: 'ERR_GATEWAY_UPSTREAM',
      message: 'the job runner did not answer with JSON',
    });
  });

  it('gives up after timeoutMs on a job runner that never answers', async () => {
    const server = createServer(() => {});
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const client = createJobClient({ baseUrl: new URL(`http://127.0.0.1:${port}`), timeoutMs: 50 });

    await expect(client.submitJob({})).rejects.toMatchObject({
      code: 'ERR_GATEWAY_UPSTREAM',
      cause: expect.objectContaining({ name: 'TimeoutError' }),
    });
  });
});
