import { ShellArgError } from '@galaxy-harden/shell-args';
import type { ErrorRequestHandler } from 'express';
import { JobRunnerError } from './errors.js';
import type { JobRunnerEventSink } from './events.js';

/** The JSON body of every refusal: `{ error: { code, message } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

interface Answer {
  readonly status: number;
  readonly body: ErrorBody;
}

const SERVER_SIDE = new Set(['ERR_JOB_RUN', 'ERR_JOB_RUNNER_CONFIG']);

/**
 * Turns errors into JSON answers that name the rule: shell-args refusals and job schema
 * errors are 400 with their stable code, a busy runner 503, anything else a 500 that hides
 * the detail from the caller.
 *
 * @example
 * app.use(errorHandler(onEvent));
 */
export function errorHandler(onEvent: JobRunnerEventSink): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);

    const answer = toAnswer(err);
    const { code } = answer.body.error;
    if (answer.status < 500) onEvent({ type: 'job.refused', code, status: answer.status });
    else onEvent({ type: 'job.failed', code });
    res.status(answer.status).json(answer.body);
  };
}

/**
 * The status and body for one error.
 *
 * @example
 * toAnswer(new JobRunnerError('ERR_JOB_DATASET', 'unknown dataset')).status; // 400
 */
export function toAnswer(err: unknown): Answer {
  if (err instanceof ShellArgError) return answer(400, err.code, err.message);
  if (err instanceof JobRunnerError) return jobRunnerAnswer(err);

  const parser = bodyParserFailure(err);
  if (parser) return parser;

  return answer(500, 'ERR_JOB_INTERNAL', 'the job runner failed; see its log');
}

function jobRunnerAnswer(err: JobRunnerError): Answer {
  if (err.code === 'ERR_JOB_BUSY') return answer(503, err.code, err.message);
  if (SERVER_SIDE.has(err.code)) return answer(500, err.code, 'the job could not be run');

  return answer(400, err.code, err.message);
}

// express.json() reports bad bodies as http-errors with `type` and a 4xx `status`.
function bodyParserFailure(err: unknown): Answer | undefined {
  if (typeof err !== 'object' || err === null) return undefined;

  const { status, type } = err as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (type === 'entity.too.large') return answer(413, 'ERR_JOB_BODY', 'the body is too large');

  return answer(status, 'ERR_JOB_BODY', 'the body must be valid JSON (application/json)');
}

function answer(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message } } };
}
