import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/redis-server.js';
import { DEFAULT_DATA_DIR } from '../../job-runner/src/datasets.js';
import { type RunningJobRunner, startJobRunner } from '../../job-runner/src/server.js';
import { createGatewayApp } from '../src/app.js';
import { resolveGatewayConfig } from '../src/config.js';
import type { SecurityEvent } from '../src/events.js';

let runner: RunningJobRunner;

beforeAll(async () => {
  runner = await startJobRunner({ port: 0 });
});
afterAll(() => runner.close());

function gateway(jobRunnerUrl = runner.url) {
  const events: SecurityEvent[] = [];
  const config = resolveGatewayConfig({ jobRunnerUrl, jobRunnerTimeoutMs: 10_000 });
  const app = createGatewayApp({ config, onEvent: (event) => void events.push(event) });

  return { app, events };
}

describe('gateway app', () => {
  it('relays the job runner’s dataset list', async () => {
    const response = await request(gateway().app).get('/api/datasets');

    expect(response.status).toBe(200);
    expect(response.body.datasets.map((d: { name: string }) => d.name)).toEqual([
      'genes.fasta',
      'genes.tsv',
    ]);
  });

  it('forwards a grep job and relays the result', async () => {
    const tsv = readFileSync(`${DEFAULT_DATA_DIR}/genes.tsv`, 'utf8');
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: '\t-$', options: { count: true } };
    const response = await request(gateway().app).post('/api/jobs').send(job);
    const minus = tsv.split('\n').filter((line) => line.endsWith('\t-')).length;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ exitCode: 0, stdout: `${minus}\n`, timedOut: false });
  });

  it('relays a refusal with its status and code, and logs it as a security event', async () => {
    const { app, events } = gateway();
    const job = { tool: 'sed', dataset: 'genes.fasta', script: 'w ../X' };
    const response = await request(app).post('/api/jobs').send(job);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(events).toEqual([
      { type: 'job.refused', status: 400, code: 'ERR_SHELL_ARG_SED_UNSAFE' },
    ]);
  });

  it('lets the job runner refuse a body that is not JSON', async () => {
    const response = await request(gateway().app).post('/api/jobs').type('text').send('s/a/b/');

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ERR_JOB_BODY');
  });

  it('refuses a body over 16 KiB itself', async () => {
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'a'.repeat(17_000) };
    const response = await request(gateway().app).post('/api/jobs').send(job);

    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('ERR_GATEWAY_BODY');
  });

  it('answers 502 when the job runner is down, and reports it', async () => {
    const { app, events } = gateway(`http://127.0.0.1:${await freePort()}`);
    const response = await request(app).post('/api/jobs').send({ tool: 'grep' });

    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('ERR_GATEWAY_UPSTREAM');
    expect(events).toEqual([{ type: 'gateway.error', code: 'ERR_GATEWAY_UPSTREAM', status: 502 }]);
  });

  it('serves the page and answers unknown routes with a JSON 404', async () => {
    const { app } = gateway();

    expect((await request(app).get('/')).text).toContain('<form id="job-form">');
    expect((await request(app).get('/admin')).body.error.code).toBe('ERR_GATEWAY_NOT_FOUND');
  });
});
