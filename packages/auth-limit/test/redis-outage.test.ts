import {
  AttemptLimiter,
  type AuthLimitEvent,
  type StoreErrorPolicy,
} from '@galaxy-harden/auth-limit';
import { createRedisStore, type RedisStore } from '@galaxy-harden/store';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisServerInstalled } from '../../../test/support/redis-server.js';
import { commandsDuring } from '../../store/test/monitor.js';
import { loginApp } from './support.js';

const who = { account: 'alice', address: '192.0.2.1' };

describe.runIf(redisServerInstalled())('auth-limit with Redis stopped mid-test', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => server.close());

  async function redisStore(): Promise<RedisStore> {
    const store = createRedisStore({ url: server.url, maxReconnectDelayMs: 50 });
    await store.ready();
    return store;
  }
  async function waitForRedis(limiter: AttemptLimiter) {
    for (let i = 0; i < 300; i++) {
      const slot = await limiter.reserve({ account: 'probe', address: '192.0.2.250' });
      if (slot.allowed || slot.reason !== 'store-unavailable')
        return slot.allowed && slot.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('Redis did not come back within 3 s');
  }

  it.each<[StoreErrorPolicy, object]>([
    ['fail-closed', { allowed: false, reason: 'store-unavailable', retryAfterSeconds: 5 }],
    ['unsafe-fail-open', { allowed: true }],
    ['local-fallback', { allowed: true }],
  ])('applies the %s policy while Redis is down and recovers after', async (policy, down) => {
    const store = await redisStore();
    const events: AuthLimitEvent[] = [];
    const limiter = new AttemptLimiter({
      store,
      storeErrorPolicy: policy,
      onEvent: (e) => events.push(e),
    });
    const before = await limiter.reserve(who);
    if (before.allowed) await before.failure();
    await server.stop();
    const during = await limiter.reserve(who);
    if (during.allowed) await during.failure();
    await server.resume();
    await waitForRedis(limiter);
    const after = await limiter.reserve(who);
    await store.close();

    expect(during).toMatchObject(down);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store.error', operation: 'reserve', policy }),
    );
    expect(after).toMatchObject({ allowed: true });
  });

  it('keeps counting in the local fallback while Redis is down', async () => {
    const store = await redisStore();
    const limiter = new AttemptLimiter({ store, storeErrorPolicy: 'local-fallback' });
    await server.stop();
    for (let i = 0; i < 10; i++) {
      const slot = await limiter.reserve(who);
      if (slot.allowed) await slot.failure();
    }
    const blocked = await limiter.reserve(who);
    await server.resume();
    await store.close();

    expect(blocked).toMatchObject({ allowed: false, reason: 'account-address' });
  });

  it('answers 503 while Redis is down, then limits again, without a restart', async () => {
    const store = await redisStore();
    const { app, checks } = loginApp({ store });
    const post = () =>
      request(app).post('/login').set('x-csrf', 'ok').send({ username: 'bob', password: 'x' });
    const first = await post();
    await server.stop();
    const down = await post();
    await server.resume();
    let back = await post();
    for (let i = 0; i < 300 && back.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 10));
      back = await post();
    }
    await store.close();

    expect(first.status).toBe(401);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(back.status).toBe(401);
    expect(checks.count).toBe(2);
  });

  it('sends one Redis command for a wrong-password request', async () => {
    const store = await redisStore();
    const { app } = loginApp({ store });
    const post = (password: string, username = 'carol') =>
      request(app).post('/login').set('x-csrf', 'ok').send({ username, password });
    await post('warm-up');
    await post('secret', 'erin'); // loads the settle script: its first use costs a NOSCRIPT
    const wrong = await commandsDuring(server.url, () => post('wrong'));
    const blocked = await commandsDuring(server.url, async () => {
      for (let i = 0; i < 12; i++) await post('wrong');
    });
    const good = await commandsDuring(server.url, () => post('secret', 'dave'));
    await store.close();

    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/"evalsha"/i);
    expect(blocked).toHaveLength(12);
    expect(good).toHaveLength(2); // reserve, then the success that clears the counter
  });
});
