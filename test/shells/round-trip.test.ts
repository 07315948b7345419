import { quoteArgs } from '@galaxy-harden/shell-args';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  batches,
  INTERACTIVE_SHELLS,
  installed,
  mismatches,
  missingShells,
  nulJoined,
  runScript,
  SHELLS,
  type ShellSpec,
  tempDir,
} from '../support/shells.js';
import { HOSTILE_CORPUS, HOSTILE_VALUES } from './hostile-corpus.js';

// `npm run fuzz` raises this; `npm test` runs the default on every CI run.
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const WORDS_PER_SPAWN = 500;

const workDir = tempDir();
afterAll(() => workDir.remove());

/** Quotes `words`, has the shell print them NUL-terminated, and checks every byte. */
function expectRoundTrip(shell: ShellSpec, words: readonly string[], locale?: string): void {
  for (const batch of batches(words)) {
    const run = runScript(shell, `printf '%s\\0' ${quoteArgs(batch)}`, workDir.path, locale);
    const wrong = mismatches(batch, run.stdout);
    expect(wrong, `${shell.name} changed words; stderr: ${run.stderr}`).toEqual([]);
    expect(run.stdout.equals(nulJoined(batch))).toBe(true);
    expect(run.status).toBe(0);
  }
}

function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

// Full Unicode, graphemes, raw UTF-16 units (pairs and lone halves, filtered), and ASCII
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

describe('quote, read back by real shells', () => {
  it('has every shell of the family installed when CI is set', () => {
    const missing = missingShells();
    if (process.env.CI) expect(missing, 'apt-get install bash dash zsh mksh busybox').toEqual([]);
    expect(installed(SHELLS).length + missing.length).toBeGreaterThan(0);
  });

  describe.each(installed(SHELLS))('$name', (shell) => {
    it.each(Object.keys(HOSTILE_CORPUS))('keeps every "%s" value one literal argument', (group) => {
      expectRoundTrip(shell, HOSTILE_CORPUS[group] ?? []);
    });

    it('keeps the hostile corpus intact under LC_ALL=C', () => {
      expectRoundTrip(shell, HOSTILE_VALUES, 'C');
    });

    it(`keeps ${FUZZ_RUNS} generated strings intact, ${WORDS_PER_SPAWN} per spawn`, () => {
      const batch = fc.array(generatedWord, {
        minLength: WORDS_PER_SPAWN,
        maxLength: WORDS_PER_SPAWN,
      });
      fc.assert(
        fc.property(batch, (words) => expectRoundTrip(shell, words)),
        { numRuns: Math.ceil(FUZZ_RUNS / WORDS_PER_SPAWN) },
      );
    });
  });

  describe.each(installed(INTERACTIVE_SHELLS))('$name, with history expansion live', (shell) => {
    it('keeps history, quote and newline values literal', () => {
      const words = [
        ...(HOSTILE_CORPUS.history ?? []),
        ...(HOSTILE_CORPUS['quote closed early'] ?? []),
        ...(HOSTILE_CORPUS.newline ?? []),
        ...(HOSTILE_CORPUS['zsh extensions'] ?? []),
      ];
      // Interactive bash reads a typed carriage return as Enter whatever the quoting (a
      // README known limit); generated command lines run under sh -c, where CR is kept.
      expectRoundTrip(
        shell,
        words.filter((word) => !word.includes('\r')),
      );
    });
  });
});
