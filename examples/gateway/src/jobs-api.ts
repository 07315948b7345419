import express, { type Response, Router } from 'express';
import type { EventSink } from './events.js';
import type { JobClient, Relay } from './job-client.js';

/**
 * `GET /api/datasets` and `POST /api/jobs`: the browser's JSON API. Jobs are checked where
 * they run, by the job runner; the gateway relays its status and JSON unchanged, and
 * reports refusals (a hostile script or pattern is worth an audit line).
 *
 * @example
 * app.use(jobsApi(createJobClient({ baseUrl, timeoutMs: 15_000 }), jsonLineSink()));
 */
export function jobsApi(client: JobClient, onEvent: EventSink): Router {
  const router = Router();

  router.get('/api/datasets', async (_req, res) => {
    relay(res, await client.listDatasets());
  });
  router.post('/api/jobs', express.json({ limit: '16kb' }), async (req, res) => {
    const answer = await client.submitJob(req.body);
    reportRefusal(answer, onEvent);
    relay(res, answer);
  });

  return router;
}

function relay(res: Response, answer: Relay): void {
  res.status(answer.status).json(answer.body);
}

function reportRefusal(answer: Relay, onEvent: EventSink): void {
  if (answer.status < 400 || answer.status >= 500) return;

  onEvent({ type: 'job.refused', status: answer.status, code: errorCode(answer.body) });
}

function errorCode(body: unknown): string {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;

  return typeof code === 'string' ? code.slice(0, 64) : 'unknown';
}
