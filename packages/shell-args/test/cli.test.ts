import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sanitizeGalaxy } from '../src/index.js';

// The built CLI, run the way npm's bin link runs it.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function cli(args: string[], input = '') {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('galaxy-shell-args', () => {
  it('starts with a node shebang', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('quotes its arguments as shell words', () => {
    expect(cli(['quote', 'a b', '', 'x', "it's"])).toEqual({
      status: 0,
      stdout: "'a b' '' x 'it'\\''s'\n",
      stderr: '',
    });
  });

  it('quotes values that start with a dash after --', () => {
    expect(cli(['quote', '--', '-rf', '--']).stdout).toBe('-rf --\n');
  });

  it('sanitizes stdin line by line like Galaxy', () => {
    const run = cli(['sanitize'], "AC[TG]\nc1=='chr22'\n100.00%");
    expect(run).toEqual({
      status: 0,
      stdout: 'AC__ob__TG__cb__\nc1==__sq__chr22__sq__\n100.00X',
      stderr: '',
    });
  });

  it('sanitizes with a preset, no mapping and a dropped invalid character', () => {
    const run = cli(
      ['sanitize', '--preset', 'string.digits', '--mapping', 'none', '--invalid-char', ''],
      'a1[2]\n',
    );
    expect(run.stdout).toBe('12\n');
  });

  it('passes checks and exits 0', () => {
    expect(cli(['check', 'reads.fa', 'a b'])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(cli(['check', '--allow-leading-dash', '--', '-x']).status).toBe(0);
    expect(cli(['check', '--sed-script', 's/a/b/g', '1d']).status).toBe(0);
  });

  it('reports failed checks on stderr and exits 1', () => {
    const run = cli(['check', '--', 'ok', '-rf', '--help']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.match(/ERR_SHELL_ARG_LEADING_DASH/g)).toHaveLength(2);
    expect(run.stderr).toMatch(/value "-rf" starts with "-"/);
  });

  it('reports unsafe sed scripts, -n included', () => {
    const run = cli(['check', '--sed-script', '--', '1e touch x', '-n', 's/a/b/']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /ERR_SHELL_ARG_SED_UNSAFE: sed script .*'e' command runs a shell command/,
    );
    expect(run.stderr).toMatch(/starts with "-"/);
  });

  it('prints help and exits 0', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: galaxy-shell-args <command>/);
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command frobnicate/],
    [['quote'], /quote needs at least one value/],
    [['quote', '-rf'], /Unknown option '-r'/],
    [['check'], /check needs at least one value/],
    [['sanitize', 'x'], /takes no values/],
    [['sanitize', '--preset', 'string.nope'], /unknown preset "string\.nope"/],
    [['sanitize', '--invalid-char'], /argument missing|requires an argument|--invalid-char/],
  ])('exits 2 with usage on %j', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: galaxy-shell-args/);
  });
});

// Bug class: the CLI changed values it was given. Node turns argument bytes that are not
// UTF-8 into U+FFFD, so `quote` printed a word with other bytes than the file name.
describe('galaxy-shell-args quote with arguments that are not UTF-8', () => {
  it('refuses a Latin-1 byte instead of quoting U+FFFD in its place', () => {
    const script = `"$0" "$1" quote ok "$(printf 'caf\\351')"`;
    const run = spawnSync('/bin/sh', ['-c', script, process.execPath, CLI], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'galaxy-shell-args: ERR_SHELL_ARG_ENCODING: quote: values[1] contains U+FFFD, which ' +
        'Node puts in place of argument bytes that are not valid UTF-8, so the original bytes ' +
        'cannot be quoted: pass UTF-8 values\n',
    );
  });
});

// Bug class: `sanitize` re-split the whole pending line on every chunk read (quadratic in a
// long line) and wrote each line separately. Lines spanning many chunks must come out whole.
describe('galaxy-shell-args sanitize over many chunks', () => {
  it('sanitizes a line longer than many reads, and many short lines, exactly', () => {
    const long = 'é<a%'.repeat(300_000);
    const input = `${long}\n${'x#\n'.repeat(50_000)}tail[`;
    const run = cli(['sanitize'], input);
    expect(run.status).toBe(0);
    const expected = input
      .split('\n')
      .map((line) => sanitizeGalaxy(line).value)
      .join('\n');
    expect(run.stdout.length).toBe(expected.length);
    expect(run.stdout === expected).toBe(true);
  });

  it('streams a line that never ends, and stops quietly when the reader goes away', async () => {
    const zero = openSync('/dev/zero', 'r');
    const child = spawn(process.execPath, [CLI, 'sanitize'], { stdio: [zero, 'pipe', 'pipe'] });
    closeSync(zero);
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const first = await new Promise<Buffer>((resolve) => child.stdout!.once('data', resolve));
    child.stdout!.destroy();
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(first.toString()).toMatch(/^X+$/);
    expect(status).toBe(0);
    expect(stderr).toBe('');
  });
});
