import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, codeAt, secretOfUri } from './support/login-flow.js';

// `npm start` as a user runs it, on the real clock: log in over HTTPS, enrol from the
// otpauth URI in the answer, pass the second factor, run a job, and step up.
const demo = join(process.cwd(), 'examples/demo.mjs');
const built = ['examples/job-runner/dist/index.js', 'examples/gateway/dist/index.js'];

let child: ChildProcess;
let baseUrl = '';
let ca = '';

beforeAll(async () => {
  expect(
    built.filter((file) => !existsSync(file)),
    'run `npx tsc -b` first',
  ).toEqual([]);
  child = spawn(process.execPath, [demo], {
    env: { ...process.env, GATEWAY_PORT: '0', JOB_RUNNER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await readUntil(child, 'Press Ctrl-C to stop.');
  baseUrl = /redirects to (https:\/\/127\.0\.0\.1:\d+)\//.exec(banner.join('\n'))?.[1] ?? '';
  const caFile = /made at start: (\S+)/.exec(banner.join('\n'))?.[1] ?? '';
  ca = readFileSync(caFile, 'utf8');
});

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
});

describe('the running demo (npm start), real time', () => {
  it('logs in with password and code, runs a job, and steps up with a recovery code', async () => {
    const browser = () => new Browser(baseUrl, (url, init) => httpsFetch(url, init, ca));
    const first = browser();
    const credentials = { username: 'ben', password: 'ben-galaxy-demo' };
    expect((await first.call('POST', '/api/login', credentials)).status).toBe(200);
    const started = await first.call('POST', '/mfa/api/enrolment');
    const secret = secretOfUri(String(started.body.uri));
    const enrolledAt = Date.now();
    const confirmed = await first.call('POST', '/mfa/api/enrolment/confirm', {
      code: codeAt(secret, enrolledAt),
    });
    expect(confirmed.status).toBe(200);
    const recoveryCodes = confirmed.body.recovery_codes as string[];

    const second = browser();
    await second.call('POST', '/api/login', credentials);
    expect((await second.call('GET', '/api/datasets')).body).toEqual({ error: 'mfa_required' });
    // The next step's code: still inside the ±1 window, and never the enrolment's code again.
    const nextStep = (Math.floor(enrolledAt / 30_000) + 1) * 30_000;
    expect(
      (await second.call('POST', '/mfa/api/verify', { code: codeAt(secret, nextStep) })).body,
    ).toEqual({
      ok: true,
      method: 'totp',
    });
    const job = await second.call('POST', '/api/jobs', {
      tool: 'sed',
      dataset: 'genes.fasta',
      script: 's/ATG/atg/g',
    });
    expect(job.status).toBe(200);
    expect(String(job.body.stdout)).toContain('atg');

    const stepUp = await second.call('POST', '/mfa/api/step-up', { code: recoveryCodes[0] });
    expect(stepUp.body).toEqual({ ok: true, method: 'recovery', recovery_codes_left: 9 });
    const codes = await second.call('POST', '/mfa/api/recovery-codes');
    expect(codes.status).toBe(200);
    expect(codes.body.recovery_codes).toHaveLength(10);
  });
});

/** `fetch` over node:https, trusting the demo's self-signed certificate (never `-k`). */
function httpsFetch(url: string, init: RequestInit, ca: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers = init.headers as Record<string, string>;
    const req = request(url, { method: init.method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of [value ?? []].flat()) answer.append(name, String(one));
        }
        resolve(
          new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: answer }),
        );
      });
    });
    req.on('error', reject);
    req.end(init.body as string | undefined);
  });
}

async function readUntil(process: ChildProcess, last: string): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: process.stdout as NodeJS.ReadableStream });
  for await (const line of reader) {
    lines.push(line);
    if (line === last) break;
  }
  // Keep draining: the demo goes on writing JSON event lines to this pipe.
  process.stdout?.resume();
  return lines;
}
