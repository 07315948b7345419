import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc, { PreconditionFailure } from 'fast-check';
import { type RunnerTask, TestRunner } from 'vitest';
import { readCorpus, saveCounterexample } from './fuzz-corpus.js';

const defaultCorpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fuzz-corpus');

/** When this test file started: its first import of this module (each file has its own). */
export const fileStartMs = Date.now();

/** Where in its file's time a property stands; see {@link propertyTimeLimit}. */
export interface FileBudget {
  /** The whole file's time (FUZZ_TIME_MS). */
  fileMs: number;
  /** Time the file has used so far: imports, hooks, earlier properties. */
  elapsedMs: number;
  /** Tests of the file not yet finished, this one included. */
  testsLeft: number;
}

/** Options for tests of this module; suites use the defaults. */
export interface FuzzOptions {
  /** Defaults to test/fuzz-corpus. */
  corpusDir?: string;
  /** Defaults to `Date.now`. */
  now?: () => number;
}

/**
 * Parameters for one property suite. `npm test` runs `numRuns` cases; `npm run fuzz` raises
 * the count through FUZZ_RUNS and gives the whole test file FUZZ_TIME_MS, shared out between
 * its properties; FUZZ_SEED replays a reported failure. A counterexample is added to
 * test/fuzz-corpus/<suite>.json (tagged JSON, so `undefined`, `-0`, `bigint`, typed arrays and
 * the like replay exactly), and every stored one runs first on every later run.
 *
 * @example
 * fc.assert(fc.property(fc.string(), (s) => check(s)), fuzzParameters<[string]>('my-suite', 300));
 */
export function fuzzParameters<T extends unknown[]>(
  suite: string,
  numRuns: number,
  options: FuzzOptions = {},
): fc.Parameters<T> {
  const corpusDir = options.corpusDir ?? defaultCorpusDir;
  const runs = positiveEnv('FUZZ_RUNS') ?? numRuns;
  const fileMs = positiveEnv('FUZZ_TIME_MS');
  const seed = seedEnv();
  const now = options.now ?? Date.now;
  const examples = readCorpus<T>(corpusDir, suite);
  const plugins: fc.Plugin<T>[] = [];
  if (fileMs !== undefined) {
    const budget = { fileMs, elapsedMs: now() - fileStartMs, testsLeft: testsLeft() };
    plugins.push(stopAtDeadline(now() + propertyTimeLimit(budget), examples.length, now));
  }

  return {
    numRuns: runs,
    ...(seed === undefined ? {} : { seed }),
    plugins,
    examples,
    reporter: (details) => {
      if (!details.failed) return;

      const saved = details.counterexample ? trySave(corpusDir, suite, details.counterexample) : '';
      const message = fc.defaultReportMessage(details) ?? `property ${suite} failed`;
      throw new Error(`${message}${saved}`, { cause: details.errorInstance });
    },
  };
}

/**
 * The time limit of one property: the file's time left, split evenly between the tests not yet
 * finished (0 once it is spent). A property that ends early leaves its time to the later ones,
 * and the limits of one file never add up to more than its share.
 *
 * @example
 * propertyTimeLimit({ fileMs: 8000, elapsedMs: 0, testsLeft: 4 }); // 2000
 */
export function propertyTimeLimit(budget: FileBudget): number {
  const leftMs = budget.fileMs - budget.elapsedMs;

  return Math.max(0, Math.floor(leftMs / Math.max(1, budget.testsLeft)));
}

/**
 * Ends a property at `deadlineMs`, between runs. fast-check's own time limit abandons a running
 * async predicate, which goes on against fixtures torn down after `fc.assert` returned (a
 * closed store) and fails the test afterwards. Before stopping, the stored examples run and
 * one case passes (fast-check counts a run interrupted before any success as failed), and a
 * failure is always shrunk to the end, so the overrun is at most one run.
 */
function stopAtDeadline<T>(deadlineMs: number, examples: number, now: () => number): fc.Plugin<T> {
  return () => {
    const seen = { started: 0, passed: 0, failing: false };
    const note = (outcome: PreconditionFailure | { error: unknown } | null) => {
      if (outcome === null) seen.passed += 1;
      else if (!(outcome instanceof PreconditionFailure)) seen.failing = true;
      return outcome;
    };
    const mayStop = () => !seen.failing && seen.started >= examples && seen.passed > 0;

    return {
      decorateRun: (nestedRun) => (value) => {
        if (mayStop() && now() >= deadlineMs) return new PreconditionFailure(true);
        seen.started += 1;
        const outcome = nestedRun(value);

        return (outcome instanceof Promise ? outcome.then(note) : note(outcome)) as typeof outcome;
      },
    };
  };
}

/**
 * Tests of the running test's file that are to run and not finished, the running one included:
 * `describe.each` rows count one each, skipped suites none. Outside a test: 1.
 *
 * @example
 * it('is alone', () => expect(testsLeft()).toBe(1));
 */
export function testsLeft(): number {
  const test = TestRunner.getCurrentTest();

  return test === undefined ? 1 : countLeft(test.file);
}

function countLeft(task: RunnerTask): number {
  if (task.type !== 'test') return task.tasks.reduce((sum, child) => sum + countLeft(child), 0);
  if (task.mode !== 'run' && task.mode !== 'only') return 0;

  return task.result === undefined || task.result.state === 'run' ? 1 : 0;
}

/** FUZZ_RUNS and FUZZ_TIME_MS: unset, or a positive number (a typo must not mean no limit). */
function positiveEnv(name: 'FUZZ_RUNS' | 'FUZZ_TIME_MS'): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!(value > 0))
    throw new Error(`fuzz: ${name} is "${text}"; it must be a positive number (or unset)`);

  return value;
}

/** FUZZ_SEED: the seed printed by `npm run fuzz` for a failing file, to replay it. */
function seedEnv(): number | undefined {
  const text = process.env.FUZZ_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`fuzz: FUZZ_SEED is "${text}"; it must be an integer (or unset)`);

  return seed;
}

/** Saves the counterexample; a value the corpus cannot hold is said in the failure message. */
function trySave(corpusDir: string, suite: string, counterexample: unknown[]): string {
  try {
    saveCounterexample(corpusDir, suite, counterexample);
    return `\nCounterexample stored in ${join(corpusDir, `${suite}.json`)}`;
  } catch (error) {
    return `\nCounterexample NOT saved: ${(error as Error).message}`;
  }
}
