import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { fileStartMs, fuzzParameters, propertyTimeLimit, testsLeft } from './fuzz.js';
import { saveCounterexample } from './fuzz-corpus.js';

const corpusDir = mkdtempSync(join(tmpdir(), 'fuzz-budget-test-'));
afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Runs `count` properties one after another, each using its whole limit; returns the limits. */
function spendFile(fileMs: number, count: number, startupMs = 0): number[] {
  const limits: number[] = [];
  let elapsedMs = startupMs;
  for (let left = count; left > 0; left -= 1) {
    const limit = propertyTimeLimit({ fileMs, elapsedMs, testsLeft: left });
    limits.push(limit);
    elapsedMs += limit;
  }

  return limits;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('propertyTimeLimit', () => {
  it.each([
    { fileMs: 8000, elapsedMs: 0, testsLeft: 4, limit: 2000 },
    { fileMs: 8000, elapsedMs: 500, testsLeft: 3, limit: 2500 },
    { fileMs: 8000, elapsedMs: 2000, testsLeft: 1, limit: 6000 },
    { fileMs: 1000, elapsedMs: 0, testsLeft: 3, limit: 333 },
    { fileMs: 8000, elapsedMs: 7900, testsLeft: 2, limit: 50 },
    { fileMs: 8000, elapsedMs: 9000, testsLeft: 1, limit: 0 },
    { fileMs: 8000, elapsedMs: 0, testsLeft: 0, limit: 8000 },
  ])('gives $limit ms of $fileMs with $elapsedMs spent and $testsLeft tests left', (row) => {
    expect(propertyTimeLimit(row)).toBe(row.limit);
  });

  // The bug class: every property got the whole file share, so --budget 60 ran ~5.5 minutes.
  it('keeps a file of ten properties within its share of a 60 s run over eight files', () => {
    const limits = spendFile(60_000 / 8, 10);

    expect(limits).toEqual(Array(10).fill(750));
    expect(sum(limits)).toBeLessThanOrEqual(7500);
  });

  it('takes start-up time out of the share, and gives nothing once it is spent', () => {
    expect(spendFile(3000, 4, 1000)).toEqual([500, 500, 500, 500]);
    expect(sum(spendFile(1000, 10, 1200))).toBe(0);
  });

  it('gives the time an early finisher leaves to the properties after it', () => {
    const first = propertyTimeLimit({ fileMs: 9000, elapsedMs: 0, testsLeft: 3 });
    const second = propertyTimeLimit({ fileMs: 9000, elapsedMs: 1000, testsLeft: 2 });

    expect([first, second]).toEqual([3000, 4000]);
  });
});

/** A clock the property moves: each run takes `stepMs`. */
function fakeClock(startMs: number) {
  let nowMs = startMs;
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { now: () => nowMs, advance };
}

describe('fuzzParameters under npm run fuzz', () => {
  it('stops a property at its part of FUZZ_TIME_MS, not at the whole file time', () => {
    vi.stubEnv('FUZZ_TIME_MS', '90000');
    vi.stubEnv('FUZZ_RUNS', '1000000');
    const clock = fakeClock(fileStartMs + 6000);
    const limitMs = Math.floor(84_000 / testsLeft());
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(), () => {
        runs += 1;
        clock.advance(100);
      }),
      fuzzParameters('fuzz-budget-check', 10, { now: clock.now }),
    );

    // Runs start while the clock is before the deadline: runs * 100 ms reach it, no more.
    expect(runs).toBe(Math.ceil(limitMs / 100));
  });

  it('lets a running async case finish rather than abandon it at the deadline', async () => {
    vi.stubEnv('FUZZ_TIME_MS', '1000');
    const clock = fakeClock(fileStartMs);
    const finished: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (n) => {
        clock.advance(5000);
        await new Promise((resolve) => setImmediate(resolve));
        finished.push(n);
      }),
      fuzzParameters('fuzz-budget-check', 10, { now: clock.now }),
    );

    expect(finished).toHaveLength(1);
  });

  it('past the deadline, still replays the stored examples before it stops', () => {
    vi.stubEnv('FUZZ_TIME_MS', '1000');
    saveCounterexample(corpusDir, 'late', [1]);
    saveCounterexample(corpusDir, 'late', [2]);
    const clock = fakeClock(fileStartMs + 60_000);
    const seen: number[] = [];
    fc.assert(
      fc.property(fc.constant(7), (n) => {
        seen.push(n);
      }),
      fuzzParameters<[number]>('late', 10, { corpusDir, now: clock.now }),
    );

    expect(seen).toEqual([1, 2]);
  });

  it('past the deadline, runs one case (none passed would count as a failure)', () => {
    vi.stubEnv('FUZZ_TIME_MS', '1000');
    const clock = fakeClock(fileStartMs + 60_000);
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(), () => {
        runs += 1;
      }),
      fuzzParameters('on-time', 10, { corpusDir, now: clock.now }),
    );

    expect(runs).toBe(1);
  });

  it('past the deadline, shrinks a failure to the end', () => {
    vi.stubEnv('FUZZ_TIME_MS', '1000');
    saveCounterexample(corpusDir, 'shrink', [900]);
    const clock = fakeClock(fileStartMs + 60_000);
    const parameters = fuzzParameters<[number]>('shrink', 10, { corpusDir, now: clock.now });
    const failing = fc.property(fc.integer({ min: 0, max: 1000 }), (n) => n < 11);

    expect(() => fc.assert(failing, parameters)).toThrow(/Counterexample: \[11\]/);
  });

  it('sets no time limit under npm test, and runs numRuns cases', () => {
    vi.stubEnv('FUZZ_TIME_MS', '');
    vi.stubEnv('FUZZ_RUNS', '');
    const parameters = fuzzParameters('fuzz-budget-check', 25);

    expect(parameters.plugins).toEqual([]);
    expect(parameters.numRuns).toBe(25);
  });

  it('takes the run count and the replay seed from FUZZ_RUNS and FUZZ_SEED', () => {
    vi.stubEnv('FUZZ_RUNS', '5000');
    vi.stubEnv('FUZZ_SEED', '-1234567');
    const parameters = fuzzParameters('fuzz-budget-check', 25);

    expect(parameters.numRuns).toBe(5000);
    expect(parameters.seed).toBe(-1234567);
  });

  it.each([
    ['FUZZ_TIME_MS', 'abc', /FUZZ_TIME_MS is "abc"; it must be a positive number/],
    ['FUZZ_TIME_MS', '-5', /FUZZ_TIME_MS is "-5"; it must be a positive number/],
    ['FUZZ_RUNS', '0', /FUZZ_RUNS is "0"; it must be a positive number/],
    ['FUZZ_SEED', '4.5', /FUZZ_SEED is "4.5"; it must be an integer/],
  ])('refuses %s=%s rather than run without a bound', (name, value, message) => {
    vi.stubEnv(name, value);

    expect(() => fuzzParameters('fuzz-budget-check', 25)).toThrow(message);
  });
});

describe('testsLeft, read from the vitest task tree of this file', () => {
  const seen: number[] = [];

  it.each([1, 2, 3])('counts each describe.each row (row %i)', () => {
    seen.push(testsLeft());
  });

  it('counts one fewer after each finished test', () => {
    expect(seen).toEqual([seen[0], seen[0]! - 1, seen[0]! - 2]);
    expect(testsLeft()).toBe(seen[0]! - 3);
  });

  // Must stay the last test of the file.
  it('counts only the running test when it is the last one', () => {
    expect(testsLeft()).toBe(1);
  });
});
