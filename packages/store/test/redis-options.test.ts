import {
  createRedisStore,
  type RedisStoreClient,
  type RedisStoreOptions,
  StoreError,
} from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/redis-server.js';

const make = (options: unknown) => () => createRedisStore(options as RedisStoreOptions);

describe('createRedisStore options', () => {
  it.each<[string, unknown, RegExp]>([
    ['a client without commands', { client: {} }, /option client must be a node-redis client/],
    ['an onEvent that is no function', { url: 'redis://127.0.0.1:1', onEvent: 'log' }, /onEvent/],
    ['a misspelt option', { url: 'redis://127.0.0.1:1', commandTimeout: 50 }, /commandTimeout is/],
    ['no options at all', undefined, /option options must be an object, got undefined/],
  ])('refuses %s at construction', (_name, options, message) => {
    expect(make(options)).toThrow(StoreError);
    expect(make(options)).toThrow(expect.objectContaining({ code: 'ERR_STORE_OPTION' }));
    expect(make(options)).toThrow(/^@galaxy-harden\/store createRedisStore: option /);
    expect(make(options)).toThrow(message);
  });

  // The client's own parse error kept the whole URL, password included, as `input`.
  it.each([
    ['redis://:hunter2@[::1', 'an unclosed IPv6 host'],
    ['redis://:hunter2@host:99999', 'a port out of range'],
    ['http://:hunter2@127.0.0.1', 'another scheme'],
  ])('refuses the URL %s (%s) without repeating its password', (url) => {
    const error = (() => {
      try {
        createRedisStore({ url });
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'ERR_STORE_OPTION' });
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).message).toMatch(/option url must be a valid redis:\/\//);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});

describe('createRedisStore onEvent', () => {
  // `async (e) => db.insert(e)` fits the type; its rejection used to be unhandled, and an
  // unhandled rejection ends a Node process while Redis is down.
  it('cannot end the process with the rejection of an async onEvent', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const seen: string[] = [];
    const store = createRedisStore({
      url: `redis://127.0.0.1:${await freePort()}`,
      maxReconnectDelayMs: 20,
      onEvent: async (event) => {
        seen.push(event.type);
        throw new Error('audit database is down');
      },
    });
    const failed = await store.get('k').catch((e: unknown) => e);
    for (let i = 0; i < 100 && !seen.includes('store.error'); i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    process.off('unhandledRejection', record);

    expect(failed).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(seen).toContain('store.error');
    expect(unhandled).toEqual([]);
  });

  it('accepts a client it is given (the contract of a node-redis client)', () => {
    const client = {
      evalSha: async () => 0,
      eval: async () => 0,
      get: async () => null,
      set: async () => 'OK',
      del: async () => 0,
    } satisfies RedisStoreClient;

    expect(() => createRedisStore({ client })).not.toThrow();
  });
});
