import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAt, secretOfUri } from '../../../test/mfa/support/login-flow.js';
import { freePort } from '../../../test/support/redis-server.js';
import { DEFAULT_DATA_DIR } from '../../job-runner/src/datasets.js';
import { type RunningJobRunner, startJobRunner } from '../../job-runner/src/server.js';
import { createGatewayApp } from '../src/app.js';
import { resolveGatewayConfig } from '../src/config.js';
import type { SecurityEvent } from '../src/events.js';
import { gatewayLogin } from '../src/login.js';
import { gatewayMfa } from '../src/mfa.js';

// The demo user of examples/gateway/data/users.json, and a clock the tests own.
const ana = { username: 'ana', password: 'ana-galaxy-demo' };
const now = () => 1_800_000_000_000;

let runner: RunningJobRunner;

beforeAll(async () => {
  runner = await startJobRunner({ port: 0 });
});
afterAll(() => runner.close());

function gateway(jobRunnerUrl = runner.url) {
  const events: SecurityEvent[] = [];
  const onEvent = (event: SecurityEvent) => void events.push(event);
  const config = resolveGatewayConfig({ jobRunnerUrl, jobRunnerTimeoutMs: 10_000 });
  const login = gatewayLogin({ onEvent, now });
  const mfa = gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, now });
  const app = createGatewayApp({ config, onEvent, login, mfa });
  // Only what the job API reported: login and second-factor events are not its concern.
  const jobEvents = () => events.filter((e) => /^(job|gateway)\./.test(e.type));

  return { app, events: jobEvents };
}

/** A session past both factors: ana logs in and enrols from the otpauth URI she is given. */
async function signedIn(app: ReturnType<typeof gateway>['app']) {
  const agent = request.agent(app);
  expect((await agent.post('/api/login').send(ana)).status).toBe(200);
  const started = await agent.post('/mfa/api/enrolment');
  const code = codeAt(secretOfUri(String(started.body.uri)), now());
  expect((await agent.post('/mfa/api/enrolment/confirm').send({ code })).status).toBe(200);

  return agent;
}

describe('gateway app', () => {
  it('refuses the job API to a password-only session, before and after enrolment', async () => {
    const { app } = gateway();
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' };
    const anonymous = await request(app).post('/api/jobs').send(job);
    const passwordOnly = request.agent(app);
    await passwordOnly.post('/api/login').send(ana);
    const beforeEnrolment = await passwordOnly.post('/api/jobs').send(job);
    await signedIn(app);
    const again = request.agent(app);
    await again.post('/api/login').send(ana);
    const afterEnrolment = await again.post('/api/jobs').send(job);

    expect([anonymous.status, anonymous.body]).toEqual([401, { error: 'login_required' }]);
    expect(beforeEnrolment.status).toBe(403);
    expect(beforeEnrolment.body).toEqual({ error: 'mfa_enrolment_required' });
    expect([afterEnrolment.status, afterEnrolment.body]).toEqual([401, { error: 'mfa_required' }]);
  });

  it('relays the job runner’s dataset list', async () => {
    const agent = await signedIn(gateway().app);
    const response = await agent.get('/api/datasets');

    expect(response.status).toBe(200);
    expect(response.body.datasets.map((d: { name: string }) => d.name)).toEqual([
      'genes.fasta',
      'genes.tsv',
    ]);
  });

  it('forwards a grep job and relays the result', async () => {
    const tsv = readFileSync(`${DEFAULT_DATA_DIR}/genes.tsv`, 'utf8');
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: '\t-$', options: { count: true } };
    const agent = await signedIn(gateway().app);
    const response = await agent.post('/api/jobs').send(job);
    const minus = tsv.split('\n').filter((line) => line.endsWith('\t-')).length;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ exitCode: 0, stdout: `${minus}\n`, timedOut: false });
  });

  it('relays a refusal with its status and code, and logs it as a security event', async () => {
    const { app, events } = gateway();
    const job = { tool: 'sed', dataset: 'genes.fasta', script: 'w ../X' };
    const response = await (await signedIn(app)).post('/api/jobs').send(job);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ERR_SHELL_ARG_SED_UNSAFE');
    expect(events()).toEqual([
      { type: 'job.refused', status: 400, code: 'ERR_SHELL_ARG_SED_UNSAFE' },
    ]);
  });

  it('lets the job runner refuse a body that is not JSON', async () => {
    const agent = await signedIn(gateway().app);
    const response = await agent.post('/api/jobs').type('text').send('s/a/b/');

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ERR_JOB_BODY');
  });

  it('refuses a body over 16 KiB itself', async () => {
    const job = { tool: 'grep', dataset: 'genes.tsv', pattern: 'a'.repeat(17_000) };
    const agent = await signedIn(gateway().app);
    const response = await agent.post('/api/jobs').send(job);

    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('ERR_GATEWAY_BODY');
  });

  it('answers 502 when the job runner is down, and reports it', async () => {
    const { app, events } = gateway(`http://127.0.0.1:${await freePort()}`);
    const response = await (await signedIn(app)).post('/api/jobs').send({ tool: 'grep' });

    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('ERR_GATEWAY_UPSTREAM');
    expect(events()).toEqual([
      { type: 'gateway.error', code: 'ERR_GATEWAY_UPSTREAM', status: 502 },
    ]);
  });

  it('marks login and logout answers no-store, refusals included', async () => {
    const { app } = gateway();
    const agent = request.agent(app);
    const wrong = await agent.post('/api/login').send({ ...ana, password: 'nope' });
    const malformed = await agent.post('/api/login').type('json').send('{');
    const right = await agent.post('/api/login').send(ana);
    const logout = await agent.post('/api/logout');

    expect([wrong.status, malformed.status, right.status, logout.status]).toEqual([
      401, 400, 200, 204,
    ]);
    for (const answer of [wrong, malformed, right, logout]) {
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves the page and answers unknown routes with a JSON 404', async () => {
    const { app } = gateway();

    expect((await request(app).get('/')).text).toContain('<form id="job-form">');
    expect((await request(app).get('/admin')).body.error.code).toBe('ERR_GATEWAY_NOT_FOUND');
  });
});
