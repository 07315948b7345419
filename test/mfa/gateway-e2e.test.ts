import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayLogin } from '../../examples/gateway/src/login.js';
import { gatewayMfa } from '../../examples/gateway/src/mfa.js';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { type RunningJobRunner, startJobRunner } from '../../examples/job-runner/src/server.js';
import { Browser, codeAt, secretOfUri } from './support/login-flow.js';

// The demo gateway on a clock the test moves: log in, enrol from the answer's otpauth URI,
// pass the second factor, reach the job API, and manage the factor behind step-up.
const T0 = Math.floor(Date.now() / 30_000) * 30_000;
let now = T0;
const clock = () => now;
const events: Record<string, unknown>[] = [];
let runner: RunningJobRunner;
let gateway: RunningGateway;

beforeAll(async () => {
  const onEvent = (event: Record<string, unknown>) => void events.push(event);
  const login = gatewayLogin({ onEvent, now: clock });
  const mfa = gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, now: clock });
  runner = await startJobRunner({ port: 0 });
  gateway = await startGateway({ port: 0, jobRunnerUrl: runner.url, onEvent, login, mfa });
});

afterAll(async () => {
  await gateway?.close();
  await runner?.close();
});

describe('second factor in the demo gateway (injected clock)', () => {
  const ana = () => new Browser(gateway.url);
  let secret = '';
  let recoveryCodes: string[] = [];

  it('asks a logged-in user without a factor to enrol first (site-wide enforcement)', async () => {
    const browser = ana();
    expect((await browser.call('GET', '/api/datasets')).status).toBe(401);
    const login = await browser.call('POST', '/api/login', {
      username: 'ana',
      password: 'ana-galaxy-demo',
    });
    expect(login.status).toBe(200);
    const blocked = await browser.call('GET', '/api/datasets');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toEqual({ error: 'mfa_enrolment_required' });

    const started = await browser.call('POST', '/mfa/api/enrolment');
    expect(started.status).toBe(200);
    expect(started.body.uri).toMatch(/^otpauth:\/\/totp\/galaxy-harden%20demo:ana\?secret=/);
    expect(started.body.qr_svg).toMatch(/^<svg/);
    secret = secretOfUri(String(started.body.uri));

    const confirmed = await browser.call('POST', '/mfa/api/enrolment/confirm', {
      code: codeAt(secret, now),
    });
    expect(confirmed.status).toBe(200);
    recoveryCodes = confirmed.body.recovery_codes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect((await browser.call('GET', '/api/datasets')).status).toBe(200);
  });

  it('logs in with the password, then the code, and runs a job', async () => {
    now += 30_000;
    const browser = ana();
    await browser.call('POST', '/api/login', { username: 'ana', password: 'ana-galaxy-demo' });
    const half = await browser.call('POST', '/api/jobs', {
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'chr17',
    });
    expect(half.status).toBe(401);
    expect(half.body).toEqual({ error: 'mfa_required' });

    const second = await browser.call('POST', '/mfa/api/verify', {
      code: ` ${codeAt(secret, now)}\n`,
    });
    expect(second.body).toEqual({ ok: true, method: 'totp' });
    const job = await browser.call('POST', '/api/jobs', {
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'chr17',
    });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ exitCode: 0 });
    expect(String(job.body.stdout)).toContain('chr17');
  });

  it('puts new recovery codes behind a fresh second factor (step-up)', async () => {
    now += 30_000;
    const browser = ana();
    await browser.call('POST', '/api/login', { username: 'ana', password: 'ana-galaxy-demo' });
    await browser.call('POST', '/mfa/api/verify', { code: codeAt(secret, now) });
    now += 3600_000;

    const stale = await browser.call('POST', '/mfa/api/recovery-codes');
    expect(stale.status).toBe(401);
    expect(stale.headers.get('www-authenticate')).toBe(
      'Bearer realm="galaxy", error="insufficient_user_authentication", max_age=300',
    );
    const stepUp = await browser.call('POST', '/mfa/api/step-up', { code: codeAt(secret, now) });
    expect(stepUp.body).toEqual({ ok: true, method: 'totp' });
    const fresh = await browser.call('POST', '/mfa/api/recovery-codes');
    expect(fresh.status).toBe(200);
    expect(fresh.body.recovery_codes).toHaveLength(10);
    expect(fresh.body.recovery_codes).not.toContain(recoveryCodes[0]);
  });

  it('serves the pages: login, code, enrolment', async () => {
    const browser = ana();
    const login = await browser.call('GET', '/login');
    expect(login.text).toContain('<form id="login-form">');
    const code = await browser.call('GET', '/mfa/code');
    expect(code.status).toBe(401);
    await browser.call('POST', '/api/login', { username: 'ana', password: 'ana-galaxy-demo' });
    const page = await browser.call('GET', '/mfa/code');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/static/mfa.js" defer nonce="');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
    expect((await browser.call('GET', '/static/mfa.js')).status).toBe(200);
  });

  it('logged the events as structured data, without the secret or any code', async () => {
    const types = events.map((event) => event.type);
    for (const type of [
      'mfa.enrolment.started',
      'mfa.enrolment.completed',
      'mfa.verified',
      'mfa.step-up.passed',
    ]) {
      expect(types).toContain(type);
    }
    const all = JSON.stringify(events);
    expect(all).not.toContain(secret);
    for (const code of recoveryCodes) expect(all).not.toContain(code);
  });
});
