#!/usr/bin/env node
// `npm run load`: the demo with every package on (HTTPS, headers, login limiter, second
// factor, signed internal calls, Redis stores) under a route mix from autocannon on loopback,
// against bare Express serving the same routes in the same run; Redis killed mid-run and
// started again. Writes bench-results/load-<timestamp>.{json,svg}. See scripts/load/README.md.
//
//   npm run load -- [--duration SECONDS] [--connections N] [--no-fault] [--out DIR] [--json FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './load/drive.mjs';
import { replayOnly, runFault } from './load/fault.mjs';
import { LoadOptionError, parseLoadOptions, USAGE } from './load/options.mjs';
import { PrivateRedis, redisServerInstalled } from './load/redis.mjs';
import { buildReport, chartOf } from './load/report.mjs';
import { Tally } from './load/sampling.mjs';
import { enrolUser } from './load/setup-user.mjs';
import { StackProcess } from './load/stack-process.mjs';

const log = (line) => process.stdout.write(`[load] ${line}\n`);

function readOptions() {
  try {
    return parseLoadOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LoadOptionError) && error?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

/**
 * Phase lengths from `--duration`: warm-up (until the steady state, at most this long), two
 * bare Express halves around the demo, and the fault inside the demo phase.
 */
function plan(options) {
  const d = options.durationSeconds;
  return {
    warmUpSeconds: Math.min(30, Math.max(5, d)),
    bareSeconds: Math.max(1, Math.round(d / 4)),
    demoSeconds: d,
    faultAtMs: Math.round(d * 400),
    faultDownMs: Math.min(3_000, Math.max(1_000, Math.round(d * 150))),
  };
}

/** Everything this run started, stopped by handle or PID on success, failure and Ctrl-C. */
const owned = { redis: undefined, stacks: [], drives: new Set() };

async function cleanUp() {
  for (const running of owned.drives) running.stop();
  await Promise.allSettled(owned.stacks.map((stack) => stack.stop()));
  await owned.redis?.close();
}

function killNow() {
  for (const running of owned.drives) running.stop();
  for (const stack of owned.stacks) stack.kill();
  owned.redis?.stop().catch(() => {});
}

// From one address, logins are refused (429) once the limiter's address window is spent:
// 100 wrong or refused attempts. Until then every right password costs a scrypt run, so
// the stacks are compared only after both got there: the warm-up ends when the last
// STEADY_LOGINS login answers were all 429 (or at its time limit).
const STEADY_LOGINS = 20;

function steady(tally) {
  const logins = tally.answers.filter((a) => a.phase === 'warm-up' && a.route.startsWith('login'));
  const last = logins.slice(-STEADY_LOGINS);

  return last.length === STEADY_LOGINS && last.every((a) => a.status === 429);
}

/** One timed phase with a line of progress a second; a warm-up ends early once steady. */
async function phase(run, name, stack, tally, seconds, during = async () => {}) {
  const warmUp = name.endsWith('warm-up');
  tally.phase = warmUp ? 'warm-up' : 'main';
  const from = Date.now();
  const target = { url: stack.info.url, ca: stack.info.ca };
  const session = stack === run.demoStack ? run.demoSession : run.bareSession;
  const running = drive({ target, session, tally, seconds, connections: run.options.connections });
  owned.drives.add(running);
  let seen = tally.answers.length;
  const progress = setInterval(() => {
    const rss = stack.memory.at(-1)?.rss ?? 0;
    const elapsed = Math.round((Date.now() - from) / 1000);
    log(`${name.padEnd(14)} ${elapsed}/${seconds} s  ${tally.answers.length - seen} answers/s  rss ${Math.round(rss / 1048576)} MB`);
    seen = tally.answers.length;
  }, 1_000);
  const watch = setInterval(() => warmUp && steady(tally) && running.stop(), 100);
  try {
    const [result, extra] = await Promise.all([running.done, during(from)]);
    run.phases.push({ name, from, to: Date.now(), ...(warmUp ? { steady: steady(tally) } : {}) });
    return { from, to: Date.now(), result, extra };
  } finally {
    clearInterval(progress);
    clearInterval(watch);
    owned.drives.delete(running);
  }
}

async function startStacks(run) {
  if (!redisServerInstalled()) throw new Error('redis-server is not on the PATH: apt-get install redis-server');
  owned.redis = await PrivateRedis.start();
  run.redisInfo = { url: owned.redis.url, pid: owned.redis.pid, persistence: 'AOF, appendfsync always' };
  log(`redis-server PID ${owned.redis.pid} on ${owned.redis.url}`);
  const lifetimeMs = (run.options.durationSeconds * 3 + 120) * 1000;
  for (const kind of ['demo', 'bare']) {
    const stack = await StackProcess.start(kind, { redisUrl: owned.redis.url, lifetimeMs });
    owned.stacks.push(stack);
    log(`${kind} stack PID ${stack.pid} on ${stack.info.url}`);
  }
  [run.demoStack, run.bareStack] = owned.stacks;
  const { ca: _ca, ...demoInfo } = run.demoStack.info;
  run.demoInfo = demoInfo;
  run.bareInfo = run.bareStack.info;
  run.demoSession = await enrolUser(run.demoStack.info);
  run.bareSession = await enrolUser(run.bareStack.info);
  log('user ana logged in, enrolled a TOTP authenticator and passed the second factor on both');
}

async function demoPhase(run, p) {
  const during = async (from) => {
    const startAt = from + p.faultAtMs;
    if (!run.options.fault) {
      run.replays = await replayOnly({ stack: run.demoStack, startAt });
      return;
    }
    const target = { url: run.demoStack.info.url, ca: run.demoStack.info.ca };
    run.fault = await runFault({
      ...{ redis: owned.redis, stack: run.demoStack, target, session: run.demoSession },
      ...{ startAt, downMs: p.faultDownMs, log },
    });
  };
  return phase(run, 'demo', run.demoStack, run.demoTally, p.demoSeconds, during);
}

async function runPhases(run) {
  const p = plan(run.options);
  const demo = [run.demoStack, run.demoTally];
  const bare = [run.bareStack, run.bareTally];
  await phase(run, 'demo warm-up', ...demo, p.warmUpSeconds);
  await phase(run, 'bare warm-up', ...bare, p.warmUpSeconds);
  const first = await phase(run, 'bare', ...bare, p.bareSeconds);
  const main = await demoPhase(run, p);
  const second = await phase(run, 'bare (again)', ...bare, p.bareSeconds);
  run.demoPhase = main;
  run.barePhases = [first, second];
  run.drives = { demo: main.result, bare: mergeDrives(first.result, second.result) };
  run.events = (await run.demoStack.ask('events')) ?? {};
}

function mergeDrives(a, b) {
  const add = (x, y) => ({ ...x, requests: x.requests + y.requests, errors: x.errors + y.errors, timeouts: x.timeouts + y.timeouts });
  return { main: add(a.main, b.main), jobs: add(a.jobs, b.jobs), note: 'latency of the first half; counts of both' };
}

function write(run, report) {
  const stamp = new Date(run.startedAt).toISOString().replace(/[:.]/g, '-');
  mkdirSync(run.options.outDir, { recursive: true });
  const base = join(run.options.outDir, `load-${stamp}`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(`${base}.json`, json);
  writeFileSync(`${base}.svg`, chartOf(run, report));
  if (run.options.jsonFile) {
    mkdirSync(dirname(run.options.jsonFile), { recursive: true });
    writeFileSync(run.options.jsonFile, json);
  }
  return base;
}

function summarise(report, base) {
  const { throughput: t, memory: m, fault: f, outcomes: o } = report;
  const pct = (g) => (g === undefined ? 'n/a' : `${(g * 100).toFixed(1)}%`);
  log(`throughput: demo ${t.demoRps}/s, bare Express ${t.bareRps}/s, ratio ${t.ratio} (goal >= ${t.goal})`);
  log(`latency (demo main mix): p50 ${report.latencyMs.demo.main.latencyMs.p50} ms, p99 ${report.latencyMs.demo.main.latencyMs.p99} ms`);
  log(`answers: ${JSON.stringify(o.demo.totals)}, transport errors ${o.demo.transportErrors}`);
  log(`memory growth: rss ${pct(m.rss.growth)}, heapUsed ${pct(m.heapUsed.growth)} (goal < 10%)`);
  log(`replays: ${f.replays.map((r) => `${r.moment} ${r.status}`).join(', ')}; wrong passwords checked ${f.wrongPasswordsChecked}/${f.wrongPasswordsAllowed}`);
  for (const check of report.checks) log(`${check.pass ? 'PASS' : 'FAIL'} ${check.name}`);
  log(`wrote ${base}.json and ${base}.svg`);
}

async function main() {
  const options = readOptions();
  if (options.help) return void process.stdout.write(USAGE);

  const run = { options, startedAt: Date.now(), phases: [], demoTally: new Tally('demo'), bareTally: new Tally('bare') };
  const hardStop = setTimeout(() => {
    log('hard time limit reached: stopping everything');
    killNow();
    process.exit(1);
  }, (options.durationSeconds * 3 + 180) * 1000);
  try {
    await startStacks(run);
    await runPhases(run);
    const report = buildReport(run);
    await cleanUp();
    summarise(report, write(run, report));
    process.exitCode = report.pass ? 0 : 1;
  } finally {
    clearTimeout(hardStop);
    await cleanUp();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping everything this run started`);
    killNow();
    sleep(200).then(() => process.exit(130));
  });
}

main().catch(async (error) => {
  process.stderr.write(`[load] failed: ${error.stack ?? error}\n`);
  await cleanUp().catch(() => {});
  process.exit(1);
});
