import { type ChildProcess, spawn } from 'node:child_process';
import { buildCommandLine } from './build-command.js';
import type { JobRunnerConfig, RunAs } from './config.js';
import type { DatasetCatalog } from './datasets.js';
import { JobRunnerError } from './errors.js';
import type { Job } from './job-schema.js';
import { OutputCollector } from './output-collector.js';
import { prepareWorkDir } from './work-dir.js';

/** One sandboxed shell run. */
export interface SandboxRequest {
  /** The line given to `shell -c`. */
  readonly shellLine: string;
  readonly cwd: string;
  readonly shell: string;
  readonly runAs: RunAs | undefined;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

/** How a sandboxed run ended. */
export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Output went past `maxOutputBytes`: the rest was dropped and the job killed. */
  readonly truncated: boolean;
  /** The time limit passed and the job's process group was killed. */
  readonly timedOut: boolean;
}

/** The answer to a job: how it ended, and the command it ran. */
export interface JobResult extends ProcessOutcome {
  readonly command: string;
}

/** What {@link runJob} needs from the running service. */
export interface JobContext {
  readonly config: JobRunnerConfig;
  readonly catalog: DatasetCatalog;
  readonly tempRoot: string;
}

/**
 * Runs a checked job: resolves its dataset, builds the command (refusals throw before any
 * directory is made), copies the dataset into a fresh work directory and runs the line there.
 *
 * @example
 * const result = await runJob(job, { config, catalog, tempRoot });
 * result.stdout;
 */
export async function runJob(job: Job, context: JobContext): Promise<JobResult> {
  const { config, catalog, tempRoot } = context;
  const dataset = catalog.resolve(job.dataset);
  const line = buildCommandLine(job, dataset.name, config);
  const workDir = await prepareWorkDir(tempRoot, dataset, config);

  try {
    const outcome = await runSandboxed({ ...config, shellLine: line.shellLine, cwd: workDir.path });
    return { ...outcome, command: line.command };
  } finally {
    await workDir.remove();
  }
}

/**
 * Runs `shell -c line` as the job user, in its own process group, with stdin closed and a
 * minimal environment. Kills the whole group on timeout, when output passes the cap, and
 * once the shell exits (so nothing it left in the background lives on).
 *
 * @example
 * await runSandboxed({ shellLine: 'exec sed --sandbox -e p -- f', cwd, shell: '/bin/sh',
 *   runAs: undefined, timeoutMs: 1000, maxOutputBytes: 65536 });
 */
export function runSandboxed(request: SandboxRequest): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawnShell(request);
    const output = new OutputCollector(request.maxOutputBytes, () => killGroup(child));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, request.timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => output.add('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.add('stderr', chunk));
    child.once('exit', () => killGroup(child));
    child.once('error', (cause) => {
      clearTimeout(timer);
      reject(new JobRunnerError('ERR_JOB_RUN', `could not start ${request.shell}`, { cause }));
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, ...output.result(), timedOut });
    });
  });
}

function spawnShell(request: SandboxRequest): ChildProcess {
  return spawn(request.shell, ['-c', request.shellLine], {
    cwd: request.cwd,
    // The runner's environment may hold keys and tokens: jobs get only what tools need.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', HOME: request.cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    uid: request.runAs?.uid,
    gid: request.runAs?.gid,
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;

  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone, which is the goal.
  }
}
