import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built CLI, run the way npm's bin link runs it.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function cli(args: string[], input = '') {
  const run = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
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
