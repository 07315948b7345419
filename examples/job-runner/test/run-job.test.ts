import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitsPrefix } from '../src/build-command.js';
import { type JobRunnerOptions, resolveConfig } from '../src/config.js';
import { DatasetCatalog, DEFAULT_DATA_DIR, DEFAULT_DATASETS } from '../src/datasets.js';
import type { Job } from '../src/job-schema.js';
import { runJob, runSandboxed } from '../src/run-job.js';
import { createTempRoot, prepareWorkDir, type WorkDir } from '../src/work-dir.js';

const catalog = new DatasetCatalog(DEFAULT_DATA_DIR, DEFAULT_DATASETS);
const fasta = catalog.resolve('genes.fasta');
const isRoot = process.getuid?.() === 0;
const sedOptions = { quiet: false, extendedRegex: false };
let tempRoot: string;

beforeAll(async () => {
  tempRoot = await createTempRoot();
});
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function sedJob(script: string): Job {
  return { tool: 'sed', dataset: 'genes.fasta', script, options: sedOptions };
}

function context(options: JobRunnerOptions) {
  return { config: resolveConfig(options), catalog, tempRoot };
}

/** Runs a raw line (no user input involved) in a fresh work directory holding the FASTA. */
async function sandbox(line: string, options: JobRunnerOptions = {}) {
  const config = resolveConfig({ timeoutMs: 10_000, ...options });
  const workDir = await prepareWorkDir(tempRoot, fasta, { ...config, keepWorkDirs: true });
  const outcome = await runSandboxed({ ...config, shellLine: line, cwd: workDir.path });

  return { outcome, workDir };
}

function removeAll(...dirs: WorkDir[]) {
  for (const dir of dirs) rmSync(dir.path, { recursive: true, force: true });
}

describe('runJob', () => {
  it('runs a sed job over a copy of the dataset and removes its work directory', async () => {
    const result = await runJob(sedJob('s/ATG/atg/g'), context({}));
    const expected = readFileSync(fasta.path, 'utf8').replaceAll('ATG', 'atg');

    expect(result).toMatchObject({ exitCode: 0, signal: null, stderr: '', timedOut: false });
    expect(result.stdout).toBe(expected);
    expect(result.truncated).toBe(false);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('kills the process group when the time limit passes (sed branching forever)', async () => {
    // `:a;ba` jumps back to label a without end: a legitimate script only the limit stops.
    const result = await runJob(sedJob(':a;ba'), context({ timeoutMs: 300, cpuSeconds: 60 }));

    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
  });

  it('stops reading and kills the job when output passes the cap', async () => {
    const options = { maxOutputBytes: 4_096, timeoutMs: 20_000 };
    const result = await runJob(sedJob(':a;p;ba'), context(options));

    expect(result).toMatchObject({ truncated: true, timedOut: false, signal: 'SIGKILL' });
    expect(Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr)).toBe(4_096);
    expect(result.stdout.startsWith('>seq1 synthetic exon fragment, 180 bp\n')).toBe(true);
  });

  it('refuses a sed program that runs commands before making any directory', async () => {
    await expect(runJob(sedJob('1e touch X'), context({}))).rejects.toMatchObject({
      code: 'ERR_SHELL_ARG_SED_UNSAFE',
    });
    expect(readdirSync(tempRoot)).toEqual([]);
  });
});

describe('runSandboxed', () => {
  it.runIf(isRoot)('runs jobs as nobody, without supplementary groups, when root', async () => {
    const { outcome, workDir } = await sandbox('id -u; id -G');
    removeAll(workDir);

    expect(outcome.stdout).toBe('65534\n65534\n');
  });

  it('gives the job user a writable work directory (so e2e file checks bite)', async () => {
    const { outcome, workDir } = await sandbox('touch made-by-job');
    const made = statSync(join(workDir.path, 'made-by-job'), { throwIfNoEntry: false });
    removeAll(workDir);

    expect(outcome.exitCode).toBe(0);
    expect(made?.isFile()).toBe(true);
  });

  it('passes no variable of the runner’s environment to the job', async () => {
    process.env.GH_SECRET_PROBE = 'must-not-leak';
    const { outcome, workDir } = await sandbox('env');
    delete process.env.GH_SECRET_PROBE;
    removeAll(workDir);
    const names = outcome.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=')[0]);

    expect(outcome.stdout).not.toContain('must-not-leak');
    expect(names.filter((name) => !['PWD', 'PATH', 'LC_ALL', 'HOME'].includes(name ?? ''))).toEqual(
      [],
    );
  });

  it('closes stdin, so a tool waiting for input ends at once', async () => {
    const { outcome, workDir } = await sandbox('cat; echo done');
    removeAll(workDir);

    expect(outcome).toMatchObject({ stdout: 'done\n', exitCode: 0, timedOut: false });
  });

  it('kills what the shell left running in the background when it exits', async () => {
    const { outcome, workDir } = await sandbox('sleep 30 & echo $!');
    removeAll(workDir);
    const pid = outcome.stdout.trim();
    const stat = statSync(`/proc/${pid}`, { throwIfNoEntry: false });
    const state = stat ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';

    expect(outcome.timedOut).toBe(false);
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('rejects with ERR_JOB_RUN when the shell cannot start', async () => {
    await expect(sandbox('true', { shell: '/nonexistent/sh' })).rejects.toMatchObject({
      code: 'ERR_JOB_RUN',
      message: 'could not start /nonexistent/sh',
    });
  });
});

describe('process limits', () => {
  const limiters = (['shell', 'prlimit'] as const).filter(
    (limiter) => limiter === 'shell' || resolveConfig().limiter === 'prlimit',
  );

  it.each(limiters)('caps the size of a file the job writes (%s)', async (limiter) => {
    const config = resolveConfig({ limiter, maxFileBytes: 1_024 });
    const line = `${limitsPrefix(config)} head -c 4096 /dev/zero > big`;
    const { outcome, workDir } = await sandbox(line, { limiter });
    const size = statSync(join(workDir.path, 'big')).size;
    removeAll(workDir);

    expect(size).toBe(1_024);
    expect(outcome.signal).toBe('SIGXFSZ');
  });

  it.each(limiters)('caps CPU seconds, not only wall time (%s)', async (limiter) => {
    const config = resolveConfig({ limiter, cpuSeconds: 1 });
    const line = `${limitsPrefix(config)} sed -e ':a;ba' -- genes.fasta`;
    const { outcome, workDir } = await sandbox(line, { limiter, timeoutMs: 30_000 });
    removeAll(workDir);

    expect(outcome.timedOut).toBe(false);
    expect(['SIGKILL', 'SIGXCPU']).toContain(outcome.signal);
  });

  it.runIf(isRoot && resolveConfig().limiter === 'prlimit')(
    'caps the processes of the job user (prlimit --nproc)',
    async () => {
      const config = resolveConfig({ maxProcesses: 1 });
      const line = `${limitsPrefix(config)} sh -c 'sh -c true || echo refused'`;
      const { outcome, workDir } = await sandbox(line);
      removeAll(workDir);

      expect(outcome.stdout + outcome.stderr).toMatch(/refused|fork|Resource temporarily/);
    },
  );
});
