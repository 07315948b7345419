import { randomUUID } from 'node:crypto';
import { createRedisStore, type RedisStore } from '@galaxy-harden/store';
import type express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisServer,
  redisServerInstalled,
  sharedRedisUrl,
} from '../../../test/support/redis-server.js';
import { TcpGate } from '../../store/test/tcp-gate.js';
import { loginApp } from './support.js';

const wrong = (app: express.Express) =>
  request(app).post('/login').set('x-csrf', 'ok').send({ username: 'alice', password: 'nope' });

/** Two gateway replicas in one process: one Redis store instance each, one key prefix. */
async function replicas(url: string, options: { commandTimeoutMs?: number } = {}) {
  const prefix = `burst:${randomUUID()}:`;
  const stores: RedisStore[] = [];
  for (let i = 0; i < 2; i++) {
    stores.push(createRedisStore({ url, prefix, maxReconnectDelayMs: 50, ...options }));
  }
  await Promise.all(stores.map((store) => store.ready()));
  const apps = stores.map((store) => loginApp({ store }));
  const checks = () => apps.reduce((sum, a) => sum + a.checks.count, 0);
  const burst = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => wrong(apps[i % 2]?.app as express.Express)));
  const close = () => Promise.all(stores.map((store) => store.close()));
  return { apps, checks, burst, close };
}

describe.runIf(sharedRedisUrl())('parallel burst through two store instances', () => {
  it('lets at most 10 of 200 parallel wrong passwords reach the check', async () => {
    const { checks, burst, close } = await replicas(sharedRedisUrl() as string);
    const answers = await burst(200);
    await close();

    expect(checks()).toBe(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(190);
  });
});

describe.runIf(redisServerInstalled())('Redis failing in the middle of a burst', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => server.close());

  it('answers 401, 429 or 503 with Retry-After, never passes the limit, recovers', async () => {
    const { apps, checks, burst, close } = await replicas(server.url);
    for (let i = 0; i < 5; i++) await wrong(apps[0]?.app as express.Express);
    const answers = burst(200);
    await server.stop();
    const during = await answers;
    const checked = checks();
    await server.resume();
    let back = await wrong(apps[1]?.app as express.Express);
    for (let i = 0; i < 300 && back.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      back = await wrong(apps[1]?.app as express.Express);
    }
    await close();
    const unavailable = during.filter((r) => r.status === 503);

    expect(during.every((r) => [401, 429, 503].includes(r.status))).toBe(true);
    expect(checked).toBeLessThanOrEqual(10);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((r) => r.headers['retry-after'] === '5')).toBe(true);
    expect(back.status).toBe(401);
  });

  it('answers 503 after commandTimeoutMs when Redis accepts but never answers', async () => {
    const gate = await TcpGate.start(server.port);
    const { apps, checks, burst, close } = await replicas(`redis://127.0.0.1:${gate.port}`, {
      commandTimeoutMs: 200,
    });
    await wrong(apps[0]?.app as express.Express);
    gate.hold();
    const during = await burst(20);
    gate.release();
    await close();
    await gate.close();

    expect(during.map((r) => r.status)).toEqual(Array(20).fill(503));
    expect(checks()).toBe(1);
  });
});
