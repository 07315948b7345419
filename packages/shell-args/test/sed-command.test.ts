import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sedArgv, sedCommand } from '../src/index.js';
import { thrown } from './thrown.js';

const hasGnuSed = spawnSync('sed', ['--sandbox', '-e', 'p'], { input: '' }).status === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sed-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sedArgv', () => {
  it('always runs sed --sandbox with the script after -e and files after --', () => {
    expect(sedArgv({ script: 's/a/b/', files: ['x'] })).toEqual([
      'sed',
      '--sandbox',
      '-e',
      's/a/b/',
      '--',
      'x',
    ]);
  });

  it('adds -n and -E as options, never inside the script', () => {
    expect(sedArgv({ script: 'p', quiet: true, extendedRegex: true })).toEqual([
      'sed',
      '--sandbox',
      '-n',
      '-E',
      '-e',
      'p',
      '--',
    ]);
  });

  it('keeps file names that start with a dash, since they follow --', () => {
    expect(sedArgv({ script: 'p', files: ['-i', '--in-place'] }).slice(-3)).toEqual([
      '--',
      '-i',
      '--in-place',
    ]);
  });

  it.each([
    [{ script: '1e touch x' }, 'ERR_SHELL_ARG_SED_UNSAFE', /'e' command/],
    [{ script: '-i' }, 'ERR_SHELL_ARG_SED_UNSAFE', /starts with "-"/],
    [{ script: 'p', files: ['a\0'] }, 'ERR_SHELL_ARG_NUL', /^sedArgv: files\[0\] contains a NUL/],
    [{ script: 'p', files: 'x' }, 'ERR_SHELL_ARG_OPTION', /option files must be an array/],
    [{ script: 'p', quiet: 1 }, 'ERR_SHELL_ARG_OPTION', /option quiet must be true or false/],
    [{ script: 'p', extendedRegex: 'y' }, 'ERR_SHELL_ARG_OPTION', /option extendedRegex/],
    [{ script: undefined }, 'ERR_SHELL_ARG_TYPE', /^sed script must be a string/],
    [undefined, 'ERR_SHELL_ARG_OPTION', /sedArgv: expected an options object/],
  ])('refuses %j', (options, code, message) => {
    const err = thrown(() => sedArgv(options as never));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe('sedCommand', () => {
  it('quotes every word', () => {
    expect(sedCommand({ script: 's/foo/bar/g', files: ['in 1.txt'] })).toBe(
      "sed --sandbox -e s/foo/bar/g -- 'in 1.txt'",
    );
  });

  it.runIf(hasGnuSed)('edits hostile file names run by /bin/sh, touching nothing else', () => {
    const names = ['-n', '--in-place', 'a b', '$(touch PWNED)', "x'; touch PWNED #"];
    for (const name of names) writeFileSync(join(dir, name), 'foo\n');

    const command = sedCommand({ script: 's/foo/bar/', files: names });
    const out = execFileSync('/bin/sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('bar\n'.repeat(names.length));
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
  });

  it.runIf(hasGnuSed)('runs the example script over a real file with -n and -E', () => {
    writeFileSync(join(dir, 'seq.fa'), '>id1\nacgt\n>id2\nggcc\n');
    const command = sedCommand({
      script: '/^>/!y/acgt/ACGT/;/^(A|G)/p',
      files: ['seq.fa'],
      quiet: true,
      extendedRegex: true,
    });
    expect(execFileSync('/bin/sh', ['-c', command], { cwd: dir, encoding: 'utf8' })).toBe(
      'ACGT\nGGCC\n',
    );
  });
});
