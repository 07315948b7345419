import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awkArgv, findSandboxedAwk, grepArgv, grepCommand, sedArgv } from '../src/index.js';
import { thrown } from './thrown.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grep-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string): string {
  return execFileSync('/bin/sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
}

describe('grepArgv', () => {
  it('puts the pattern after -e and the files after --', () => {
    expect(grepArgv({ pattern: '--help', files: ['-f'] })).toEqual([
      'grep',
      '-e',
      '--help',
      '--',
      '-f',
    ]);
  });

  it('maps each flag to its option, in a fixed order', () => {
    const argv = grepArgv({
      pattern: 'x',
      lineNumbers: true,
      extendedRegex: true,
      fixedStrings: true,
      count: true,
      invert: true,
      ignoreCase: true,
    });
    expect(argv).toEqual(['grep', '-i', '-v', '-c', '-F', '-E', '-n', '-e', 'x', '--']);
  });

  it('keeps an empty pattern as one argument', () => {
    expect(grepCommand({ pattern: '', files: ['f'] })).toBe("grep -e '' -- f");
  });

  it.each([
    [{ pattern: 'a\0' }, 'ERR_SHELL_ARG_NUL', /^grepArgv: pattern contains a NUL/],
    [{ pattern: 1 }, 'ERR_SHELL_ARG_TYPE', /^grepArgv: pattern must be a string/],
    [{ pattern: 'x', count: 'yes' }, 'ERR_SHELL_ARG_OPTION', /option count must be true/],
    [{ pattern: 'x', files: [3] }, 'ERR_SHELL_ARG_TYPE', /grepArgv: files\[0\] must be a string/],
    [null, 'ERR_SHELL_ARG_OPTION', /expected an options object, got null/],
  ])('refuses %j', (options, code, message) => {
    const err = thrown(() => grepArgv(options as never));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe('grepCommand run by /bin/sh', () => {
  it('searches for an option-like pattern in option-like files', () => {
    writeFileSync(join(dir, '-v'), '--help\nother\n');
    expect(sh(grepCommand({ pattern: '--help', files: ['-v'] }))).toBe('--help\n');
  });

  it('matches the regex AC[TG] that Galaxy sanitizing would mangle', () => {
    writeFileSync(join(dir, 'reads.fa'), 'ACT\nACG\nACC\n');
    expect(sh(grepCommand({ pattern: 'AC[TG]', files: ['reads.fa'], count: true }))).toBe('2\n');
  });

  it("keeps a pattern that closes a quote literal: x'; touch PWNED #", () => {
    writeFileSync(join(dir, 'in'), "x'; touch PWNED #\nplain\n");
    const out = sh(
      grepCommand({ pattern: "x'; touch PWNED #", files: ['in'], fixedStrings: true }),
    );
    expect(out).toBe("x'; touch PWNED #\n");
  });
});

// Bug class: a file operand "-" after "--" was passed on, and grep read the job's stdin.
describe('a file operand "-" (standard input)', () => {
  it('is read as stdin by grep even after --', () => {
    writeFileSync(join(dir, '-'), 'from the file\n');
    const out = execFileSync('grep', ['-e', 'from', '--', '-'], {
      cwd: dir,
      input: 'from stdin\n',
      encoding: 'utf8',
    });
    expect(out).toBe('from stdin\n');
  });

  it('is refused by the grep, sed and awk helpers, which point to ./-', () => {
    const builds = [
      () => grepArgv({ pattern: 'x', files: ['a', '-'] }),
      () => sedArgv({ script: 'p', files: ['-'] }),
    ];
    if (findSandboxedAwk() !== undefined)
      builds.push(() => awkArgv({ program: '1', files: ['-'] }));
    for (const build of builds) {
      const err = thrown(build);
      expect(err.code).toBe('ERR_SHELL_ARG_LEADING_DASH');
      expect(err.message).toMatch(/^(grep|sed|awk)Argv: files\[\d\] "-" names standard input/);
      expect(err.message).toMatch(/for a file named -, pass \.\/-$/);
    }
    expect(grepArgv({ pattern: 'x', files: ['./-'] }).at(-1)).toBe('./-');
  });
});
