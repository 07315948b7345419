import { StoreError } from '@galaxy-harden/store';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, type Subject } from './harness.js';

describe.each(backends)('Store contract on $name', ({ make }) => {
  let subject: Subject;
  afterEach(async () => subject?.store.close());
  const fresh = async () => {
    subject = await make();
    return subject.store;
  };

  it('starts a counter at 1 with its ttl and keeps that ttl on the next increment', async () => {
    const store = await fresh();
    const first = await store.increment('c', { ttlMs: 60_000 });
    const second = await store.increment('c', { ttlMs: 5_000 });

    expect(first.value).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(59_000);
    expect(second.value).toBe(2);
    expect(second.ttlMs).toBeGreaterThan(5_000);
  });

  it('gives a fresh ttl with resetTtl and adds a negative amount', async () => {
    const store = await fresh();
    await store.increment('c', { ttlMs: 60_000, by: 5 });
    const next = await store.increment('c', { ttlMs: 5_000, by: -2, resetTtl: true });

    expect(next.value).toBe(3);
    expect(next.ttlMs).toBeLessThanOrEqual(5_000);
  });

  it('counts 200 parallel increments exactly once each', async () => {
    const store = await fresh();
    const all = await Promise.all(
      Array.from({ length: 200 }, () => store.increment('burst', { ttlMs: 60_000 })),
    );
    const values = all.map((c) => c.value).sort((a, b) => a - b);

    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it.each([
    [{ ttlMs: 0 }, /ttlMs/],
    [{ ttlMs: Number.NaN }, /ttlMs/],
    [{ ttlMs: 1000, by: 1.5 }, /by must be a safe integer/],
  ])('refuses increment options %o', async (options, message) => {
    const store = await fresh();
    const error = await store.increment('c', options).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('ERR_STORE_OPTION');
    expect((error as StoreError).message).toMatch(message);
  });

  it('lets exactly one of 100 parallel setIfAbsent calls win', async () => {
    const store = await fresh();
    const wins = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.setIfAbsent('jti', String(i), 60_000)),
    );

    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.get('jti')).toBe(String(wins.indexOf(true)));
  });

  it('accepts only strictly greater numbers in setIfGreater', async () => {
    const store = await fresh();

    expect(await store.setIfGreater('step', 10, 60_000)).toBe(true);
    expect(await store.setIfGreater('step', 10, 60_000)).toBe(false);
    expect(await store.setIfGreater('step', 9, 60_000)).toBe(false);
    expect(await store.setIfGreater('step', 11, 60_000)).toBe(true);
    expect(await store.get('step')).toBe('11');
  });

  it('never replaces a non-numeric value in setIfGreater, and refuses NaN', async () => {
    const store = await fresh();
    await store.setIfAbsent('junk', 'abc', 60_000);

    expect(await store.setIfGreater('junk', 5, 60_000)).toBe(false);
    await expect(store.setIfGreater('x', Number.NaN, 1000)).rejects.toMatchObject({
      code: 'ERR_STORE_OPTION',
    });
  });

  it('keeps the largest of 50 parallel setIfGreater calls', async () => {
    const store = await fresh();
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 50);
    await Promise.all(values.map((v) => store.setIfGreater('max', v, 60_000)));

    expect(await store.get('max')).toBe('49');
  });

  it('gets undefined for absent keys and deletes without error', async () => {
    const store = await fresh();
    await store.setIfAbsent('k', 'v', 60_000);
    await store.delete('k');
    await store.delete('never-there');

    expect(await store.get('k')).toBeUndefined();
  });

  it.each([[''], ['x'.repeat(1025)]])('refuses the key %#', async (key) => {
    const store = await fresh();

    await expect(store.get(key)).rejects.toMatchObject({ code: 'ERR_STORE_KEY' });
    await expect(store.increment(key, { ttlMs: 1 })).rejects.toMatchObject({
      code: 'ERR_STORE_KEY',
    });
  });

  it('refuses every operation after close with ERR_STORE_CLOSED', async () => {
    const store = await fresh();
    await store.close();

    await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_CLOSED' });
    await expect(store.setIfAbsent('k', 'v', 1000)).rejects.toMatchObject({
      code: 'ERR_STORE_CLOSED',
    });
  });
});
