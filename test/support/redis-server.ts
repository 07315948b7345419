import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portOpens } from './ports.js';

export { freePort };

/** True when a `redis-server` binary is on the PATH. */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The URL of the Redis server the test setup started (or CI provided), if any. */
export function sharedRedisUrl(): string | undefined {
  return process.env.GALAXY_HARDEN_REDIS_URL || undefined;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  if (await portOpens(port, timeoutMs)) return;

  throw new Error(`redis-server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** A private `redis-server` on loopback that a test may stop and start again on the same port. */
export class RedisServer {
  readonly port: number;
  readonly url: string;
  private child: ChildProcess | undefined;
  private readonly dir: string;

  private constructor(port: number) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.dir = mkdtempSync(join(tmpdir(), 'gh-redis-'));
  }

  static async start(port?: number): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()));
    await server.resume();
    return server;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server again on the same port (after `stop`). */
  async resume(): Promise<void> {
    if (this.child) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    this.child = spawn('redis-server', [...args, '--dir', this.dir], { stdio: 'ignore' });
    await waitForPort(this.port, 10_000);
  }

  /** Kills the server; clients see connection errors until `resume`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
