import { MemoryStore, type MemoryStoreOptions, StoreError } from '@galaxy-harden/store';
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

  // CPU exhaustion: a full store walked every key for each new key, so an attacker who
  // filled it (one request per address) made every later request cost milliseconds.
  it('sweeps a full store for room at most once a second', async () => {
    const { store, advance } = clocked({ maxKeys: 3 });
    await store.setIfAbsent('short', '1', 10);
    await store.setIfAbsent('b', '1', 60_000);
    await store.setIfAbsent('c', '1', 60_000);
    const first = await store.setIfAbsent('d', '1', 60_000).catch((e: unknown) => e);
    advance(10);
    const within = await store.setIfAbsent('e', '1', 60_000).catch((e: unknown) => e);
    advance(990);
    const after = await store.setIfAbsent('f', '1', 60_000);

    expect(first).toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(within).toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(after).toBe(true);
  });

  it.each<[object, RegExp]>([
    [{ maxKeys: 0 }, /option maxKeys must be a whole number of at least 1, got 0; omit it/],
    [{ maxKeys: 1.5 }, /option maxKeys .*got 1\.5/],
    [{ sweepIntervalMs: -1 }, /option sweepIntervalMs .*got -1/],
    // setInterval fires every 1 ms for a longer delay, and Node prints a warning.
    [{ sweepIntervalMs: 1e12 }, /sweepIntervalMs .*at most 2147483647, got 1000000000000/],
    [{ now: 5 }, /option now must be a function, got 5/],
    [{ prefix: 7 }, /option prefix must be a string, got 7/],
    [{ maxkeys: 10 }, /option maxkeys is not an option, got "maxkeys"; use one of prefix, maxKeys/],
  ])('refuses the option %o, naming the store, the option and the value', (options, message) => {
    const make = () => new MemoryStore(options as MemoryStoreOptions);

    expect(make).toThrow(StoreError);
    expect(make).toThrow(expect.objectContaining({ code: 'ERR_STORE_OPTION' }));
    expect(make).toThrow(/^@galaxy-harden\/store MemoryStore: option /);
    expect(make).toThrow(message);
  });
});
