import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisServerInstalled } from '../support/redis-server.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Replica {
  child: ChildProcess;
  url: string;
}

async function startReplica(redisUrl: string, prefix: string): Promise<Replica> {
  const child = spawn(process.execPath, [join(here, 'replica.mjs')], {
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${JSON.parse(first).port}` };
}

async function login(replica: Replica, password: string, from = '198.51.100.1') {
  const response = await fetch(`${replica.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username: 'alice', password }),
  });
  return response.status;
}

describe.runIf(redisServerInstalled())('two gateway replicas sharing one Redis', () => {
  let redis: RedisServer;
  let replicas: Replica[];
  beforeAll(async () => {
    redis = await RedisServer.start();
    const prefix = `replicas:${randomUUID()}:`;
    replicas = await Promise.all([
      startReplica(redis.url, prefix),
      startReplica(redis.url, prefix),
    ]);
  });
  afterAll(async () => {
    for (const { child } of replicas ?? []) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await redis?.close();
  });

  it('share one limit: 10 wrong passwords spread over both block the 11th on either', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await login(i % 2 === 0 ? a : b, 'wrong'));

    expect(statuses).toEqual(Array(10).fill(401));
    expect(await login(a, 'secret')).toBe(429);
    expect(await login(b, 'secret')).toBe(429);
  });

  it('let at most 10 of 100 parallel wrong passwords through across both replicas', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(i % 2 ? a : b, 'wrong', '198.51.100.2')),
    );

    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
  });

  it('answer 503 while Redis is stopped and limit again once it is back', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await redis.stop();
    const down = [
      await login(a, 'secret', '198.51.100.3'),
      await login(b, 'secret', '198.51.100.3'),
    ];
    await redis.resume();
    let back = 503;
    for (let i = 0; i < 300 && back === 503; i++) {
      back = await login(a, 'wrong', '198.51.100.4');
      if (back === 503) await new Promise((r) => setTimeout(r, 10));
    }
    for (let i = 0; i < 9; i++) await login(i % 2 ? a : b, 'wrong', '198.51.100.4');

    expect(down).toEqual([503, 503]);
    expect(back).toBe(401);
    expect(await login(b, 'secret', '198.51.100.4')).toBe(429);
  });
});
