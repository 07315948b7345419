// Child process of `npm run load`: runs one stack (the demo or the bare baseline) so that the
// load generator does not share its event loop, and reports to the parent over IPC: `ready`,
// a memory sample every 250 ms, counted security events, the last signed call. It stops on
// the parent's `stop`, when the parent goes away, or at its own deadline.
//
//   node scripts/load/stack.mjs demo|bare|bare-http
//   (started by scripts/load.mjs with an IPC channel)
import { startBareStack } from './bare-stack.mjs';
import { startDemoStack } from './demo-stack.mjs';

const SAMPLE_MS = 250;
const kind = process.argv[2];
const redisUrl = process.env.LOAD_REDIS_URL;
const lifetimeMs = Number(process.env.LOAD_STACK_LIFETIME_MS) || 600_000;

if (!process.send) throw new Error('stack.mjs runs under scripts/load.mjs, with an IPC channel');
// `bare` serves HTTPS like the demo (the default comparison), `bare-http` plain HTTP.
const KINDS = ['demo', 'bare', 'bare-http'];
if (!KINDS.includes(kind)) throw new Error(`stack.mjs: unknown stack "${kind}"`);

/** Security events by type, and by the code or reason that says why. */
function eventCounter() {
  const counts = {};
  const add = (key) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  const onEvent = (event) => {
    add(event.type);
    const detail = event.code ?? event.reason;
    if (typeof detail === 'string') add(`${event.type}:${detail}`);
    if (event.type === 'auth.failure') add(`${event.type}@${event.account}`);
  };
  return { counts, onEvent };
}

// CPU time rides along: answers per CPU second compare the stacks even when other work on
// the machine takes cores away from both.
function sampleMemory() {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  process.send({ type: 'memory', at: Date.now(), rss, heapUsed, cpuMicros: user + system });
}

const events = eventCounter();
const stack =
  kind === 'demo'
    ? await startDemoStack({ redisUrl, onEvent: events.onEvent })
    : await startBareStack({ https: kind === 'bare' });
const sampler = setInterval(sampleMemory, SAMPLE_MS);
const deadline = setTimeout(() => stop(3), lifetimeMs);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  clearInterval(sampler);
  clearTimeout(deadline);
  await stack.close().catch(() => {});
  process.exit(code);
}

// Started with --expose-gc: the heap a full collection leaves is what the run retained.
function afterFullGc() {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { at: Date.now(), rss, heapUsed, collected: typeof globalThis.gc === 'function' };
}

const answers = {
  events: () => ({ ...events.counts }),
  afterFullGc,
  lastSignedCall: () => stack.lastSignedCall(),
};

process.on('message', (message) => {
  if (message?.type === 'stop') return void stop(0);
  if (message?.type !== 'ask' || !(message.what in answers)) return;

  process.send({ type: 'answer', id: message.id, value: answers[message.what]() });
});
process.once('disconnect', () => stop(0));
process.send({ type: 'ready', info: { ...stack.info, pid: process.pid } });
sampleMemory();
