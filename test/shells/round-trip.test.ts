import { afterAll, describe, expect, it } from 'vitest';
import {
  expectRoundTrip,
  INTERACTIVE_SHELLS,
  installed,
  missingShells,
  SHELLS,
  tempDir,
} from '../support/shells.js';
import { HOSTILE_CORPUS, HOSTILE_VALUES } from './hostile-corpus.js';

const workDir = tempDir();
afterAll(() => workDir.remove());

describe('quote, read back by real shells', () => {
  it('has every shell of the family installed when CI is set', () => {
    const missing = missingShells();
    if (process.env.CI) expect(missing, 'apt-get install bash dash zsh mksh busybox').toEqual([]);
    expect(installed(SHELLS).length + missing.length).toBeGreaterThan(0);
  });

  describe.each(installed(SHELLS))('$name', (shell) => {
    it.each(Object.keys(HOSTILE_CORPUS))('keeps every "%s" value one literal argument', (group) => {
      expectRoundTrip(shell, HOSTILE_CORPUS[group] ?? [], workDir.path);
    });

    it('keeps the hostile corpus intact under LC_ALL=C', () => {
      expectRoundTrip(shell, HOSTILE_VALUES, workDir.path, 'C');
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
        workDir.path,
      );
    });
  });
});
