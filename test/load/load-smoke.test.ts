import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerInstalled } from '../support/redis-server.js';

// `npm run load` as a user runs it, but short: a 3-second soak, two 1-second comparison
// rounds, each route alone for a second per stack, Redis killed for a second. The script
// needs the built packages (`npx tsc -b`).
const SCRIPT = join(process.cwd(), 'scripts/load.mjs');
const RUN_LIMIT_MS = 90_000;
const ROUTES = [
  'page',
  'static',
  'status',
  'datasets',
  'job',
  'login-wrong',
  'login-right',
  'mfa-wrong',
  'mfa-right',
];

interface Replay {
  moment: string;
  status: number;
  accepted: boolean;
  refusedAs: string[];
}

interface RouteOutcome {
  ok: number;
  refused: number;
  failClosed: number;
  error: number;
  statuses: Record<string, number>;
}

interface Side {
  totals: { answers: number; ok: number; refused: number; failClosed: number; error: number };
  byRoute: Record<string, RouteOutcome>;
  transport: { errors: number; timeouts: number };
}

type Percentiles = { count: number; p50: number; p99: number };

/** The parts of the results JSON this test reads. */
interface LoadReport {
  pass: boolean;
  checks: { name: string; kind: 'correctness' | 'performance'; pass: boolean }[];
  comparison: {
    demoRps: number;
    bareRps: number;
    ratio: number;
    plainHttp: { bareRps: number; ratio: number };
  };
  stacks: { bare: { url: string }; bareHttp: { url: string } };
  latencyMs: { demo: { compare: Percentiles }; bare: { compare: Percentiles } };
  outcomes: {
    demo: Side;
    bare: Side;
    bareHttp: Side;
    routes: { demo: Side['totals']; bare: Side['totals'] };
  };
  perRoute: { route: string; demoRps: number; bareRps: number; ratio: number }[];
  fault: {
    enabled: boolean;
    recoveryMs: number;
    recoveryLimitMs: number;
    replays: Replay[];
    wrongPasswordsChecked: number;
    passwordsCheckedWhileDown: number;
    codesAcceptedWhileDown: number;
    crashed: unknown;
  };
  memory: {
    samples: number[][];
    samplesColumns: string[];
    afterFullGc: { rss: { growth: number }; heapUsed: { before: number; growth: number } };
  };
  events: Record<string, number>;
  pids: { redis: number[]; demo: number; bare: number; bareHttp: number };
}

// A killed child that nobody reaped yet is a zombie: gone for this purpose.
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    if (existsSync('/proc/self/stat')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function finish(child: ChildProcess, limitMs: number): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return code as number | null;
}

describe('npm run load: options', () => {
  it('refuses a duration out of range before starting anything', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--duration', '0'], { encoding: 'utf8' });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--duration "0" must be a whole number from 2 to 600');
    expect(run.stdout).not.toContain('PID');
  });
});

describe.runIf(redisServerInstalled())('npm run load: a 3-second run against the demo', () => {
  let out: string;
  let code: number | null;
  let stdout = '';
  let report: LoadReport;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'gh-load-test-'));
    const args = [SCRIPT, '--duration', '3', '--connections', '4', '--out', out];
    const child = spawn(process.execPath, [...args, '--json', join(out, 'report.json')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    code = await finish(child, RUN_LIMIT_MS);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoadReport;
  }, RUN_LIMIT_MS + 5_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('passes every correctness check and exits 0', () => {
    const failed = report.checks.filter((c) => !c.pass);

    expect(failed.filter((c) => c.kind === 'correctness')).toEqual([]);
    expect(report.pass).toBe(true);
    expect(code).toBe(0);
  });

  it('reports throughput of both stacks, their ratio, and latency percentiles', () => {
    const { comparison, latencyMs } = report;

    expect(comparison.demoRps).toBeGreaterThan(0);
    expect(comparison.bareRps).toBeGreaterThan(0);
    expect(comparison.ratio).toBeCloseTo(comparison.demoRps / comparison.bareRps, 1);
    expect(comparison.plainHttp.bareRps).toBeGreaterThan(0);
    expect(comparison.plainHttp.ratio).toBeCloseTo(
      comparison.demoRps / comparison.plainHttp.bareRps,
      1,
    );
    // The goal's baseline pays for TLS like the demo; the second one does not.
    expect(report.stacks.bare.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(report.stacks.bareHttp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toMatch(/bare over HTTPS [\d.]+\/s: [\d.]+x \(the goal/);
    expect(stdout).toMatch(/bare over plain HTTP [\d.]+\/s: [\d.]+x/);
    for (const side of [latencyMs.demo.compare, latencyMs.bare.compare]) {
      expect(side.count).toBeGreaterThan(0);
      expect(side.p99).toBeGreaterThanOrEqual(side.p50);
    }
  });

  it('answers every route without an error, telling refusals from errors', () => {
    const { demo, bare, bareHttp } = report.outcomes;

    expect(Object.keys(demo.byRoute).sort()).toEqual([...ROUTES].sort());
    expect(demo.totals.error).toBe(0);
    expect(demo.transport).toEqual({ errors: 0, timeouts: 0 });
    expect(demo.totals.refused).toBeGreaterThan(0);
    expect(demo.byRoute['login-wrong']?.ok).toBe(0);
    expect(demo.byRoute.page?.statuses).toEqual({ 200: demo.byRoute.page?.ok });
    expect(bare.totals.error).toBe(0);
    expect(bareHttp.totals.error).toBe(0);
    expect(bareHttp.transport).toEqual({ errors: 0, timeouts: 0 });
  });

  it('fails closed while Redis is down and recovers without a restart', () => {
    const { fault, outcomes } = report;

    expect(fault.enabled).toBe(true);
    expect(outcomes.demo.totals.failClosed).toBeGreaterThan(0);
    expect(fault.recoveryMs).toBeLessThanOrEqual(fault.recoveryLimitMs);
    expect(fault.passwordsCheckedWhileDown).toBe(0);
    expect(fault.codesAcceptedWhileDown).toBe(0);
    expect(fault.crashed).toBe(false);
  });

  it('never accepts a replayed signed call: before, during and after the fault', () => {
    const replays = report.fault.replays;

    expect(replays.map((r) => [r.moment, r.accepted])).toEqual([
      ['before', false],
      ['during', false],
      ['after', false],
    ]);
    expect(replays[0]?.refusedAs).toContain('ERR_SERVICE_AUTH_REPLAY');
    expect(replays[1]?.refusedAs).toContain('ERR_SERVICE_AUTH_STORE');
    // Redis came back with its marker: a replay, not a lucky expiry or a store error.
    expect(replays[2]?.refusedAs).toEqual(['ERR_SERVICE_AUTH_REPLAY']);
  });

  it('checks no more wrong passwords than the account-wide limit of 30', () => {
    // Each wrong password comes from a new visitor address: only the account limit holds.
    expect(report.fault.wrongPasswordsChecked).toBe(30);
    expect(report.events['auth.failure@ben']).toBe(30);
  });

  it('measures each route alone against bare Express, without an error', () => {
    const routes = report.perRoute.map((r) => r.route);

    expect(routes).toEqual(expect.arrayContaining(['page', 'datasets (signed call)']));
    for (const r of report.perRoute) {
      expect(r.demoRps).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.demoRps / r.bareRps, 2);
    }
    expect(report.outcomes.routes.demo.error).toBe(0);
    expect(report.outcomes.routes.bare.error).toBe(0);
    expect(stdout).toMatch(/each route alone, demo\/bare over HTTPS \(reported\): page [\d.]+x/);
  });

  it('samples memory every 250 ms and weighs the heap around the soak', () => {
    const { memory } = report;

    expect(memory.samples.length).toBeGreaterThanOrEqual(12);
    expect(memory.samplesColumns).toEqual(['seconds', 'rssMB', 'heapUsedMB']);
    expect(memory.afterFullGc.heapUsed.before).toBeGreaterThan(0);
    expect(typeof memory.afterFullGc.rss.growth).toBe('number');
  });

  it('writes the JSON and an SVG chart next to it, and leaves no process behind', () => {
    const files = readdirSync(out);
    const svg = files.find((name) => /^load-.*\.svg$/.test(name));

    expect(files.filter((name) => /^load-.*\.json$/.test(name))).toHaveLength(1);
    const chart = readFileSync(join(out, String(svg)), 'utf8');
    expect(chart).toMatch(/^<svg[^>]*>[\s\S]*Redis down/);
    expect(chart).toContain('each route alone (in the JSON)');
    const { redis, demo, bare, bareHttp } = report.pids;
    const pids = [...redis, demo, bare, bareHttp];
    expect(pids.filter(alive)).toEqual([]);
    expect(stdout).toMatch(/\[load\] demo soak +\d+\/3 s/);
  });
});

describe.runIf(redisServerInstalled())('npm run load: Ctrl-C', () => {
  it('stops Redis and the three stacks by PID', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gh-load-int-'));
    const child = spawn(process.execPath, [SCRIPT, '--duration', '3', '--out', out], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    let interrupted = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = stdout.includes('logged in and enrolled');
      if (ready && !interrupted) interrupted = child.kill('SIGINT');
    });
    const code = await finish(child, 30_000);
    const pids = [...stdout.matchAll(/PID (\d+)/g)].map((m) => Number(m[1]));
    const written = readdirSync(out);
    rmSync(out, { recursive: true, force: true });

    expect(code).toBe(130);
    expect(pids).toHaveLength(4);
    expect(pids.filter(alive)).toEqual([]);
    expect(written).toEqual([]);
  }, 35_000);
});
