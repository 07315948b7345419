/** Stable codes of {@link JobRunnerError}. */
export type JobRunnerErrorCode =
  | 'ERR_JOB_RUNNER_CONFIG'
  | 'ERR_JOB_BODY'
  | 'ERR_JOB_TOOL'
  | 'ERR_JOB_FIELD_UNKNOWN'
  | 'ERR_JOB_FIELD_MISSING'
  | 'ERR_JOB_FIELD_TYPE'
  | 'ERR_JOB_FIELD_TOO_LONG'
  | 'ERR_JOB_DATASET'
  | 'ERR_JOB_BUSY'
  | 'ERR_JOB_RUN';

/**
 * The one error class of the job runner; `code` is stable and `cause` is kept.
 *
 * @example
 * throw new JobRunnerError('ERR_JOB_DATASET', 'unknown dataset: use GET /datasets');
 */
export class JobRunnerError extends Error {
  readonly code: JobRunnerErrorCode;

  constructor(code: JobRunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobRunnerError';
    this.code = code;
  }
}

/**
 * Builds a configuration error naming the package, the option, the value, the rule and the fix.
 *
 * @example
 * throw configError('port', -1, 'must be an integer from 0 to 65535', 'use 0 for any port');
 */
export function configError(
  option: string,
  value: unknown,
  rule: string,
  fix: string,
): JobRunnerError {
  return new JobRunnerError(
    'ERR_JOB_RUNNER_CONFIG',
    `@galaxy-harden-examples/job-runner: option ${option} ${rule}, got ${describe(value)}; ${fix}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);

  return String(value);
}
