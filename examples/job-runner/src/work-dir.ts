import { chmod, chown, copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunAs } from './config.js';
import type { Dataset } from './datasets.js';
import { configError } from './errors.js';

/** A fresh directory for one job, holding a copy of its dataset. */
export interface WorkDir {
  readonly path: string;
  /** The dataset's file name inside `path`, used as a relative operand. */
  readonly file: string;
  /** Deletes the directory, unless the runner keeps work directories. */
  remove(): Promise<void>;
}

/** How work directories are made. */
export interface WorkDirOptions {
  readonly runAs: RunAs | undefined;
  readonly keepWorkDirs: boolean;
}

/**
 * Creates the runner's own temporary root. Mode 0711: the job user may enter its own work
 * directory but not list the others.
 *
 * @example
 * const root = await createTempRoot(); // '/tmp/gh-job-runner-Xa3k9Q'
 */
export async function createTempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gh-job-runner-'));
  await chmod(root, 0o711);

  return root;
}

/**
 * Refuses a given temporary root the job user could not enter, at start rather than on the
 * first job.
 *
 * @example
 * await checkTempRoot('/var/tmp/jobs', { uid: 65534, gid: 65534 });
 */
export async function checkTempRoot(root: string, runAs: RunAs | undefined): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw configError('tempRoot', root, 'must be an existing directory', 'create it first');
  }
  if (runAs === undefined || (info.mode & 0o001) !== 0 || info.uid === runAs.uid) return;

  throw configError('tempRoot', root, 'must be searchable by the job user', 'chmod o+x it');
}

/**
 * Makes `root/job-XXXXXX` with the dataset copied in. When jobs run as another user the
 * directory is theirs, so a job has scratch space there and nowhere else.
 *
 * @example
 * const dir = await prepareWorkDir(root, dataset, { runAs: undefined, keepWorkDirs: false });
 * await dir.remove();
 */
export async function prepareWorkDir(
  root: string,
  dataset: Dataset,
  options: WorkDirOptions,
): Promise<WorkDir> {
  const path = await mkdtemp(join(root, 'job-'));
  const file = join(path, dataset.name);
  await copyFile(dataset.path, file);
  await chmod(file, 0o644);
  if (options.runAs) await chown(path, options.runAs.uid, options.runAs.gid);

  const remove = options.keepWorkDirs
    ? async () => {}
    : () => rm(path, { recursive: true, force: true });

  return { path, file: dataset.name, remove };
}
