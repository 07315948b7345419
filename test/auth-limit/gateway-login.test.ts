import { request as httpsRequest } from 'node:https';
import type { AuthLimitEvent } from '@galaxy-harden/auth-limit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../examples/gateway/src/app.js';
import { resolveGatewayConfig } from '../../examples/gateway/src/config.js';
import type { SecurityEvent } from '../../examples/gateway/src/events.js';
import { gatewayLogin } from '../../examples/gateway/src/login.js';
import { gatewayMfa } from '../../examples/gateway/src/mfa.js';
import { startGateway } from '../../examples/gateway/src/server.js';
import { type RunningJobRunner, startJobRunner } from '../../examples/job-runner/src/server.js';

// The demo users of examples/gateway/data/users.json, documented in examples/README.md.
const ana = { username: 'ana', password: 'ana-galaxy-demo' };
const old = { username: 'old', password: 'old-galaxy-demo' };

let runner: RunningJobRunner;
beforeAll(async () => {
  runner = await startJobRunner({ port: 0 });
});
afterAll(() => runner.close());

function gateway() {
  const events: SecurityEvent[] = [];
  const onEvent = (event: SecurityEvent) => void events.push(event);
  const config = resolveGatewayConfig({ jobRunnerUrl: runner.url, jobRunnerTimeoutMs: 10_000 });
  const login = gatewayLogin({ onEvent });
  // The second factor is enforced for another user only: these tests are about the password.
  const enforcement = [{ enforcedSince: 0, graceSeconds: 0, userIds: ['nobody'] }];
  const mfa = gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, enforcement });
  const app = createGatewayApp({ config, onEvent, login, mfa });
  const failures = () =>
    events.filter((e) => e.type === ('auth.failure' satisfies AuthLimitEvent['type']));
  return { app, events, failures };
}

describe('gateway login', () => {
  it('keeps the job API closed until a login, and closed again after logout', async () => {
    const { app } = gateway();
    const agent = request.agent(app);
    const before = await agent.get('/api/datasets');
    const login = await agent.post('/api/login').send(ana);
    const during = await agent.get('/api/datasets');
    await agent.post('/api/logout');
    const after = await agent.get('/api/datasets');

    expect(before.status).toBe(401);
    expect(login.body).toEqual({ ok: true, user: 'ana' });
    expect(during.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('sets a signed, HttpOnly, SameSite=Lax session cookie, and refuses a forged one', async () => {
    const { app } = gateway();
    const login = await request(app)
      .post('/api/login')
      .send({ ...ana, username: ' ANA ' });
    const cookie = String(login.headers['set-cookie']?.[0]);
    const [value = ''] = cookie.split(';');
    const forged = value.replace(/=([^.]+)\./, '=AAAAAAAAAAAAAAAAAAAAAAAA.');

    expect(cookie).toMatch(
      /^gh-session=[\w-]+\.[\w-]{43}; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
    );
    expect((await request(app).get('/api/datasets').set('cookie', value)).status).toBe(200);
    expect((await request(app).get('/api/datasets').set('cookie', forged)).status).toBe(401);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const { app } = gateway();
    const wrong = await request(app)
      .post('/api/login')
      .send({ ...ana, password: 'nope' });
    const unknown = await request(app)
      .post('/api/login')
      .send({ username: 'zed', password: 'nope' });

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('runs scrypt at most 10 times for 100 parallel wrong passwords', async () => {
    const { app, failures } = gateway();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        request(app)
          .post('/api/login')
          .send({ ...ana, password: 'guess' }),
      ),
    );
    const refused = answers.filter((r) => r.status === 429);

    expect(failures()).toHaveLength(10);
    expect(refused).toHaveLength(90);
    expect(refused[0]?.headers).toMatchObject({
      'retry-after': '60',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(refused[0]?.headers['content-security-policy']).toBeDefined();
    expect(refused[0]?.headers.ratelimit).toMatch(/"account-address"; r=0; t=60/);
    expect(await request(app).post('/api/login').send(ana)).toHaveProperty('status', 429);
  });

  it('does not count cross-site posts or a disabled account as wrong passwords', async () => {
    const { app, failures, events } = gateway();
    for (let i = 0; i < 12; i++) {
      await request(app).post('/api/login').set('origin', 'https://evil.example').send(ana);
      await request(app).post('/api/login').send(old);
    }
    const login = await request(app).post('/api/login').send(ana);

    expect(login.status).toBe(200);
    expect(failures()).toHaveLength(0);
    expect(events).toContainEqual({ type: 'login.refused', reason: 'disabled' });
    expect(events).toContainEqual({ type: 'login.refused', reason: 'cross-site' });
  });

  it('marks the cookie Secure with the __Host- prefix over HTTPS', async () => {
    const running = await startGateway({
      port: 0,
      https: { httpPort: 0 },
      jobRunnerUrl: runner.url,
    });
    const cookie = await new Promise<string>((resolve, reject) => {
      const body = JSON.stringify(ana);
      const req = httpsRequest(
        `${running.url}/api/login`,
        {
          method: 'POST',
          ca: running.certificate?.cert,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie']?.[0]));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    await running.close();

    expect(cookie).toMatch(/^__Host-gh-session=.*; Path=\/; .*HttpOnly; Secure; SameSite=Lax$/);
  });
});
