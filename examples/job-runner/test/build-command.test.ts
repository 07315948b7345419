import { ShellArgError } from '@galaxy-harden/shell-args';
import { describe, expect, it } from 'vitest';
import { buildCommandLine, limitsPrefix, type ProcessLimits } from '../src/build-command.js';
import type { GrepJob, SedJob } from '../src/job-schema.js';

const limits: ProcessLimits = {
  limiter: 'prlimit',
  cpuSeconds: 5,
  maxFileBytes: 1_048_576,
  maxProcesses: 32,
  maxMemoryBytes: 536_870_912,
};
const noGrepFlags = {
  ignoreCase: false,
  invert: false,
  count: false,
  fixedStrings: false,
  extendedRegex: false,
  lineNumbers: false,
};

function sed(script: string, quiet = false): SedJob {
  return { tool: 'sed', dataset: 'genes.fasta', script, options: { quiet, extendedRegex: false } };
}

function grep(pattern: string, options: Partial<GrepJob['options']> = {}): GrepJob {
  return { tool: 'grep', dataset: 'genes.tsv', pattern, options: { ...noGrepFlags, ...options } };
}

describe('buildCommandLine', () => {
  it('runs sed in its sandbox with the script as one word and -- before the file', () => {
    const line = buildCommandLine(sed('s/ATG/atg/g'), 'genes.fasta', limits);

    expect(line.command).toBe('sed --sandbox -e s/ATG/atg/g -- genes.fasta');
    expect(line.shellLine).toBe(
      'exec prlimit --cpu=5 --fsize=1048576 --nproc=32 --as=536870912 -- ' +
        'sed --sandbox -e s/ATG/atg/g -- genes.fasta',
    );
  });

  it('passes sed -n as an option, never as part of the script', () => {
    const line = buildCommandLine(sed('/^>/p', true), 'genes.fasta', limits);

    expect(line.command).toBe("sed --sandbox -n -e '/^>/p' -- genes.fasta");
  });

  it('quotes shell syntax in a sed script into one literal word', () => {
    const line = buildCommandLine(sed("s/A/$(id)'`id`/"), 'genes.fasta', limits);

    expect(line.command).toBe("sed --sandbox -e 's/A/$(id)'\\''`id`/' -- genes.fasta");
  });

  it('puts a grep pattern after -e, so --help or -f stay patterns', () => {
    expect(buildCommandLine(grep('--help'), 'genes.tsv', limits).command).toBe(
      'grep -e --help -- genes.tsv',
    );
    expect(buildCommandLine(grep('-f /etc/passwd'), 'genes.tsv', limits).command).toBe(
      "grep -e '-f /etc/passwd' -- genes.tsv",
    );
  });

  it('turns grep options into flags before -e', () => {
    const job = grep('chr1[37]', { ignoreCase: true, count: true, lineNumbers: true });

    expect(buildCommandLine(job, 'genes.tsv', limits).command).toBe(
      "grep -i -c -n -e 'chr1[37]' -- genes.tsv",
    );
  });

  it.each([
    ['1e touch X', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['s/.*/id/e', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['w ../X', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['s/a/b/w X', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['r /etc/passwd', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['-i', 'ERR_SHELL_ARG_SED_UNSAFE'],
    ['s/a/b/\u0000', 'ERR_SHELL_ARG_NUL'],
  ])('refuses the sed script %j with a ShellArgError', (script, code) => {
    const build = () => buildCommandLine(sed(script), 'genes.fasta', limits);

    expect(build).toThrow(ShellArgError);
    expect(build).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a grep pattern holding a lone surrogate instead of altering it', () => {
    expect(() => buildCommandLine(grep('a\ud800'), 'genes.tsv', limits)).toThrow(
      expect.objectContaining({ code: 'ERR_SHELL_ARG_ENCODING' }),
    );
  });
});

describe('limitsPrefix', () => {
  it('limits with prlimit, then execs the tool', () => {
    expect(limitsPrefix(limits)).toBe(
      'exec prlimit --cpu=5 --fsize=1048576 --nproc=32 --as=536870912 --',
    );
  });

  it('falls back to POSIX ulimit, counting file size in 512-byte blocks (rounded up)', () => {
    const prefix = limitsPrefix({ ...limits, limiter: 'shell', maxFileBytes: 1_000 });

    expect(prefix).toBe('ulimit -t 5; ulimit -f 2; exec');
  });
});
