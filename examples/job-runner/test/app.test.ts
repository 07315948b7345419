import { readFileSync, rmSync } from 'node:fs';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunnerApp } from '../src/app.js';
import { type JobRunnerOptions, resolveConfig } from '../src/config.js';
import { DatasetCatalog, DEFAULT_DATA_DIR, DEFAULT_DATASETS } from '../src/datasets.js';
import type { JobRunnerEvent } from '../src/events.js';
import { createTempRoot } from '../src/work-dir.js';

const catalog = new DatasetCatalog(DEFAULT_DATA_DIR, DEFAULT_DATASETS);
const tsv = readFileSync(catalog.resolve('genes.tsv').path, 'utf8');
let tempRoot: string;

beforeAll(async () => {
  tempRoot = await createTempRoot();
});
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function app(options: JobRunnerOptions = {}, authenticate?: RequestHandler) {
  const events: JobRunnerEvent[] = [];
  const onEvent = (event: JobRunnerEvent) => void events.push(event);
  const config = resolveConfig(options);
  const root = options.tempRoot ?? tempRoot;
  const built = createJobRunnerApp({ config, catalog, tempRoot: root, onEvent, authenticate });

  return { app: built, events };
}

describe('job runner app', () => {
  it('lists the datasets by name, description and size', async () => {
    const response = await request(app().app).get('/datasets');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ datasets: catalog.list() });
  });

  it('runs a grep job and answers with the result fields', async () => {
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' };
    const response = await request(app().app).post('/jobs').send(job);
    const expected = tsv.split('\n').filter((line) => line.includes('chr17'));

    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(
      ['command', 'exitCode', 'signal', 'stderr', 'stdout', 'timedOut', 'truncated'].sort(),
    );
    expect(response.body).toMatchObject({ exitCode: 0, signal: null, stderr: '' });
    expect(response.body.stdout).toBe(`${expected.join('\n')}\n`);
    expect(response.body.command).toMatch(/^grep .*-e .*chr17.* -- genes\.tsv$/);
  });

  it('applies grep options: a case-insensitive count', async () => {
    const job = {
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'CHR17',
      options: { ignoreCase: true, count: true },
    };
    const response = await request(app().app).post('/jobs').send(job);

    expect(response.body).toMatchObject({ exitCode: 0, stdout: '4\n' });
  });

  it.each([
    [{ tool: 'sed', dataset: 'genes.fasta', script: '1e touch X' }, 'ERR_SHELL_ARG_SED_UNSAFE'],
    [{ tool: 'sed', dataset: 'genes.fasta', script: 's/a/b/w X' }, 'ERR_SHELL_ARG_SED_UNSAFE'],
    [{ tool: 'grep', dataset: 'genes.tsv', pattern: 'a\u0000b' }, 'ERR_SHELL_ARG_NUL'],
    [{ tool: 'grep', dataset: 'genes.tsv', pattern: '\ud800' }, 'ERR_SHELL_ARG_ENCODING'],
    [{ tool: 'grep', dataset: '../../etc/passwd', pattern: 'root' }, 'ERR_JOB_DATASET'],
    [{ tool: 'grep', dataset: 'genes.tsv', pattern: 'a', cmd: 'id' }, 'ERR_JOB_FIELD_UNKNOWN'],
  ])('refuses %j with 400 naming the rule, and reports it', async (job, code) => {
    const { app: built, events } = app();
    const response = await request(built).post('/jobs').send(job);

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(events).toEqual([{ type: 'job.refused', code, status: 400 }]);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    const built = app().app;
    const broken = await request(built).post('/jobs').type('json').send('{"tool":');
    const form = await request(built).post('/jobs').type('form').send('tool=sed');

    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('ERR_JOB_BODY');
    expect(form.status).toBe(400);
    expect(form.body.error).toEqual({
      code: 'ERR_JOB_BODY',
      message: 'the job must be a JSON object (send Content-Type: application/json)',
    });
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'a'.repeat(17_000) };
    const response = await request(app().app).post('/jobs').send(job);

    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('ERR_JOB_BODY');
  });

  it('reports a job killed by the time limit', async () => {
    const { app: built, events } = app({ timeoutMs: 200, cpuSeconds: 60 });
    const job = { tool: 'sed', dataset: 'genes.fasta', script: ':a;ba' };
    const response = await request(built).post('/jobs').send(job);

    expect(response.body).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(events).toEqual([
      { type: 'job.limited', tool: 'sed', timedOut: true, truncated: false },
    ]);
  });

  it('answers a server-side failure with 500 and no detail', async () => {
    const missingRoot = `${tempRoot}/does-not-exist`;
    const { app: built, events } = app({ tempRoot: missingRoot });
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'a' };
    const response = await request(built).post('/jobs').send(job);

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'ERR_JOB_INTERNAL', message: 'the job runner failed; see its log' },
    });
    expect(JSON.stringify(response.body)).not.toContain(missingRoot);
    expect(events).toEqual([{ type: 'job.failed', code: 'ERR_JOB_INTERNAL' }]);
  });

  it('runs the authenticate seam before any route, so it can refuse a job unread', async () => {
    const authenticate: RequestHandler = (req, res, next) => {
      if (req.get('authorization') === 'Bearer test') return next();
      res.status(401).json({ error: { code: 'ERR_TEST_UNAUTHENTICATED', message: 'no' } });
    };
    const { app: built } = app({}, authenticate);
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr1' };
    const refused = await request(built).post('/jobs').send(job);
    const listed = await request(built).get('/datasets');
    const accepted = await request(built)
      .post('/jobs')
      .set('authorization', 'Bearer test')
      .send(job);

    expect(refused.status).toBe(401);
    expect(listed.status).toBe(401);
    expect(accepted.status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(app().app).get('/jobs');

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ERR_JOB_NOT_FOUND');
  });
});
