import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../examples/job-runner/src/datasets.js';

// `npm start` as a newcomer meets it: the banner's URL, users and curl lines, the lines run
// through `sh` exactly as printed (cookie jar, second factor, a sed job, a grep job).
const demo = join(process.cwd(), 'examples/demo.mjs');
const built = ['examples/job-runner/dist/index.js', 'examples/gateway/dist/index.js'];
const fasta = readFileSync(join(DEFAULT_DATA_DIR, 'genes.fasta'), 'utf8');
const tsv = readFileSync(join(DEFAULT_DATA_DIR, 'genes.tsv'), 'utf8');
const chr17 = `${tsv
  .split('\n')
  .filter((line) => line.includes('chr17'))
  .join('\n')}\n`;

let child: ChildProcess;
let banner: string[] = [];

beforeAll(async () => {
  expect(
    built.filter((file) => !existsSync(file)),
    'run `npx tsc -b` first',
  ).toEqual([]);
  child = spawn(process.execPath, [demo], {
    env: { ...process.env, GATEWAY_PORT: '0', JOB_RUNNER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  banner = await readUntil(child, 'Press Ctrl-C to stop.');
});

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
});

const curls = () => banner.map((line) => line.trim()).filter((line) => line.startsWith('curl '));
const secretFile = () => /codes: node \S+ (\S+)$/m.exec(banner.join('\n'))?.[1] ?? '';

describe('npm start (examples/demo.mjs)', () => {
  it('prints the HTTPS login page to open and the demo users with their passwords', () => {
    const text = banner.join('\n');

    expect(text).toMatch(/^Open https:\/\/127\.0\.0\.1:\d+\/login in a browser/m);
    expect(text).toMatch(/^ {2}ana {2}ana-galaxy-demo {2}second factor set up at start/m);
    expect(text).toMatch(/^ {2}ben {2}ben-galaxy-demo {2}sets up a second factor/m);
    expect(text).toMatch(/^ {2}old {2}old-galaxy-demo {2}disabled/m);
    expect(curls()).toHaveLength(4);
  });

  it('keeps the second factor secret in a 0600 file, in a directory only it can enter', () => {
    const { secret } = JSON.parse(readFileSync(secretFile(), 'utf8')) as { secret: string };

    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(secretFile())).mode & 0o777).toBe(0o700);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(banner.join('\n')).not.toContain(secret);
  });

  it('refuses the printed job lines after the password alone', () => {
    const [login, , sedJob] = curls();

    expect(runLine(login ?? '')).toEqual({ ok: true, user: 'ana' });
    expect(runLine(sedJob ?? '')).toEqual({ error: 'mfa_required' });
  });

  it('runs the printed lines as printed: login, code, sed, grep; again right after', () => {
    for (let round = 0; round < 2; round++) {
      const [login, code, sed, grep] = curls().map((line) => runLine(line));

      expect(login).toEqual({ ok: true, user: 'ana' });
      expect(code).toEqual({ ok: true, method: 'totp' });
      expect(sed?.stdout).toBe(fasta.replaceAll('ATG', 'atg'));
      expect(grep?.stdout).toBe(chr17);
    }
  });

  it('stops on SIGTERM and deletes the secret, the certificate and the cookie jar', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');

    expect(await exited).toEqual([0, null]);
    expect(existsSync(dirname(secretFile()))).toBe(false);
  });
});

/** Collects stdout lines of the demo until `last` appears. */
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

/** Runs one printed line with `/bin/sh -c`, exactly as printed, and parses its JSON answer. */
function runLine(line: string): Record<string, unknown> {
  const result = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
