// The parent's handle on a stack child (scripts/load/stack.mjs): start it, collect its
// memory samples, ask it questions, and stop it by PID, whatever happens.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const STACK = new URL('./stack.mjs', import.meta.url);
const START_TIMEOUT_MS = 30_000;
const ASK_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 20;

// V8 writes the profile when the child exits normally, as `stop()` makes it do.
function profiling(dir) {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function keepTail(stream, lines) {
  stream.setEncoding('utf8');
  stream.on('data', (text) => {
    lines.push(...text.split('\n').filter((line) => line !== ''));
    lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
  });
}

/**
 * A running stack child. `memory` fills with `{ at, rss, heapUsed }` every 250 ms; `exit`
 * is set if the child ends before `stop()` was asked for (a crash).
 *
 * @example
 * const stack = await StackProcess.start('demo', { redisUrl, lifetimeMs: 120_000 });
 * await stack.ask('events'); await stack.stop();
 */
export class StackProcess {
  constructor(kind, child) {
    this.kind = kind;
    this.child = child;
    this.pid = child.pid;
    this.memory = [];
    this.stderr = [];
    this.exit = undefined;
    this.stopping = false;
    this.pending = new Map();
    this.nextId = 0;
  }

  /** Forks the child; `track(stack)` sees it before it is ready, so Ctrl-C can stop it. */
  static async start(kind, { redisUrl, usersFile, profileDir, lifetimeMs, track = () => {} }) {
    const env = { ...process.env, LOAD_STACK_LIFETIME_MS: String(lifetimeMs) };
    if (redisUrl) env.LOAD_REDIS_URL = redisUrl;
    if (usersFile) env.LOAD_USERS_FILE = usersFile;
    // glibc raises its mmap threshold after the first scrypt frees its 16 MB block, and from
    // then on keeps one such block per thread-pool thread resident (64 MB): RSS would then
    // show glibc's cache, not what the stack keeps. A fixed threshold hands them back.
    env.MALLOC_MMAP_THRESHOLD_ ??= '131072';
    const stdio = ['ignore', 'ignore', 'pipe', 'ipc'];
    const child = fork(STACK, [kind], {
      env,
      stdio,
      execArgv: ['--expose-gc', ...profiling(profileDir)],
    });
    const stack = new StackProcess(kind, child);
    track(stack);
    keepTail(child.stderr, stack.stderr);
    child.on('message', (message) => stack.receive(message));
    child.once('exit', (code, signal) => stack.exited(code, signal));
    await stack.ready();
    return stack;
  }

  async ready() {
    const started = new Promise((resolve, reject) => {
      this.onReady = resolve;
      this.onEarlyExit = reject;
    });
    const timer = setTimeout(
      () => this.onEarlyExit(new Error('no ready in time')),
      START_TIMEOUT_MS,
    );
    try {
      this.info = await started;
    } catch (error) {
      await this.stop();
      throw new Error(
        `the ${this.kind} stack did not start: ${error.message}\n${this.stderr.join('\n')}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  receive(message) {
    if (message?.type === 'memory') this.memory.push(message);
    else if (message?.type === 'ready') this.onReady?.(message.info);
    else if (message?.type === 'answer') this.pending.get(message.id)?.(message.value);
  }

  exited(code, signal) {
    if (!this.stopping) this.exit = { code, signal, at: Date.now(), stderr: [...this.stderr] };
    this.onEarlyExit?.(new Error(`exited with ${signal ?? code}`));
    for (const resolve of this.pending.values()) resolve(undefined);
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the child for `events` or `lastSignedCall`; undefined if it cannot answer. */
  ask(what) {
    if (!this.alive) return Promise.resolve(undefined);

    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ASK_TIMEOUT_MS);
      this.pending.set(id, (value) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(value);
      });
      this.child.send({ type: 'ask', id, what });
    });
  }

  /** Asks the child to close its servers; kills it by PID if it has not gone in time. */
  async stop() {
    this.stopping = true;
    if (!this.alive) return;

    const gone = once(this.child, 'exit');
    if (this.child.connected) this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.kill(), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  }

  /** Last resort, also used on Ctrl-C: SIGKILL by PID. */
  kill() {
    this.stopping = true;
    if (this.alive) process.kill(this.pid, 'SIGKILL');
  }
}
