import { checkSedScript, grepCommand, sedCommand, sh } from '@galaxy-harden/shell-args';
import type { JobRunnerConfig } from './config.js';
import type { GrepJob, Job, SedJob } from './job-schema.js';

/** The two forms of a job's command line. */
export interface CommandLine {
  /** The tool command built from the user's input, shown back for transparency. */
  readonly command: string;
  /** What `/bin/sh -c` runs: the limits prefix, then `exec` of the tool command. */
  readonly shellLine: string;
}

/** The limits a command prefix sets; a subset of the runner's configuration. */
export type ProcessLimits = Pick<
  JobRunnerConfig,
  'limiter' | 'cpuSeconds' | 'maxFileBytes' | 'maxProcesses' | 'maxMemoryBytes'
>;

/**
 * Builds the command line of a checked job over one file in the work directory. Every user
 * value goes through `@galaxy-harden/shell-args`, which quotes it into one word, puts `--`
 * before the file, runs sed with `--sandbox` and refuses sed programs that run commands or
 * touch other files. Throws its `ShellArgError` when a value is refused.
 *
 * @example
 * buildCommandLine(job, 'genes.fasta', limits).command;
 * // "sed --sandbox -e 's/ATG/atg/g' -- genes.fasta"
 */
export function buildCommandLine(job: Job, file: string, limits: ProcessLimits): CommandLine {
  const command = job.tool === 'sed' ? sedLine(job, file) : grepLine(job, file);

  return { command, shellLine: `${limitsPrefix(limits)} ${command}` };
}

/**
 * The prefix that limits the job's process before it becomes the tool: `exec prlimit … --`,
 * or POSIX `ulimit` lines ending in `exec`. `exec` keeps one process, in the group the
 * runner kills on timeout.
 *
 * @example
 * limitsPrefix({ limiter: 'shell', cpuSeconds: 5, maxFileBytes: 1024, maxProcesses: 8,
 *   maxMemoryBytes: 1 << 29 }); // 'ulimit -t 5; ulimit -f 2; exec'
 */
export function limitsPrefix(limits: ProcessLimits): string {
  if (limits.limiter === 'prlimit') {
    const { cpuSeconds, maxFileBytes, maxProcesses, maxMemoryBytes } = limits;

    const time = sh`--cpu=${cpuSeconds} --fsize=${maxFileBytes}`;
    const space = sh`--nproc=${maxProcesses} --as=${maxMemoryBytes}`;

    return `exec prlimit ${time} ${space} --`;
  }

  // POSIX counts `ulimit -f` in 512-byte blocks (dash and busybox do; bash only in POSIX mode).
  const blocks = Math.ceil(limits.maxFileBytes / 512);

  return sh`ulimit -t ${limits.cpuSeconds}; ulimit -f ${blocks}; exec`;
}

function sedLine(job: SedJob, file: string): string {
  // sedCommand checks too; calling the guard first keeps the refusal independent of it.
  checkSedScript(job.script);

  return sedCommand({
    script: job.script,
    files: [file],
    quiet: job.options.quiet,
    extendedRegex: job.options.extendedRegex,
  });
}

function grepLine(job: GrepJob, file: string): string {
  return grepCommand({ pattern: job.pattern, files: [file], ...job.options });
}
