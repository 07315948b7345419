import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

// `npm run fuzz` (scripts/fuzz.mjs): wrong options refused before any vitest starts, and
// Ctrl-C stopping the vitest it started with everything under it (its worker, its Redis).
const SCRIPT = join(process.cwd(), 'scripts/fuzz.mjs');

function fuzz(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 20_000 });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Names of the processes in group `pgid` (from /proc: Linux, as CI). */
function groupMembers(pgid: number): string[] {
  const names: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') {
        names.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return names;
}

describe('npm run fuzz: options', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    // "Infinity" was read as no time limit at all, "0x10" as 16 s.
    [['--budget', 'Infinity'], '--budget "Infinity" must be a positive number of seconds'],
    [['--budget', '0x10'], '--budget "0x10" must be a positive number of seconds'],
    [['--budget', '0'], '--budget "0" must be a positive number of seconds'],
    // Past 2^53 the seed cannot be the one printed: each file then failed inside vitest.
    [['--seed', '99999999999999999999'], '--seed "99999999999999999999" must be an integer'],
    [['--runs', '1.5'], '--runs "1.5" must be a positive whole number'],
    [['--filter', 'no-such-property-file'], 'no *.property.test.ts matches'],
  ])('refuses %j with exit 2 and starts nothing', (args, message) => {
    const run = fuzz(...args);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).not.toContain('PID');
  });

  it('prints its usage for --help and exits 0', () => {
    const run = fuzz('--help');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--budget SECONDS');
  });
});

describe('npm run fuzz: Ctrl-C', () => {
  it('stops the running vitest and its whole process group, and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [SCRIPT, '--budget', '60', '--filter', 'auth-limit/test/key-derivation'],
      // Without the outer run's Redis URL, the inner global setup starts a Redis of its own.
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GALAXY_HARDEN_REDIS_URL: '' } },
    );
    let stdout = '';
    let pgid = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /vitest PID (\d+)/.exec(stdout);
      if (match && pgid === 0) pgid = Number(match[1]);
    });
    const exited = once(child, 'exit');
    // Interrupt once the global setup's Redis runs: vitest alone would leave it behind.
    let members: string[] = [];
    for (let i = 0; i < 200 && !members.includes('redis-server'); i += 1) {
      await sleep(100);
      members = pgid === 0 ? [] : groupMembers(pgid);
    }
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code] = await exited;
    clearTimeout(killer);

    expect(members).toContain('redis-server');

    expect(pgid).toBeGreaterThan(0);
    expect(code).toBe(130);
    expect(groupAlive(pgid)).toBe(false);
    expect(stdout).not.toContain('passed');
  }, 35_000);
});
