import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkSedScript } from '../src/index.js';
import { thrown } from './thrown.js';

const hasGnuSed = spawnSync('sed', ['--sandbox', '-e', 'p'], { input: '' }).status === 0;

/** Runs GNU sed in sandbox mode over two lines; returns its stderr and status. */
function gnuSed(script: string): { stderr: string; status: number | null } {
  const run = spawnSync('sed', ['--sandbox', '-n', '-e', script], {
    input: 'a\nb\n',
    timeout: 2000,
  });
  return { stderr: run.stderr.toString('utf8'), status: run.status };
}

const SANDBOX_REFUSAL = /e\/r\/w commands disabled in sandbox mode/;

// Scripts that run commands, read or write files, in every position sed accepts them.
const UNSAFE: ReadonlyArray<[string, RegExp]> = [
  ['1e touch x', /the 'e' command runs a shell command/],
  ['e', /'e' command/],
  ['$e id', /'e' command/],
  ['1,5e ls', /'e' command/],
  ['1 e ls', /'e' command/],
  ['1!e ls', /'e' command/],
  ['s/.*/id/e', /s\/\/\/e flag, which runs the result as a shell command/],
  ['s|a|b|e', /s\/\/\/e flag/],
  ['s,x,y,ge', /s\/\/\/e flag/],
  ['s/a/b/ e', /s\/\/\/e flag/],
  ['s/a/b/2pe', /s\/\/\/e flag/],
  ['s/a/b/;s/c/d/e', /s\/\/\/e flag/],
  ['w ../owned', /the 'w' command writes a file/],
  ['$w x', /'w' command/],
  ['1,5w out', /'w' command/],
  ['/re/w f', /'w' command/],
  ['1 ! w f', /'w' command/],
  ['W out', /the 'W' command writes a file/],
  ['r /etc/passwd', /the 'r' command reads a file/],
  ['/re/r f', /'r' command/],
  ['R /etc/passwd', /the 'R' command reads a file/],
  ['s/a/b/w out', /s\/\/\/w flag, which writes a file/],
  ['s,x,y,w out', /s\/\/\/w flag/],
  ['s/a/b/gw /dev/stdout', /s\/\/\/w flag/],
  ['1{e id\n}', /'e' command/],
  ['/x/{s/a/b/;w f\n}', /'w' command/],
  ['{{r f\n}}', /'r' command/],
  ['p;w f', /'w' command/],
  ['p\nw f', /'w' command/],
  ['  ;;\tr x', /'r' command/],
  [':a w f', /'w' command/],
  ['b a;w f', /'w' command/],
  ['b end w f', /'w' command/],
  ['y/a/b/;w f', /'w' command/],
  ['a foo\nw f', /'w' command/],
  ['i\\\nfoo\nw f', /'w' command/],
  ['#c\nw f', /'w' command/],
  ['\\%x%w f', /'w' command/],
  ['/x/I,+2w f', /'w' command/],
  ['0~2W f', /'W' command/],
];

const OPTION_INJECTION = ['-i', '--in-place', '-n', '-e', '--expression=w x', '-s', '-'];

// Not unsafe in themselves, but not parsed with confidence: refused (fail closed).
const UNPARSEABLE: ReadonlyArray<[string, RegExp]> = [
  ['s/a/b', /'s' replacement that is not terminated/],
  ['s/a', /'s' regex that is not terminated/],
  ['/a', /address regex that is not terminated/],
  ['s/a\nb/c/', /'s' regex that contains an unescaped newline/],
  ['s/[/]/e/', /delimiter inside a \[\.\.\.\] bracket expression/],
  ['s/[^/]*$//', /bracket expression/],
  ['s/[\\\\/]/x/', /bracket expression/],
  ['k', /unknown command "k"/],
  ['L', /unknown command "L"/],
  ['p x', /extra characters after the 'p' command/],
  ['q x', /extra characters after the 'q' command/],
  ['y/a/b/g', /extra characters after the 'y' command/],
  ['s/a/b/x', /unknown 's' flag "x"/],
  ['s/a/b/\r', /unknown 's' flag/],
  ['{p', /'\{' without its '\}'/],
  ['p}', /'\}' without its '\{'/],
  ['}', /'\}' without its '\{'/],
  ['a', /'a' without its text/],
  ['1i', /'i' without its text/],
  [':y#c;w f', /'#' inside the label of ':'/],
  ['b y#c;w f', /'#' inside the label of 'b'/],
  // Found by npm run fuzz (seed 98029691): GNU sed reads the label "\va" and then runs `e`.
  ['t\va\te', /\\r, \\v or \\f inside the label of 't'/],
  ['T\fx\tw f', /inside the label of 'T'/],
  ['b a\rb;e', /inside the label of 'b'/],
  [':\vx', /inside the label of ':'/],
  [':', /':' without a label/],
  ['1:a', /address before ':'/],
  ['1!!d', /multiple '!'/],
  ['1,', /range without a second address/],
  ['1,+p', /'\+' without a number/],
  ['1', /ends after an address, without a command/],
  ['s€a€b€', /no usable delimiter for its 's' command/],
  ['s\\a\\b\\', /no usable delimiter/],
  ['y/abc/xyz', /'y' target that is not terminated/],
];

// Everyday scripts, accepted and (where GNU sed is installed) run cleanly by sed --sandbox.
const NORMAL = [
  '',
  's/foo/bar/g',
  '1d',
  '/^>/!s/a/b/',
  'y/acgt/ACGT/',
  '$!N',
  's/\\t/,/2',
  's/[[:space:]]\\+/\\t/g',
  '/^#/d',
  '1~4p',
  '0,/a/d',
  's|/usr|/opt|g',
  's|[^/]*$||',
  's/[]]/x/',
  's/[^]a]/x/g',
  's/[[:alpha:][:digit:]]/x/',
  ':a;N;$!ba;s/\\n/ /g',
  '/start/,/end/{s/a/b/;p}',
  '$a\\\nlast line',
  '1i header; with w and e inside',
  '2c\\\nreplaced',
  'a\\',
  '=',
  'l 40',
  'l;p',
  'q5',
  'Q',
  'F',
  'z',
  'v 4.2',
  '#n\np',
  'p # print it',
  's/a/b/ # comment',
  's/a/b/I',
  's/x/y/Mg',
  '/x/I,+2d',
  '1,~3d',
  '\\%/usr%d',
  's/\\//|/g',
  'n;d',
  'h;G;x;g;H',
  '{ p; p }',
  '1,2{=;p}',
  's/a/&&/3p',
  'T end;s/x/y/;:end',
  'b;p',
  's/.*/\\U&/',
  's/e/E/',
  's/w/W/g',
  '/e/p',
  '/r/,/w/p',
  'y/ew/WE/',
  's/r/R/;s/e/x/',
  's/a/\\\n/',
  'sxaxbxg',
  's a b g',
  ' \t1d',
];

describe('checkSedScript', () => {
  it.each(UNSAFE)('refuses %j and names the construct', (script, message) => {
    const err = thrown(() => checkSedScript(script));
    expect(err.code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^sed script .*\(at offset \d+\); refused$/);
  });

  it.each(OPTION_INJECTION)('refuses the option-like script %j', (script) => {
    const err = thrown(() => checkSedScript(script));
    expect(err.code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(err.message).toMatch(/starts with "-", which sed would read as an option/);
    expect(err.message).toMatch(/quiet: true for -n/);
  });

  it.each(UNPARSEABLE)('fails closed on %j', (script, message) => {
    const err = thrown(() => checkSedScript(script));
    expect(err.code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(err.message).toMatch(message);
  });

  it.each(NORMAL)('accepts the everyday script %j unchanged', (script) => {
    expect(checkSedScript(script)).toBe(script);
  });

  it.each([
    ['s/a/\0/', 'ERR_SHELL_ARG_NUL'],
    ['s/a/\ud800/', 'ERR_SHELL_ARG_ENCODING'],
    [42, 'ERR_SHELL_ARG_TYPE'],
  ])('refuses %j before parsing', (script, code) => {
    const err = thrown(() => checkSedScript(script as string));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/^sed script /);
  });

  it('parses a long script in linear time', () => {
    const script = `${'s/a/b/;'.repeat(50_000)}${'['.repeat(50_000)}`;
    expect(thrown(() => checkSedScript(script)).code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(checkSedScript(`${'p;'.repeat(100_000)}p`)).toHaveLength(200_001);
  });
});

describe.runIf(hasGnuSed)('checkSedScript against GNU sed --sandbox', () => {
  it.each(NORMAL)('sed --sandbox runs the accepted script %j without complaint', (script) => {
    expect(gnuSed(script).stderr).toBe('');
  });

  it.each(UNSAFE)('sed --sandbox refuses %j too (defence in depth)', (script) => {
    expect(gnuSed(script).stderr).toMatch(SANDBOX_REFUSAL);
  });
});
