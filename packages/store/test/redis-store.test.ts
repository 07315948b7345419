import { createRedisStore, type RedisStoreEvent, StoreError } from '@galaxy-harden/store';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisServer,
  redisServerInstalled,
  sharedRedisUrl,
} from '../../../test/support/redis-server.js';
import { commandsDuring } from './monitor.js';
import { TcpGate } from './tcp-gate.js';

const spec = {
  key: '{r}:pair',
  threshold: 10,
  waitIncrementMs: 60_000,
  maxWaitMs: 900_000,
  quietPeriodMs: 3_600_000,
  onLimit: 'block' as const,
};

describe.runIf(redisServerInstalled())('RedisStore when Redis fails', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => server.close());

  it('fails fast while Redis is down, never crashes, and recovers on its own', async () => {
    const events: RedisStoreEvent[] = [];
    const store = createRedisStore({
      url: server.url,
      maxReconnectDelayMs: 100,
      onEvent: (e) => events.push(e),
    });
    await store.ready();
    await server.stop();
    const down = await store.increment('c', { ttlMs: 60_000 }).catch((e: unknown) => e);
    await server.resume();
    await until(() => events.some((e, i) => e.type === 'store.ready' && i > 0));
    const up = await store.increment('c', { ttlMs: 60_000 });
    await store.close();

    expect(down).toBeInstanceOf(StoreError);
    expect(down).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(events.some((e) => e.type === 'store.error')).toBe(true);
    expect(up.value).toBe(1);
  });

  it('times a command out when Redis hangs instead of waiting for ever', async () => {
    const gate = await TcpGate.start(server.port);
    const store = createRedisStore({
      url: `redis://127.0.0.1:${gate.port}`,
      commandTimeoutMs: 200,
    });
    await store.ready();
    gate.hold();
    const error = await store.reserveAttempt({ nowMs: 1, counters: [spec] }).catch((e) => e);
    gate.release();
    await store.close();
    await gate.close();

    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/reserveAttempt failed/);
  });

  it('fails at once when the first connection cannot be made', async () => {
    const dead = await RedisServer.start();
    await dead.stop();
    const store = createRedisStore({ url: dead.url, maxReconnectDelayMs: 50 });
    const error = await store.get('k').catch((e: unknown) => e);
    await store.close();
    await dead.close();

    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });

  it('reserves an attempt with a single EVALSHA: one round trip', async () => {
    // A private server: MONITOR on the shared one would see other suites' commands too.
    const own = await RedisServer.start();
    const store = createRedisStore({ url: own.url });
    await store.ready();
    await store.reserveAttempt({ nowMs: 1, counters: [spec] });
    const sent = await commandsDuring(own.url, () =>
      store.reserveAttempt({ nowMs: 2, counters: [spec] }),
    );
    await store.close();
    await own.close();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/"evalsha"/i);
  });
});

describe.runIf(sharedRedisUrl())('RedisStore on a running Redis', () => {
  const url = sharedRedisUrl() as string;

  it('reloads its scripts after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
    const admin = createClient({ url });
    await admin.connect();
    const store = createRedisStore({ url, prefix: `flush:${process.pid}:` });
    await store.ready();
    await store.increment('c', { ttlMs: 60_000 });
    await admin.scriptFlush();
    const next = await store.increment('c', { ttlMs: 60_000 });
    await store.delete('c');
    await store.close();
    await admin.close();

    expect(next.value).toBe(2);
  });

  it('puts its prefix before the hash tag and uses a client it was given', async () => {
    const client = createClient({ url });
    await client.connect();
    const prefix = `given:${process.pid}:`;
    const store = createRedisStore({ client, prefix });
    await store.reserveAttempt({ nowMs: 1, counters: [spec] });
    await store.close();

    expect(await client.get(`${prefix}{r}:pair`)).toBe('1:0:1');
    expect(client.isOpen).toBe(true);
    await client.del(`${prefix}{r}:pair`);
    await client.close();
  });

  it.each([
    [{}, /exactly one must be given/],
    [{ url: 'http://x' }, /redis:\/\//],
    [{ url, commandTimeoutMs: 0 }, /commandTimeoutMs/],
    [{ url, prefix: 'p'.repeat(65) }, /prefix/],
  ])('refuses options %#', (options, message) => {
    expect(() => createRedisStore(options)).toThrow(message);
    expect(() => createRedisStore(options)).toThrow(StoreError);
  });
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error('condition not met within 5 s');
}
