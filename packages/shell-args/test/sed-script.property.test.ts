import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import { checkSedScript } from '../src/index.js';

const hasGnuSed = spawnSync('sed', ['--sandbox', '-e', 'p'], { input: '' }).status === 0;

// Fragments of sed syntax, safe and unsafe, glued at random with a little raw ASCII. No
// `:label` (with `b label` a script could loop forever) and no `D` (`G;D` loops).
const fragment = fc.oneof(
  fc.constantFrom(
    ...['1', '$', '/a/', '\\,a,', '1,3', '/x/I,+2', '0~2', '!', ' ', ';', '\n', '{', '}'],
    ...['p', 'd', 'N', 'G', 'h', 'x', '=', 'q', 'l', 'F', 'z', 'v', 'l 3', 'q5', 'T'],
    ...['s/a/b/g', 's|x|y|', 's/[/]/x/', 's/a/b/ ', 'y/ab/ba/', 'a text', 'i\\\nfoo', 'c x'],
    ...['e id', 'w f', 'W f', 'r f', 'R f', 's/a/b/e', 's/a/b/w f', 'b x', 'b', 't', '#c'],
    ...['e', 'w', 'r', '\\', '/', 'a', 's', 'y', '[', ']', '[:', ':]', '#', '\t', 'I', 'g'],
    // Whitespace that sed versions and readers treat differently (a label kept VT once).
    ...['\v', '\f', '\r', '\r\n', ' \t'],
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 3 }).filter((s) => !s.includes('\0')),
);

function refusedBySandbox(script: string): boolean {
  const run = spawnSync('sed', ['--sandbox', '-n', '-e', script], {
    input: 'a\nb\n',
    timeout: 2000,
  });
  return /e\/r\/w commands disabled in sandbox mode/.test(run.stderr.toString('utf8'));
}

function accepted(script: string): boolean {
  try {
    checkSedScript(script);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasGnuSed || process.env.CI)('checkSedScript against GNU sed --sandbox', () => {
  it('never accepts a script in which GNU sed finds e, r or w', () => {
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 10 }), (parts) => {
        const script = parts.join('');
        if (accepted(script)) expect(refusedBySandbox(script)).toBe(false);
      }),
      fuzzParameters<[string[]]>('sed-script-vs-gnu-sed', 400),
    );
  });
});
