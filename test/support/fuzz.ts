import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fuzz-corpus');

/**
 * Parameters for one property suite. `npm test` runs `numRuns` cases; `npm run fuzz` raises
 * the count through FUZZ_RUNS and bounds the time through FUZZ_TIME_MS, and FUZZ_SEED replays
 * a reported failure. A counterexample is added to test/fuzz-corpus/<suite>.json, and every
 * stored counterexample runs first on every later run, so a failure found once stays a test.
 */
export function fuzzParameters<T extends unknown[]>(
  suite: string,
  numRuns: number,
): fc.Parameters<T> {
  const runs = Number(process.env.FUZZ_RUNS ?? numRuns);
  const timeMs = Number(process.env.FUZZ_TIME_MS ?? 0);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

  return {
    numRuns: runs,
    ...(seed === undefined ? {} : { seed }),
    ...(timeMs > 0 ? { interruptAfterTimeLimit: timeMs, markInterruptAsFailure: false } : {}),
    examples: readCorpus<T>(suite),
    reporter: (details) => {
      if (!details.failed) return;

      if (details.counterexample) saveCounterexample(suite, details.counterexample);
      const message = fc.defaultReportMessage(details) ?? `property ${suite} failed`;
      throw new Error(message, { cause: details.errorInstance });
    },
  };
}

function corpusFile(suite: string): string {
  return join(corpusDir, `${suite}.json`);
}

function readCorpus<T>(suite: string): T[] {
  const file = corpusFile(suite);
  if (!existsSync(file)) return [];

  return JSON.parse(readFileSync(file, 'utf8')) as T[];
}

function saveCounterexample(suite: string, example: unknown): void {
  const stored = readCorpus<unknown>(suite);
  const text = JSON.stringify(example);
  if (stored.some((entry) => JSON.stringify(entry) === text)) return;

  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(corpusFile(suite), `${JSON.stringify([...stored, example], null, 2)}\n`);
}
