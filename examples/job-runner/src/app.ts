import express, { type Express, type RequestHandler } from 'express';
import type { JobRunnerConfig } from './config.js';
import type { DatasetCatalog } from './datasets.js';
import { errorHandler } from './error-handler.js';
import type { JobRunnerEventSink } from './events.js';
import { JobGate } from './job-gate.js';
import { parseJob } from './job-schema.js';
import { type JobContext, runJob } from './run-job.js';

/** What the app factory needs. */
export interface JobRunnerAppOptions {
  readonly config: JobRunnerConfig;
  readonly catalog: DatasetCatalog;
  /** The directory work directories are made in; it must exist. */
  readonly tempRoot: string;
  /**
   * Runs before every route. This is where `@galaxy-harden/service-auth` plugs in its
   * verifier of signed internal calls; without it the runner must stay on loopback.
   */
  readonly authenticate?: RequestHandler;
  /** Receives refusals and limit hits; defaults to dropping them. */
  readonly onEvent?: JobRunnerEventSink;
}

/**
 * The job runner's Express 5 app: `GET /datasets` and `POST /jobs`.
 *
 * @example
 * const app = createJobRunnerApp({ config: resolveConfig(), catalog, tempRoot });
 * app.listen(8081, '127.0.0.1');
 */
export function createJobRunnerApp(options: JobRunnerAppOptions): Express {
  const onEvent = options.onEvent ?? (() => {});
  const app = express();
  app.disable('x-powered-by');

  // Seam: signed internal calls. Authentication goes before any route reads the body.
  if (options.authenticate) app.use(options.authenticate);

  app.get('/datasets', (_req, res) => {
    res.json({ datasets: options.catalog.list() });
  });
  app.post('/jobs', express.json({ limit: '16kb' }), jobsHandler(options, onEvent));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'ERR_JOB_NOT_FOUND', message: 'no such route' } });
  });
  app.use(errorHandler(onEvent));

  return app;
}

function jobsHandler(options: JobRunnerAppOptions, onEvent: JobRunnerEventSink): RequestHandler {
  const context: JobContext = options;
  const gate = new JobGate(options.config.maxConcurrentJobs);

  return async (req, res) => {
    const job = parseJob(req.body, options.config);
    const leave = gate.enter();

    try {
      const result = await runJob(job, context);
      if (result.timedOut || result.truncated) {
        const { timedOut, truncated } = result;
        onEvent({ type: 'job.limited', tool: job.tool, timedOut, truncated });
      }
      res.json(result);
    } finally {
      leave();
    }
  };
}
