import type { FailureCounterSpec, ReserveAttemptInput, TakenCounter } from '@galaxy-harden/store';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, type Subject } from './harness.js';

const MIN = 60_000;
const pair: FailureCounterSpec = {
  key: '{t}:pair',
  threshold: 10,
  waitIncrementMs: MIN,
  maxWaitMs: 15 * MIN,
  quietPeriodMs: 720 * MIN,
  onLimit: 'block',
};

describe.each(backends)('AttemptStore contract on $name', ({ make }) => {
  let s: Subject;
  afterEach(async () => s?.store.close());
  const input = (counters: FailureCounterSpec[], extra: Partial<ReserveAttemptInput> = {}) => ({
    nowMs: s.now(),
    counters,
    ...extra,
  });
  const fail = async (spec: FailureCounterSpec, times: number) => {
    for (let i = 0; i < times; i++) await s.store.reserveAttempt(input([spec]));
  };

  it('lets 10 of 100 parallel reservations through against a threshold of 10', async () => {
    s = await make();
    const all = await Promise.all(
      Array.from({ length: 100 }, () => s.store.reserveAttempt(input([pair]))),
    );
    const allowed = all.filter((r) => r.allowed);
    const refused = all.filter((r) => !r.allowed);

    expect(allowed).toHaveLength(10);
    expect(refused.every((r) => !r.allowed && r.blockedBy === 0)).toBe(true);
    expect(refused.every((r) => !r.allowed && r.retryAfterMs === MIN)).toBe(true);
  });

  it('grows the wait by one increment per threshold failures, up to the maximum', async () => {
    s = await make();
    const waits: number[] = [];
    for (let failures = 1; failures <= 200; failures++) {
      const r = await s.store.reserveAttempt(input([pair]));
      if (!r.allowed) throw new Error(`blocked at failure ${failures}`);
      waits.push((r.taken[0]?.lockedUntilMs ?? 0) - s.now());
      s.advance(waits.at(-1) ?? 0);
    }

    expect(waits.slice(0, 9).every((w) => w <= 0)).toBe(true);
    expect(waits[9]).toBe(MIN);
    expect(waits[19]).toBe(2 * MIN);
    expect(waits[149]).toBe(15 * MIN);
    expect(waits[199]).toBe(15 * MIN);
  });

  it('refuses while the wait runs and answers the time left', async () => {
    s = await make();
    await fail(pair, 10);
    s.advance(MIN - 1000);
    const r = await s.store.reserveAttempt(input([pair]));

    expect(r).toMatchObject({ allowed: false, blockedBy: 0, retryAfterMs: 1000 });
  });

  it('forgets failures after the quiet period', async () => {
    s = await make();
    await fail(pair, 9);
    s.advance(pair.quietPeriodMs);
    const r = await s.store.reserveAttempt(input([pair]));

    expect(r.allowed && r.taken[0]?.failures).toBe(1);
  });

  it('never forgets a wait that is still running, even with a short quiet period', async () => {
    s = await make();
    const spec = { ...pair, threshold: 1, waitIncrementMs: 10 * MIN, quietPeriodMs: MIN };
    await fail(spec, 1);
    s.advance(2 * MIN);

    expect(await s.store.reserveAttempt(input([spec]))).toMatchObject({ allowed: false });
  });

  it('never blocks through a counter whose exempt key exists, but still counts', async () => {
    s = await make();
    const spec = { ...pair, exemptKey: '{t}:known' };
    await fail(spec, 10);
    await s.store.setIfAbsent('{t}:known', '1', MIN);
    const r = await s.store.reserveAttempt(input([spec]));

    expect(r.allowed && r.taken[0]?.failures).toBe(11);
    await s.store.delete('{t}:known');
    expect(await s.store.reserveAttempt(input([spec]))).toMatchObject({ allowed: false });
  });

  it('flags instead of blocking in flag mode, from the threshold on', async () => {
    s = await make();
    const spec: FailureCounterSpec = { ...pair, threshold: 3, onLimit: 'flag' };
    const flags: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await s.store.reserveAttempt(input([spec]));
      flags.push(r.allowed && r.flagged);
    }

    expect(flags).toEqual([false, false, false, true, true, true]);
  });

  it('refuses the hit above the window limit until the window ends', async () => {
    s = await make();
    const window = { key: '{t}:w', limit: 3, windowMs: MIN };
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await s.store.reserveAttempt(input([], { window })));
    s.advance(MIN);
    const after = await s.store.reserveAttempt(input([], { window }));

    expect(hits.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(hits[3]).toMatchObject({ blockedBy: 'window', retryAfterMs: MIN });
    expect(after).toMatchObject({ allowed: true, window: { hits: 1 } });
  });

  it('on success clears one counter, gives back the other, refunds the window, marks', async () => {
    s = await make();
    const other = { ...pair, key: '{t}:account' };
    const window = { key: '{t}:w', limit: 5, windowMs: MIN };
    await fail(pair, 3);
    const r = await s.store.reserveAttempt(input([pair, other], { window }));
    if (!r.allowed) throw new Error('blocked');
    await s.store.settleAttempt({
      nowMs: s.now(),
      outcome: 'success',
      windowKey: window.key,
      counters: [
        { key: pair.key, taken: r.taken[0] as TakenCounter, clearOnSuccess: true },
        { key: other.key, taken: r.taken[1] as TakenCounter, clearOnSuccess: false },
      ],
      mark: { key: '{t}:known', ttlMs: MIN },
    });

    expect(await s.store.get(pair.key)).toBeUndefined();
    expect(await s.store.get(other.key)).toBeUndefined();
    expect(await s.store.get(window.key)).toBe(`0:${s.now() + MIN}`);
    expect(await s.store.get('{t}:known')).toBe('1');
  });

  it('on release undoes the wait this attempt started, and only that one', async () => {
    s = await make();
    await fail(pair, 9);
    const tenth = await s.store.reserveAttempt(input([pair]));
    if (!tenth.allowed) throw new Error('blocked');
    const settle = (taken: TakenCounter) =>
      s.store.settleAttempt({
        nowMs: s.now(),
        outcome: 'release',
        counters: [{ key: pair.key, taken, clearOnSuccess: true }],
      });
    await settle(tenth.taken[0] as TakenCounter);

    expect(await s.store.get(pair.key)).toBe(`9:0:${s.now()}`);
    const again = await s.store.reserveAttempt(input([pair]));
    if (!again.allowed) throw new Error('blocked');
    s.advance(MIN);
    await fail(pair, 1);
    await settle(again.taken[0] as TakenCounter);
    expect(await s.store.reserveAttempt(input([pair]))).toMatchObject({ allowed: false });
  });

  it('stores counters as the same text on every backend', async () => {
    s = await make();
    await fail(pair, 10);

    expect(await s.store.get(pair.key)).toBe(`10:${s.now() + MIN}:${s.now()}`);
  });

  it('refuses keys of one operation that do not share a hash tag', async () => {
    s = await make();
    const spec = { ...pair, key: '{a}:pair', exemptKey: '{b}:known' };
    const error = await s.store.reserveAttempt(input([spec])).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'ERR_STORE_KEY' });
    expect((error as Error).message).toMatch(/hash tag/);
  });
});
