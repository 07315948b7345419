import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';

const DEMO = join(process.cwd(), 'examples/demo.mjs');
const BUILT = ['examples/job-runner/dist/index.js', 'examples/gateway/dist/index.js'];
// Settings that make the demo use Redis: the test setup exports the first one for every
// suite, so a test of the default (memory) removes them.
const STORE_SETTINGS = ['GALAXY_HARDEN_REDIS_URL', 'REDIS_URL', 'GALAXY_HARDEN_REDIS_PREFIX'];

/** One JSON event line of the demo's stdout. */
export type DemoEvent = { type: string; service?: string } & Record<string, unknown>;

/**
 * `node examples/demo.mjs` on free ports, read as a newcomer reads it: the banner, and then
 * the JSON event lines, kept in order so a test can wait for the one a request caused.
 */
export class DemoProcess {
  readonly banner: string[] = [];
  readonly events: DemoEvent[] = [];
  private readonly child: ChildProcess;
  private seen = 0;
  private wake: () => void = () => {};

  private constructor(env: Record<string, string>) {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !STORE_SETTINGS.includes(name)),
    );
    this.child = spawn(process.execPath, [DEMO], {
      env: { ...inherited, GATEWAY_PORT: '0', JOB_RUNNER_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reader = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => this.take(line));
  }

  /** Starts the demo and waits for its banner; `env` adds to (or overrides) the test's. */
  static async start(env: Record<string, string> = {}): Promise<DemoProcess> {
    expect(
      BUILT.filter((file) => !existsSync(file)),
      'run `npx tsc -b` first',
    ).toEqual([]);
    const demo = new DemoProcess(env);
    const exited = once(demo.child, 'exit').then(([code]) => {
      throw new Error(`the demo exited with ${code} before its banner`);
    });
    await Promise.race([demo.until(() => demo.banner.includes('Press Ctrl-C to stop.')), exited]);
    exited.catch(() => {});
    return demo;
  }

  /** The lines to paste, as printed under "From a shell:" (leading spaces removed). */
  printedLines(): string[] {
    const start = this.banner.findIndex((line) => line.startsWith('From a shell:'));
    const end = this.banner.indexOf('', start);

    return this.banner.slice(start + 1, end).map((line) => line.trim());
  }

  /** The first event after the ones an earlier call returned that matches `test`. */
  async nextEvent(test: (event: DemoEvent) => boolean): Promise<DemoEvent> {
    let found: DemoEvent | undefined;
    await this.until(() => {
      const index = this.events.findIndex((event, i) => i >= this.seen && test(event));
      if (index >= 0) [found, this.seen] = [this.events[index], index + 1];
      return found !== undefined;
    });
    return found as DemoEvent;
  }

  /** SIGTERM, and the exit code and signal. */
  async stop(): Promise<[number | null, NodeJS.Signals | null]> {
    if (this.child.exitCode !== null) return [this.child.exitCode, null];

    const exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.kill('SIGTERM');
    return exited;
  }

  private take(line: string): void {
    if (line.startsWith('{')) this.events.push(JSON.parse(line) as DemoEvent);
    else this.banner.push(line);
    this.wake();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!done()) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/** What a printed line did when run with `/bin/sh -c`, exactly as printed. */
export interface LineRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one printed line with `/bin/sh -c`, exactly as printed. */
export function runLine(line: string): LineRun {
  const { status, stdout, stderr } = spawnSync('/bin/sh', ['-c', line], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status, stdout, stderr };
}

/** Runs one printed line that must succeed, and parses its JSON answer. */
export function runJsonLine(line: string): Record<string, unknown> {
  const result = runLine(line);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
