import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { fuzzParameters } from '../support/fuzz.js';
import { expectRoundTrip, installed, SHELLS, tempDir } from '../support/shells.js';

// Strings per CI run; `npm run fuzz` raises FUZZ_RUNS (and bounds it with FUZZ_TIME_MS), so
// the name below says how many only when the count, not the time, ends the run.
const STRINGS = Number(process.env.FUZZ_RUNS ?? 10_000);
const HOW_MANY = process.env.FUZZ_RUNS === undefined ? String(STRINGS) : 'fuzzed';
const WORDS_PER_SPAWN = 500;

const workDir = tempDir();
afterAll(() => workDir.remove());

function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

// Full Unicode, graphemes, raw UTF-16 units (pairs and lone halves, filtered out), and ASCII
// with every control character and the shell metacharacters at high density.
const generatedWord = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }),
    fc.string({ unit: 'binary-ascii', maxLength: 24 }),
    fc.string({ unit: fc.constantFrom(...'\'"\\$`!#~=^%{}[]*?;&|<> \t\n\r-'.split('')) }),
  )
  .filter((word) => !word.includes('\0') && isWellFormed(word));

const batch = fc.array(generatedWord, { minLength: WORDS_PER_SPAWN, maxLength: WORDS_PER_SPAWN });

describe.each(installed(SHELLS))('quote, read back by $name', (shell) => {
  it(`keeps ${HOW_MANY} generated strings intact, ${WORDS_PER_SPAWN} per spawn`, () => {
    const parameters = fuzzParameters<[string[]]>(`shell-round-trip-${shell.name}`, 1);
    fc.assert(
      fc.property(batch, (words) => expectRoundTrip(shell, words, workDir.path)),
      { ...parameters, numRuns: Math.ceil(STRINGS / WORDS_PER_SPAWN) },
    );
  });
});
