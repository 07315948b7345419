import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { quote, sh } from '@galaxy-harden/shell-args';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  installed,
  nulJoined,
  runScript,
  SHELLS,
  type ShellSpec,
  tempDir,
} from '../support/shells.js';

// Each value tries to create the file PWNED in the working directory.
const ATTACKS = [
  '$(touch PWNED)',
  '`touch PWNED`',
  ';touch PWNED',
  "x'; touch PWNED #",
  "\\';touch PWNED;'",
  'a\ntouch PWNED',
  '&& touch PWNED',
  '| touch PWNED',
  '>PWNED',
  '"$(touch PWNED)"',
  "'\ntouch PWNED\n'",
  '$((0))$(touch PWNED)',
];

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function run(shell: ShellSpec, script: string): Buffer {
  const result = runScript(shell, script, dir.path);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(readdirSync(dir.path)).toEqual([]);
  return result.stdout;
}

describe.each(installed(SHELLS))('sh templates run by $name', (shell) => {
  it.each(ATTACKS)('keeps %j one argument and creates no file', (value) => {
    const out = run(shell, sh`printf '%s\0' ${value} --out=${value} ${[value, value]} ${[]} end`);
    expect(out.equals(nulJoined([value, `--out=${value}`, value, value, 'end']))).toBe(true);
  });

  it.each(ATTACKS)('keeps %j literal inside a command substitution', (value) => {
    const out = run(shell, sh`printf '%s\0' "$(printf '%s' ${value})"`);
    expect(out.toString('utf8')).toBe(`${value.replace(/\n+$/, '')}\0`);
  });
});

// Why the template refuses these neighbours: written by hand, the same quoted value runs.
describe('the neighbours sh refuses are really dangerous', () => {
  const bash = installed(SHELLS).find((shell) => shell.name === 'bash');
  const zsh = installed(SHELLS).find((shell) => shell.name === 'zsh -f');

  it.runIf(bash)("runs a command when a quoted value follows $ (bash $'...')", () => {
    const script = `printf '%s\\0' $${quote("\\';touch PWNED;'")}`;
    runScript(bash!, script, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
  });

  // zsh reads the comment too, but parses the whole -c string before running any of it:
  // the value's last line is an unmatched quote there, so nothing runs at all.
  const commenting = installed(SHELLS).filter((shell) => shell.command !== 'zsh');
  it.each(commenting.map((shell) => [shell.name, shell] as const))(
    'runs a command when a quoted value sits in a comment (%s)',
    (_, shell) => {
      runScript(shell, `printf x # ${quote('\ntouch PWNED\n')}`, dir.path);
      expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
    },
  );

  it.runIf(zsh)('expands a user name after ~ even when it is quoted (zsh)', () => {
    const out = runScript(zsh!, `printf '%s' ~${quote('root')}`, dir.path).stdout.toString();
    expect(out).not.toBe('~root');
  });
});

// Bug class: literal text the scanner read out of step with the shell. Written by hand with
// a quoted value, each construct runs a command in a real shell; `sh` now refuses them all.
describe('literal constructs sh now refuses run a quoted value as code', () => {
  const find = (name: string) => installed(SHELLS).find((shell) => shell.name === name);
  const breakout = 'a"}"; touch PWNED; #';

  it.each(
    installed(SHELLS)
      .filter((shell) => shell.command !== 'zsh')
      .map((shell) => [shell.name, shell] as const),
  )("a ' in a double-quoted parameter expansion puts the next word in quotes (%s)", (_, shell) => {
    const literals = [`printf '%s' "\${x#'}'" `, ` "'"`];
    runScript(shell, `${literals[0]}${quote(breakout)}${literals[1]}`, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
    const strings = Object.assign([...literals], { raw: literals });
    expect(() => sh(strings as unknown as TemplateStringsArray, breakout)).toThrow(
      /inside a "\$\{\.\.\.\}" expansion/,
    );
  });

  it.runIf(find('bash'))('$[...] runs $(...) from a quoted value (bash)', () => {
    runScript(find('bash')!, `printf '%s' $[${quote('$(touch PWNED)')}]`, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
    expect(() => sh`printf '%s' $[${'$(touch PWNED)'}]`).toThrow(/\$\[\.\.\.\] arithmetic/);
  });

  it.runIf(find('zsh -f'))('a glob qualifier runs a quoted value as code (zsh)', () => {
    runScript(find('zsh -f')!, `printf '%s' /(e:${quote('touch PWNED')}:)`, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
    expect(() => sh`printf '%s' /(e:${'touch PWNED'}:)`).toThrow(/glued to a word/);
  });

  it.each(installed(SHELLS).map((shell) => [shell.name, shell] as const))(
    'a here-document delimiter from a value runs the body lines after it (%s)',
    (_, shell) => {
      runScript(shell, `cat <<${quote('stop')}\nstop\ntouch PWNED\n`, dir.path);
      expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
      const literals = ['cat <<', '\nstop\ntouch PWNED\n'];
      const strings = Object.assign([...literals], { raw: literals });
      expect(() => sh(strings as unknown as TemplateStringsArray, 'stop')).toThrow(
        /delimiter of a here-document/,
      );
    },
  );

  it.runIf(find('zsh -f'))('a # inside an argument (...) is no comment in zsh', () => {
    const script = `printf '%s' ( #x)it's\nprintf '%s' ${quote('$(touch PWNED)')} '`;
    runScript(find('zsh -f')!, script, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
  });

  const extglob = find('bash --posix +extglob');
  it.runIf(extglob)('a # inside an extglob group is no comment in bash', () => {
    const script = `printf '%s' @(a|#x)it's\nprintf '%s' ${quote('$(touch PWNED)')} '`;
    runScript(extglob!, script, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
  });

  it.each(installed(SHELLS).map((shell) => [shell.name, shell] as const))(
    'a # right after the )) of ((...)) starts a comment (%s)',
    (_, shell) => {
      runScript(shell, `((x = 1))#c ${quote('x\ntouch PWNED\n#')}`, dir.path);
      expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
    },
  );

  const mksh = find('mksh');
  it.runIf(mksh)('function substitution hides a quote in its comment (mksh)', () => {
    const script = `echo \${ #it's\n}'}; printf '%s' ${quote(';touch PWNED;')} '`;
    runScript(mksh!, script, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
  });

  it.runIf(find('bash'))('quotes inside $((...)) end it later in bash (the next line runs)', () => {
    const script = `echo $(( "))" ))\necho " ${quote('$(touch PWNED)')} "`;
    runScript(find('bash')!, script, dir.path);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(true);
  });
});
