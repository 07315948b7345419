// A private redis-server for the load run, on a free 127.0.0.1 port, stopped and restarted
// by PID for the fault phase (a plain .mjs twin of test/support/redis-server.ts).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 10_000;
/** redis-server options that keep what it acknowledged across a restart (see below). */
export const PERSISTENCE = ['--appendonly', 'yes', '--appendfsync', 'no'];

/**
 * True when `redis-server` is on the PATH.
 *
 * @example
 * if (!redisServerInstalled()) throw new Error('apt-get install redis-server');
 */
export function redisServerInstalled() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A TCP port on 127.0.0.1 that the kernel says is free now.
 *
 * @example
 * const port = await freePort(); // e.g. 40731
 */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, child) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
    if (await portOpen(port)) return;
    await sleep(25);
  }
  throw new Error(`redis-server did not listen on 127.0.0.1:${port} in ${START_TIMEOUT_MS} ms`);
}

/**
 * A redis-server of our own, with its append-only file on: Redis writes each command to the
 * file before it answers, so a killed server comes back with every replay marker and attempt
 * counter it acknowledged. Without it a restart forgets them: a captured token replays and
 * a lockout starts again from zero (this harness shows both when persistence is off).
 * `appendfsync no` leaves fsync to the kernel: only a crash of the machine, not of Redis,
 * could lose writes, and fsync stalls of a shared disk would look like store timeouts.
 * `stop()` is a crash (SIGKILL by PID); `resume()` starts it again on the same port.
 *
 * @example
 * const redis = new PrivateRedis(await freePort());
 * await redis.resume(); // started
 * await redis.stop(); await redis.resume(); await redis.close();
 */
export class PrivateRedis {
  constructor(port) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.dir = mkdtempSync(join(tmpdir(), 'gh-load-redis-'));
    this.child = undefined;
  }

  get pid() {
    return this.child?.pid;
  }

  async resume() {
    if (this.child) return;
    // After Ctrl-C's kill(): a fault phase coming back from its sleep must not start another.
    if (this.killed) throw new Error('redis-server was stopped for good (Ctrl-C)');

    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    const persistence = ['--save', '', ...PERSISTENCE];
    this.child = spawn('redis-server', [...args, ...persistence], { stdio: 'ignore' });
    await waitForPort(this.port, this.child);
  }

  /** Kills the server by its PID; clients get connection errors until `resume()`. */
  async stop() {
    const child = this.child;
    if (!child) return;

    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }

  /** For Ctrl-C: SIGKILL by PID and remove the files, without waiting. */
  kill() {
    const child = this.child;
    this.child = undefined;
    this.killed = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async close() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
