import { MemoryStore, StoreError } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';

function clocked(options: { maxKeys?: number } = {}) {
  let t = 1_000;
  const store = new MemoryStore({ ...options, now: () => t });
  return {
    store,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('MemoryStore', () => {
  it('forgets a key once its ttl has passed, on the injected clock', async () => {
    const { store, advance } = clocked();
    await store.setIfAbsent('k', 'v', 1000);
    advance(999);
    const before = await store.get('k');
    advance(1);

    expect(before).toBe('v');
    expect(await store.get('k')).toBeUndefined();
    expect(await store.setIfAbsent('k', 'w', 1000)).toBe(true);
  });

  it('refuses a new key with ERR_STORE_FULL rather than evict a live one', async () => {
    const { store } = clocked({ maxKeys: 2 });
    await store.setIfAbsent('a', '1', 1000);
    await store.setIfAbsent('b', '1', 1000);
    const error = await store.setIfAbsent('c', '1', 1000).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(await store.get('a')).toBe('1');
  });

  it('makes room by dropping expired keys before refusing', async () => {
    const { store, advance } = clocked({ maxKeys: 2 });
    await store.setIfAbsent('a', '1', 1000);
    await store.setIfAbsent('b', '1', 5000);
    advance(1000);

    expect(await store.setIfAbsent('c', '1', 1000)).toBe(true);
    expect(store.size).toBe(2);
  });

  it('keeps the key count of an attempt to its keys, whatever the number of attempts', async () => {
    const { store } = clocked();
    const spec = {
      key: '{x}:pair',
      threshold: 3,
      waitIncrementMs: 1,
      maxWaitMs: 1,
      quietPeriodMs: 1000,
      onLimit: 'block' as const,
    };
    for (let i = 0; i < 50; i++) await store.reserveAttempt({ nowMs: 1_000 + i, counters: [spec] });

    expect(store.size).toBe(1);
  });

  it.each([
    [{ maxKeys: 0 }, /maxKeys/],
    [{ sweepIntervalMs: -1 }, /sweepIntervalMs/],
  ])('refuses the option %o', (options, message) => {
    expect(() => new MemoryStore(options)).toThrow(message);
  });
});
