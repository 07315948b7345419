import { randomBytes } from 'node:crypto';
import { createRedisStore, MemoryStore } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { freePort, sharedRedisUrl } from '../../../test/support/redis-server.js';
import type { SecurityEvent } from '../src/events.js';
import { openSharedStore, sharedStoreSettings } from '../src/shared-store.js';

describe('sharedStoreSettings', () => {
  it.each([
    ['nothing: memory', {}, {}],
    ['empty values as unset', { REDIS_URL: '', GALAXY_HARDEN_REDIS_PREFIX: '' }, {}],
    ['REDIS_URL', { REDIS_URL: 'redis://a:6379' }, { redisUrl: 'redis://a:6379' }],
    [
      'GALAXY_HARDEN_REDIS_URL before REDIS_URL',
      { GALAXY_HARDEN_REDIS_URL: 'redis://g:6379', REDIS_URL: 'redis://a:6379' },
      { redisUrl: 'redis://g:6379' },
    ],
    [
      'the key prefix',
      { REDIS_URL: 'redis://a:6379', GALAXY_HARDEN_REDIS_PREFIX: 'blue:' },
      { redisUrl: 'redis://a:6379', prefix: 'blue:' },
    ],
  ])('reads %s', (_title, env, settings) => {
    expect(sharedStoreSettings(env)).toEqual(settings);
  });
});

describe('openSharedStore', () => {
  it('is a MemoryStore by default', async () => {
    const { store, where } = await openSharedStore();

    expect(store).toBeInstanceOf(MemoryStore);
    expect(where).toBe('memory of this process');
    await store.close();
  });

  it('refuses to start on a Redis nobody answers at, naming it without its password', async () => {
    const events: SecurityEvent[] = [];
    const redisUrl = `redis://demo:s3cret-pw@127.0.0.1:${await freePort()}`;
    const error = await openSharedStore({ redisUrl, onEvent: (e) => void events.push(e) }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      code: 'ERR_GATEWAY_STORE',
      message: expect.stringMatching(/cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+ /),
    });
    expect(String((error as Error).message)).not.toContain('s3cret-pw');
    expect(events).toContainEqual(expect.objectContaining({ type: 'store.error' }));
  });

  describe.runIf(sharedRedisUrl())('with Redis', () => {
    it('keeps the keys in Redis under the prefix, seen by another connection', async () => {
      const redisUrl = sharedRedisUrl() ?? '';
      const prefix = `gw-store-${randomBytes(4).toString('hex')}:`;
      const { store, where } = await openSharedStore({ redisUrl, prefix });
      const replica = createRedisStore({ url: redisUrl, prefix });
      await replica.ready();
      await store.setIfAbsent('jti:1', '1', 60_000);

      expect(where).toBe(`Redis at ${redisUrl}, keys under ${prefix}`);
      expect(await replica.get('jti:1')).toBe('1');
      expect(await replica.setIfAbsent('jti:1', '1', 60_000)).toBe(false);
      await store.delete('jti:1');
      await Promise.all([replica.close(), store.close()]);
    });
  });
});
