import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run load` refusing what it cannot honour before it starts anything, and its chart.
const SCRIPT = join(process.cwd(), 'scripts/load.mjs');

function load(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('npm run load: options refused before anything starts', () => {
  // Number() reads these as 16, 10 and 20: a typo must not become a different run.
  it.each(['0x10', '1e1', ' 20', 'Infinity'])('refuses --duration "%s"', (value) => {
    const run = load('--duration', value);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--duration ${JSON.stringify(value)} must be a whole number`);
    expect(run.stdout).not.toContain('PID');
  });

  // The bug class: the path was first tried after the whole run (lost results), and Node's
  // recursive mkdir loops for ever under /proc.
  it.each([
    ['--out', '/proc/galaxy-harden-load', 'ENOENT'],
    ['--out', '/etc/passwd/sub', 'ENOTDIR'],
    ['--json', '/proc/galaxy-harden-load.json', 'ENOENT'],
    ['--json', '/tmp', 'EISDIR'],
    ['--profile', '/proc/galaxy-harden-profile', 'ENOENT'],
  ])('refuses %s %s (%s) with exit 2', (option, path, code) => {
    const run = load(option, path, '--duration', '2');

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${option} "${path}" cannot be written (${code})`);
    expect(run.stdout).not.toContain('PID');
    expect(existsSync(path) && option !== '--json').toBe(false);
  });

  it('fails at once, without a stack trace, when redis-server is not on the PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'gh-load-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const env = { ...process.env, PATH: bin };
    const run = spawnSync(process.execPath, [SCRIPT, '--duration', '2', '--out', bin], {
      encoding: 'utf8',
      timeout: 20_000,
      env,
    });
    rmSync(bin, { recursive: true, force: true });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('redis-server is not on the PATH');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('PID');
  });

  it('prints its usage for --help and exits 0', () => {
    const run = load('--help');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--duration SECONDS');
  });
});

interface ChartModule {
  chartOf(run: unknown, report: unknown): string;
}

describe('the load chart', () => {
  it('draws memory only within the run, inside the axes', async () => {
    const url = pathToFileURL(join(process.cwd(), 'scripts/load/report.mjs')).href;
    const { chartOf } = (await import(url)) as ChartModule;
    const t0 = 1_000_000;
    // Samples from 2 s before the load (set-up) to 2 s after it (heap weighing).
    const memory = Array.from({ length: 25 }, (_, i) => ({
      at: t0 - 2_000 + i * 500,
      rss: 100 * 2 ** 20,
      heapUsed: 40 * 2 ** 20,
    }));
    const side = { tally: { answers: [] }, stack: { memory } };
    const run = {
      phases: [{ side: 'demo', phase: 'compare', from: t0, to: t0 + 8_000 }],
      demo: side,
      bare: side,
      'bare-http': side,
    };
    const report = { comparison: { demoRps: 1, bareRps: 1, ratio: 1, plainHttp: {} } };
    const svg = chartOf(run, report);
    const xs = [...svg.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));

    expect(xs.length).toBeGreaterThan(0);
    // The plot spans x = 70 to 790 (PANEL.left to WIDTH - PANEL.right in chart.mjs).
    expect(xs.filter((x) => x < 70 || x > 790)).toEqual([]);
  });
});
