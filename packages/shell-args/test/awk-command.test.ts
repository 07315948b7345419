import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awkArgv, awkCommand, findSandboxedAwk } from '../src/index.js';
import { thrown } from './thrown.js';

const gawk = findSandboxedAwk();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'awk-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string): { out: string; status: number } {
  try {
    return {
      out: execFileSync('/bin/sh', ['-c', command], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }),
      status: 0,
    };
  } catch (err) {
    return { out: '', status: (err as { status: number }).status };
  }
}

describe('findSandboxedAwk', () => {
  it.each(['mawk', 'busybox', '/nonexistent/gawk'])('does not accept %s', (path) => {
    expect(findSandboxedAwk(path)).toBeUndefined();
  });

  it('finds gawk when it is installed, and it always is in CI', () => {
    if (process.env.CI) expect(gawk).toBe('gawk');
    expect([undefined, 'gawk']).toContain(gawk);
  });
});

describe('awkArgv', () => {
  it('refuses every program when the awk cannot sandbox (mawk ignores -W sandbox)', () => {
    const err = thrown(() => awkArgv({ program: 'BEGIN{system("touch x")}', awkPath: 'mawk' }));
    expect(err.code).toBe('ERR_SHELL_ARG_AWK_UNSAFE');
    expect(err.message).toMatch(/^awkCommand: "mawk" is not a gawk that supports --sandbox/);
    expect(err.message).toMatch(/mawk ignores -W sandbox/);
  });

  it.runIf(gawk)('builds gawk --sandbox -e PROGRAM -- FILE...', () => {
    expect(awkArgv({ program: '{ print $1 }', files: ['-x'] })).toEqual([
      'gawk',
      '--sandbox',
      '-e',
      '{ print $1 }',
      '--',
      '-x',
    ]);
  });

  it
    .runIf(gawk)
    .each([
      '@include "/etc/passwd"',
      '@ include "x"',
      '@\\\ninclude "x"',
      '@load "filefuncs"',
      '@nsinclude "x"',
    ])('refuses the directive in %j, which reads files even under --sandbox', (program) => {
    const err = thrown(() => awkArgv({ program }));
    expect(err.code).toBe('ERR_SHELL_ARG_AWK_UNSAFE');
    expect(err.message).toMatch(/@include\/@load directive at offset \d+, which reads files/);
  });

  it.runIf(gawk)('allows @ elsewhere, such as a regex for e-mail addresses', () => {
    expect(awkArgv({ program: '/@example\\.org/ { n++ }' })[3]).toBe('/@example\\.org/ { n++ }');
  });

  it.runIf(gawk)('refuses a file name awk would read as a variable assignment', () => {
    const err = thrown(() => awkArgv({ program: '1', files: ['FS=x'] }));
    expect(err.code).toBe('ERR_SHELL_ARG_AWK_UNSAFE');
    expect(err.message).toMatch(
      /"FS=x" would be read as a variable assignment: prefix it with \.\//,
    );
    expect(awkArgv({ program: '1', files: ['./FS=x'] }).at(-1)).toBe('./FS=x');
  });

  it('refuses a bad awkPath or program type', () => {
    expect(thrown(() => awkArgv({ program: 1 as never })).code).toBe('ERR_SHELL_ARG_TYPE');
    expect(thrown(() => awkArgv({ program: '1', awkPath: 'a\0' })).code).toBe('ERR_SHELL_ARG_NUL');
  });
});

describe.runIf(gawk)('awkCommand run by /bin/sh', () => {
  it('counts lines of a real file', () => {
    writeFileSync(join(dir, 'table 1.tsv'), 'a\t1\nb\t2\n');
    expect(awkCommand({ program: '{ s += $2 } END { print s }', files: ['table 1.tsv'] })).toBe(
      "gawk --sandbox -e '{ s += $2 } END { print s }' -- 'table 1.tsv'",
    );
    expect(
      run(awkCommand({ program: '{ s += $2 } END { print s }', files: ['table 1.tsv'] })).out,
    ).toBe('3\n');
  });

  it.each([
    'BEGIN { system("touch PWNED") }',
    'BEGIN { print "x" > "PWNED" }',
    'BEGIN { "touch PWNED" | getline }',
    'BEGIN { print | "touch PWNED" }',
  ])('gawk --sandbox stops %j and creates no file', (program) => {
    expect(run(awkCommand({ program })).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
