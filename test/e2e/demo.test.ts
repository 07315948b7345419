import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  createServiceIdentity,
  generateServiceKey,
  publicJwks,
  type ServiceAuthEvent,
} from '@galaxy-harden/service-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedJobClient } from '../../examples/gateway/src/job-client.js';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { DEFAULT_DATA_DIR } from '../../examples/job-runner/src/datasets.js';
import { type RunningJobRunner, startJobRunner } from '../../examples/job-runner/src/server.js';
import { createRunnerAuthentication } from '../../examples/job-runner/src/service-auth.js';
import { createTempRoot } from '../../examples/job-runner/src/work-dir.js';
import { Browser, codeAt, secretOfUri } from '../mfa/support/login-flow.js';
import { httpsFetchTrusting } from './support/https-fetch.js';

// The file a successful injection would create. Unique, so the search below cannot be
// confused by anything else in the checkout.
const X = `X-e2e-${process.pid}`;
const fasta = readFileSync(join(DEFAULT_DATA_DIR, 'genes.fasta'), 'utf8');
const tsv = readFileSync(join(DEFAULT_DATA_DIR, 'genes.tsv'), 'utf8');

type Job = Record<string, unknown>;
type Outcome = { status: number; body: Record<string, unknown> & { error?: { code: string } } };

let tempRoot: string;
let runner: RunningJobRunner;
let gateway: RunningGateway;
let browser: Browser;
const runnerEvents: ServiceAuthEvent[] = [];

// Wired as `npm start` wires it: HTTPS with a certificate made at start, keys made at start,
// every gateway -> job runner call signed and checked, every answer signed and checked.
async function startDemo(): Promise<void> {
  const gatewayIdentity = await createServiceIdentity('gateway', await generateServiceKey());
  const runnerIdentity = await createServiceIdentity('job-runner', await generateServiceKey());
  const authenticate = await createRunnerAuthentication({
    identity: runnerIdentity,
    gatewayJwks: publicJwks(gatewayIdentity),
    onEvent: (event) => void runnerEvents.push(event),
  });
  // Work directories are kept, so anything a job wrote stays visible to the listing below.
  runner = await startJobRunner({ port: 0, tempRoot, keepWorkDirs: true, authenticate });
  const jobClient = await createSignedJobClient({
    baseUrl: new URL(runner.url),
    timeoutMs: 15_000,
    identity: gatewayIdentity,
    runnerJwks: publicJwks(runnerIdentity),
  });
  gateway = await startGateway({
    port: 0,
    https: { httpPort: 0 },
    jobRunnerUrl: runner.url,
    jobClient,
  });
}

// A newcomer's first visit: password, then enrolment from the otpauth URI the gateway
// answers with (site-wide enforcement), confirmed with a code computed by otplib.
async function logInWithSecondFactor(): Promise<void> {
  browser = new Browser(gateway.url, httpsFetchTrusting(gateway.certificate?.cert ?? ''));
  const login = await browser.call('POST', '/api/login', {
    username: 'ana',
    password: 'ana-galaxy-demo',
  });
  expect(login.body).toEqual({ ok: true, user: 'ana' });
  expect((await browser.call('GET', '/api/datasets')).body).toEqual({
    error: 'mfa_enrolment_required',
  });

  const started = await browser.call('POST', '/mfa/api/enrolment');
  const code = codeAt(secretOfUri(String(started.body.uri)), Date.now());
  const confirmed = await browser.call('POST', '/mfa/api/enrolment/confirm', { code });
  expect(confirmed.status).toBe(200);
}

beforeAll(async () => {
  tempRoot = await createTempRoot();
  await startDemo();
  await logInWithSecondFactor();
});
afterAll(async () => {
  await gateway?.close();
  await runner?.close();
  rmSync(tempRoot, { recursive: true, force: true });
});

async function submit(job: Job): Promise<Outcome> {
  const { status, body } = await browser.call('POST', '/api/jobs', job);

  return { status, body: body as Outcome['body'] };
}

/** Every path under `dir`, relative to it, skipping dependency and VCS trees. */
function listTree(dir: string): string[] {
  const skip = new Set(['node_modules', '.git']);
  const entries = readdirSync(dir, { withFileTypes: true });

  return entries.flatMap((entry) => {
    if (skip.has(entry.name)) return [];
    const path = join(dir, entry.name);
    const below = entry.isDirectory() ? listTree(path).map((p) => join(entry.name, p)) : [];
    return [entry.name, ...below];
  });
}

function named(paths: string[], name: string): string[] {
  return paths.filter((path) => path.split('/').includes(name));
}

describe('demo end to end (HTTPS gateway -> signed call -> job runner -> /bin/sh)', () => {
  it('runs a sed job over the FASTA file and returns the exact output', async () => {
    const { status, body } = await submit({
      tool: 'sed',
      dataset: 'genes.fasta',
      script: 's/ATG/atg/g',
    });

    expect(status).toBe(200);
    expect(body.stdout).toBe(fasta.replaceAll('ATG', 'atg'));
    expect(body).toMatchObject({ exitCode: 0, stderr: '', truncated: false, timedOut: false });
    expect(body.command).toBe('sed --sandbox -e s/ATG/atg/g -- genes.fasta');
  });

  it('runs a grep job over the gene table and returns the exact output', async () => {
    const { status, body } = await submit({
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'chr1[37]\t',
      options: { lineNumbers: true },
    });
    const expected = tsv
      .split('\n')
      .map((line, index) => `${index + 1}:${line}`)
      .filter((line) => /chr1[37]\t/.test(line));

    expect(status).toBe(200);
    expect(body.stdout).toBe(`${expected.join('\n')}\n`);
    expect(expected).toHaveLength(6);
  });

  it('reached the job runner only by signed calls, which it alone accepts', async () => {
    const unsigned = await fetch(`${runner.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' }),
    });
    const accepted = runnerEvents.filter((event) => event.type === 'service.authenticated');

    expect(unsigned.status).toBe(401);
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(accepted).toContainEqual(
      expect.objectContaining({ peer: 'gateway', method: 'POST', path: '/jobs' }),
    );
  });
});

const sed = (script: string): Job => ({ tool: 'sed', dataset: 'genes.fasta', script });
const grep = (pattern: string): Job => ({ tool: 'grep', dataset: 'genes.tsv', pattern });

// A grep pattern read literally matches no line of the gene table.
const noMatch = (body: Outcome['body']) => {
  expect(body).toMatchObject({ exitCode: 1, stdout: '' });
};

// Each hostile job is either refused with a 400 naming the rule, or runs as the literal
// text it is; `literal` checks the second case where the literal result is known.
const hostile: [string, Job, RegExp, ((body: Outcome['body']) => void)?][] = [
  [
    'sed: $(...) in the replacement',
    sed(`s/ATG/$(touch ${X})/`),
    /^ERR_/,
    (body) => {
      expect(body.stdout).toContain(`$(touch ${X})`);
    },
  ],
  [
    'sed: backticks in the replacement',
    sed(`s/ATG/\`touch ${X}\`/`),
    /^ERR_/,
    (body) => {
      expect(body.stdout).toContain(`\`touch ${X}\``);
    },
  ],
  ['sed: ; then a command', sed(`s/A/a/;touch ${X}`), /^ERR_/],
  ['sed: newline then a command', sed(`s/A/a/\ntouch ${X}`), /^ERR_/],
  ['sed: quote closed early', sed(`'; touch ${X}; '`), /^ERR_/],
  ['sed: leading -i (in-place edit)', sed('-i'), /^ERR_SHELL_ARG_(LEADING_DASH|SED_UNSAFE)$/],
  ['sed: --in-place', sed('--in-place=.bak'), /^ERR_SHELL_ARG_(LEADING_DASH|SED_UNSAFE)$/],
  ['sed: 1e runs a command', sed(`1e touch ${X}`), /^ERR_SHELL_ARG_SED_UNSAFE$/],
  ['sed: s///e runs the pattern space', sed(`s/.*/touch ${X}/e`), /^ERR_SHELL_ARG_SED_UNSAFE$/],
  ['sed: w writes a file', sed(`w ../${X}`), /^ERR_SHELL_ARG_SED_UNSAFE$/],
  ['sed: s///w writes a file', sed(`s/a/b/w ${X}`), /^ERR_SHELL_ARG_SED_UNSAFE$/],
  ['sed: r reads another file', sed('r /etc/passwd'), /^ERR_SHELL_ARG_SED_UNSAFE$/],
  ['grep: $(...)', grep(`$(touch ${X})`), /^ERR_/, noMatch],
  ['grep: backticks', grep(`\`touch ${X}\``), /^ERR_/, noMatch],
  ['grep: ; then a command', grep(`;touch ${X}`), /^ERR_/, noMatch],
  ['grep: newline then a command', grep(`zzz\ntouch ${X}`), /^ERR_/, noMatch],
  ['grep: --help as a pattern', grep('--help'), /^ERR_SHELL_ARG_LEADING_DASH$/, noMatch],
  ['grep: -f /etc/passwd', grep('-f /etc/passwd'), /^ERR_SHELL_ARG_LEADING_DASH$/, noMatch],
  ['grep: NUL byte', grep('a\u0000b'), /^ERR_SHELL_ARG_NUL$/],
  [
    'dataset: ../../etc/passwd',
    { ...grep('root'), dataset: '../../etc/passwd' },
    /^ERR_JOB_DATASET$/,
  ],
  ['dataset: /etc/passwd', { ...grep('root'), dataset: '/etc/passwd' }, /^ERR_JOB_DATASET$/],
  ['tool: sh', { tool: 'sh', dataset: 'genes.tsv', script: `touch ${X}` }, /^ERR_JOB_TOOL$/],
  ['an extra field', { ...grep('a'), command: `touch ${X}` }, /^ERR_JOB_FIELD_UNKNOWN$/],
];

describe('hostile jobs', () => {
  const cwd = process.cwd();
  let cwdBefore: string[];

  beforeAll(() => {
    cwdBefore = named(listTree(cwd), X);
  });

  it.each(hostile)(
    '%s: refused with the rule named, or run literally',
    async (_t, job, rule, literal) => {
      const { status, body } = await submit(job);
      expect(named(listTree(tempRoot), X)).toEqual([]);

      if (status === 400) {
        expect(body.error?.code).toMatch(rule);
        return;
      }
      expect(status).toBe(200);
      expect(body.timedOut).toBe(false);
      literal?.(body);
    },
  );

  it(`left no file named ${X} in the work directories, the temporary root or the cwd`, () => {
    const tree = listTree(tempRoot);
    const jobDirs = readdirSync(tempRoot);

    expect(named(tree, X)).toEqual([]);
    expect(named(listTree(cwd), X)).toEqual(cwdBefore);
    expect(cwdBefore).toEqual([]);
    expect(jobDirs.length).toBeGreaterThan(0);
    for (const dir of jobDirs) {
      expect([['genes.fasta'], ['genes.tsv']]).toContainEqual(readdirSync(join(tempRoot, dir)));
    }
    expect(relative(cwd, tempRoot).startsWith('..')).toBe(true);
  });
});
