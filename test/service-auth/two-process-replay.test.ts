import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  publicJwks,
  type ServiceIdentity,
  signRequest,
} from '@galaxy-harden/service-auth';
import { createRedisStore } from '@galaxy-harden/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisServerInstalled, sharedRedisUrl } from '../support/redis-server.js';

const REPLICA = fileURLToPath(new URL('./fixtures/replay-replica.mjs', import.meta.url));
const BODY = '{"tool":"sed"}';

let gateway: ServiceIdentity;
const children: ChildProcess[] = [];
const ports: number[] = [];

function startReplica(config: object): Promise<number> {
  const child = spawn(process.execPath, [REPLICA], {
    env: { ...process.env, REPLICA_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) =>
      resolve((JSON.parse(line.toString()) as { port: number }).port),
    );
  });
}

async function post(port: number, authorization: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/jobs`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: BODY,
  });
  await res.arrayBuffer();
  return res.status;
}

function signed() {
  return signRequest(gateway, {
    audience: 'job-runner',
    method: 'POST',
    path: '/jobs',
    body: BODY,
  });
}

describe.runIf(sharedRedisUrl() !== undefined)('two job-runner processes sharing Redis', () => {
  beforeAll(async () => {
    gateway = await createServiceIdentity('gateway', await generateServiceKey());
    const runnerPrivateJwk = await generateServiceKey();
    const config = {
      redisUrl: sharedRedisUrl(),
      prefix: `sa-replay-${randomBytes(4).toString('hex')}:`,
      runnerPrivateJwk,
      gatewayJwks: publicJwks(gateway),
    };
    ports.push(...(await Promise.all([startReplica(config), startReplica(config)])));
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
  });

  it('refuses at the second process a call the first accepted', async () => {
    const { authorization } = await signed();
    expect(await post(ports[0]!, authorization)).toBe(201);
    expect(await post(ports[1]!, authorization)).toBe(401);
    expect(await post(ports[0]!, authorization)).toBe(401);
  });

  it('lets exactly one process win when both get the call at once', async () => {
    for (let round = 0; round < 10; round += 1) {
      const { authorization } = await signed();
      const statuses = await Promise.all([
        post(ports[0]!, authorization),
        post(ports[1]!, authorization),
      ]);
      expect(statuses.sort()).toEqual([201, 401]);
    }
  });
});

describe.runIf(redisServerInstalled())('a Redis replay store that goes down', () => {
  it('fails closed, then recovers when Redis is back', async () => {
    const redis = await RedisServer.start();
    const store = createRedisStore({ url: redis.url, commandTimeoutMs: 200 });
    await store.ready();
    gateway = await createServiceIdentity('gateway', await generateServiceKey());
    const runner = await createServiceIdentity('job-runner', await generateServiceKey());
    const verifier = await createServiceVerifier({
      identity: runner,
      peers: [
        {
          name: 'gateway',
          algorithms: ['ES256'],
          jwks: publicJwks(gateway),
          routes: ['POST /jobs'],
        },
      ],
      store,
    });
    const callWith = async () => {
      const { authorization } = await signed();
      return { authorization, method: 'POST', path: '/jobs', body: BODY };
    };
    try {
      await expect(verifier.verify(await callWith())).resolves.toMatchObject({ name: 'gateway' });
      await redis.stop();
      await expect(verifier.verify(await callWith())).rejects.toMatchObject({
        code: 'ERR_SERVICE_AUTH_STORE',
      });
      await redis.resume();
      await store.ready();
      await expect
        .poll(
          async () =>
            verifier.verify(await callWith()).then(
              () => 'ok',
              (e: { code: string }) => e.code,
            ),
          {
            timeout: 10_000,
          },
        )
        .toBe('ok');
    } finally {
      await store.close();
      await redis.close();
    }
  });
});
