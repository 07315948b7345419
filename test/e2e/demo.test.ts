import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { DEFAULT_DATA_DIR } from '../../examples/job-runner/src/datasets.js';
import { type RunningJobRunner, startJobRunner } from '../../examples/job-runner/src/server.js';
import { createTempRoot } from '../../examples/job-runner/src/work-dir.js';

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

beforeAll(async () => {
  // Work directories are kept, so anything a job wrote stays visible to the listing below.
  tempRoot = await createTempRoot();
  runner = await startJobRunner({ port: 0, tempRoot, keepWorkDirs: true });
  gateway = await startGateway({ port: 0, jobRunnerUrl: runner.url });
});
afterAll(async () => {
  await gateway?.close();
  await runner?.close();
  rmSync(tempRoot, { recursive: true, force: true });
});

async function submit(job: Job): Promise<Outcome> {
  const response = await fetch(`${gateway.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(job),
  });

  return { status: response.status, body: (await response.json()) as Outcome['body'] };
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

describe('demo end to end (gateway -> job runner -> /bin/sh)', () => {
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

describe('npm start (examples/demo.mjs)', () => {
  const demo = join(process.cwd(), 'examples/demo.mjs');
  const built = ['examples/job-runner/dist/index.js', 'examples/gateway/dist/index.js'];

  it('prints the URL and two curl commands that work as printed; stops on SIGTERM', async () => {
    expect(
      built.filter((file) => !existsSync(file)),
      'run `npx tsc -b` first',
    ).toEqual([]);
    const child = spawn(process.execPath, [demo], {
      env: { ...process.env, GATEWAY_PORT: '0', JOB_RUNNER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const banner = await readUntil(child, 'Press Ctrl-C to stop.');
    const url = banner.find((line) => line.startsWith('gateway:'))?.split(/\s+/)[1] ?? '';
    const curls = banner.map((line) => line.trim()).filter((line) => line.startsWith('curl '));

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(curls).toHaveLength(2);
    const [sedAnswer, grepAnswer] = curls.map((line) => runCurl(line));
    expect(sedAnswer?.stdout).toBe(fasta.replaceAll('ATG', 'atg'));
    expect(grepAnswer?.stdout).toBe(
      `${tsv
        .split('\n')
        .filter((line) => line.includes('chr17'))
        .join('\n')}\n`,
    );

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});

/** Collects stdout lines of the demo until `last` appears. */
async function readUntil(child: ChildProcess, last: string): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  for await (const line of reader) {
    lines.push(line);
    if (line === last) break;
  }
  // Keep draining: the demo goes on writing JSON event lines to this pipe.
  child.stdout?.resume();
  return lines;
}

function runCurl(line: string): Record<string, unknown> {
  const result = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
