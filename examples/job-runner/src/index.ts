export { createJobRunnerApp, type JobRunnerAppOptions } from './app.js';
export {
  buildCommandLine,
  type CommandLine,
  limitsPrefix,
  type ProcessLimits,
} from './build-command.js';
export {
  findUser,
  type HostFacts,
  hostFacts,
  type JobRunnerConfig,
  type JobRunnerOptions,
  type Limiter,
  type RunAs,
  resolveConfig,
} from './config.js';
export {
  type Dataset,
  DatasetCatalog,
  type DatasetSummary,
  DEFAULT_DATA_DIR,
  DEFAULT_DATASETS,
} from './datasets.js';
export { type ErrorBody, errorHandler, toAnswer } from './error-handler.js';
export { JobRunnerError, type JobRunnerErrorCode } from './errors.js';
export type { JobRunnerEvent, JobRunnerEventSink } from './events.js';
export { JobGate } from './job-gate.js';
export {
  type GrepJob,
  type GrepOptions,
  type Job,
  type JobLimits,
  parseJob,
  type SedJob,
  type SedOptions,
} from './job-schema.js';
export { OutputCollector, type StreamName } from './output-collector.js';
export {
  type JobContext,
  type JobResult,
  type ProcessOutcome,
  runJob,
  runSandboxed,
  type SandboxRequest,
} from './run-job.js';
export {
  type RunningJobRunner,
  type StartJobRunnerOptions,
  startJobRunner,
} from './server.js';
export {
  createRunnerAuthentication,
  type RunnerAuthenticationOptions,
} from './service-auth.js';
export {
  checkTempRoot,
  createTempRoot,
  prepareWorkDir,
  type WorkDir,
  type WorkDirOptions,
} from './work-dir.js';
