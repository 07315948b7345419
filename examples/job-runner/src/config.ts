import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DEFAULT_DATA_DIR, DEFAULT_DATASETS } from './datasets.js';
import { configError } from './errors.js';

/**
 * How process limits are applied: `prlimit` (util-linux) wraps the tool and sets CPU time,
 * file size, process count and address space; `shell` falls back to POSIX `ulimit -t`/`-f`
 * in the command prefix, which every `/bin/sh` of the family understands.
 */
export type Limiter = 'prlimit' | 'shell';

/** A numeric user and group for the job processes. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** Options of the job runner; every one has a safe default. */
export interface JobRunnerOptions {
  /** Address to listen on; defaults to `'127.0.0.1'` (loopback only without `authenticate`). */
  host?: string;
  /** TCP port; defaults to 8081. `0` picks a free port. */
  port?: number;
  /** Directory holding the dataset files; defaults to `examples/job-runner/data/`. */
  dataDir?: string;
  /** Dataset file names offered to jobs, with a description; defaults to the shipped two. */
  datasets?: Readonly<Record<string, string>>;
  /** Directory for job work directories; defaults to a fresh one under the OS temp dir. */
  tempRoot?: string;
  /** Wall-clock limit of one job in milliseconds; defaults to 5 000. */
  timeoutMs?: number;
  /** Most bytes kept from stdout and stderr together; defaults to 1 MiB. */
  maxOutputBytes?: number;
  /** Most UTF-8 bytes in a script or pattern; defaults to 4 096. */
  maxInputBytes?: number;
  /** Jobs running at once before new ones get 503; defaults to 4. */
  maxConcurrentJobs?: number;
  /** CPU seconds of one job (RLIMIT_CPU); defaults to the time limit rounded up. */
  cpuSeconds?: number;
  /** Largest file a job may write (RLIMIT_FSIZE); defaults to 1 MiB. */
  maxFileBytes?: number;
  /** Processes of the job user (RLIMIT_NPROC, `prlimit` only); defaults to 32. */
  maxProcesses?: number;
  /** Address space of one job (RLIMIT_AS, `prlimit` only); defaults to 512 MiB. */
  maxMemoryBytes?: number;
  /** How limits are applied; defaults to `'prlimit'` when it is on the PATH, else `'shell'`. */
  limiter?: Limiter;
  /** User and group of job processes; defaults to `nobody` when the runner is root. */
  runAs?: RunAs;
  /** Lets jobs run as root when the runner is root; defaults to `false`. */
  unsafeRunJobsAsRoot?: boolean;
  /** Keeps each job's work directory for inspection; defaults to `false`. */
  keepWorkDirs?: boolean;
  /** Shell that runs the command line; defaults to `'/bin/sh'`. */
  shell?: string;
}

/** Resolved options: every value present and checked. */
export interface JobRunnerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly datasets: Readonly<Record<string, string>>;
  readonly tempRoot: string | undefined;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly maxInputBytes: number;
  readonly maxConcurrentJobs: number;
  readonly cpuSeconds: number;
  readonly maxFileBytes: number;
  readonly maxProcesses: number;
  readonly maxMemoryBytes: number;
  readonly limiter: Limiter;
  readonly runAs: RunAs | undefined;
  readonly keepWorkDirs: boolean;
  readonly shell: string;
}

/** Facts about the machine that defaults depend on; injectable for tests. */
export interface HostFacts {
  readonly isRoot: boolean;
  readonly prlimitFound: boolean;
  readonly nobody: RunAs | undefined;
}

const MIB = 1024 * 1024;

/**
 * Checks options once, at start-up, and fills in defaults. A wrong option throws
 * `ERR_JOB_RUNNER_CONFIG` naming the option, the value, the rule and the fix.
 *
 * @example
 * const config = resolveConfig({ port: 0, timeoutMs: 2_000 });
 * config.host; // '127.0.0.1'
 */
export function resolveConfig(
  options: JobRunnerOptions = {},
  facts: HostFacts = hostFacts(),
): JobRunnerConfig {
  const timeoutMs = count('timeoutMs', options.timeoutMs, 5_000);
  const limiter = resolveLimiter(options.limiter, facts);

  return {
    host: text('host', options.host, '127.0.0.1'),
    port: port(options.port),
    dataDir: text('dataDir', options.dataDir, DEFAULT_DATA_DIR),
    datasets: options.datasets ?? DEFAULT_DATASETS,
    tempRoot: options.tempRoot === undefined ? undefined : text('tempRoot', options.tempRoot, ''),
    timeoutMs,
    maxOutputBytes: count('maxOutputBytes', options.maxOutputBytes, MIB),
    maxInputBytes: count('maxInputBytes', options.maxInputBytes, 4_096),
    maxConcurrentJobs: count('maxConcurrentJobs', options.maxConcurrentJobs, 4),
    cpuSeconds: count('cpuSeconds', options.cpuSeconds, Math.ceil(timeoutMs / 1_000)),
    maxFileBytes: count('maxFileBytes', options.maxFileBytes, MIB),
    maxProcesses: count('maxProcesses', options.maxProcesses, 32),
    maxMemoryBytes: count('maxMemoryBytes', options.maxMemoryBytes, 512 * MIB),
    limiter,
    runAs: resolveRunAs(options, facts),
    keepWorkDirs: options.keepWorkDirs ?? false,
    shell: text('shell', options.shell, '/bin/sh'),
  };
}

/**
 * Probes the running machine: root or not, `prlimit` on the PATH, the `nobody` user.
 *
 * @example
 * resolveConfig({}, { ...hostFacts(), prlimitFound: false }).limiter; // 'shell'
 */
export function hostFacts(): HostFacts {
  const probe = spawnSync('prlimit', ['--version'], { stdio: 'ignore' });

  return {
    isRoot: process.getuid?.() === 0,
    prlimitFound: probe.status === 0,
    nobody: findUser('nobody'),
  };
}

/**
 * Reads a user's uid and gid from `/etc/passwd`; `undefined` when absent.
 *
 * @example
 * findUser('nobody'); // { uid: 65534, gid: 65534 } on Debian
 */
export function findUser(name: string, passwd = '/etc/passwd'): RunAs | undefined {
  const lines = readFileSync(passwd, 'utf8').split('\n');
  const fields = lines.map((line) => line.split(':')).find((entry) => entry[0] === name);
  if (!fields || fields.length < 4) return undefined;

  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function resolveLimiter(value: Limiter | undefined, facts: HostFacts): Limiter {
  if (value === undefined) return facts.prlimitFound ? 'prlimit' : 'shell';
  if (value === 'shell') return value;
  if (value === 'prlimit' && facts.prlimitFound) return value;

  throw configError(
    'limiter',
    value,
    "must be 'shell', or 'prlimit' when prlimit is on the PATH",
    "install util-linux or choose 'shell'",
  );
}

// Jobs run user-written programs: as root, a single quoting bug would own the machine.
function resolveRunAs(options: JobRunnerOptions, facts: HostFacts): RunAs | undefined {
  if (options.runAs !== undefined) return checkRunAs(options.runAs, facts);
  if (!facts.isRoot || options.unsafeRunJobsAsRoot) return undefined;
  if (facts.nobody) return facts.nobody;

  throw configError(
    'runAs',
    undefined,
    'is needed when running as root and no user "nobody" exists',
    'pass { uid, gid } of an unprivileged user',
  );
}

function checkRunAs(runAs: RunAs, facts: HostFacts): RunAs {
  const valid = Number.isInteger(runAs.uid) && Number.isInteger(runAs.gid) && runAs.uid >= 0;
  if (!valid || runAs.gid < 0) {
    throw configError('runAs', JSON.stringify(runAs), 'must hold integer uid and gid', 'fix it');
  }
  if (!facts.isRoot) {
    throw configError('runAs', runAs.uid, 'needs the runner to start as root', 'drop runAs');
  }

  return runAs;
}

function count(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;

  throw configError(option, value, 'must be a positive integer', `omit it for ${fallback}`);
}

function port(value: number | undefined): number {
  if (value === undefined) return 8081;
  if (Number.isInteger(value) && value >= 0 && value <= 65_535) return value;

  throw configError('port', value, 'must be an integer from 0 to 65535', 'use 0 for any port');
}

function text(option: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && value.length > 0) return value;

  throw configError(option, value, 'must be a non-empty string', 'omit it for the default');
}
