#!/usr/bin/env node
// `npm run load`: the demo with every package on (HTTPS, headers, login limiter, second
// factor, signed internal calls, Redis stores) under a route mix from autocannon on loopback,
// compared with bare Express serving the same routes in the same run, over HTTPS with the
// same kind of certificate (the goal's baseline) and over plain HTTP (reported beside it);
// then a soak of the demo with Redis killed mid-run and started again. Writes
// load-<timestamp>.{json,svg} to bench-results/ (or --out). Everything it starts it stops, by PID
// or handle, also on failure and Ctrl-C. See scripts/load/README.md.
//
//   npm run load -- [--duration SECONDS] [--connections N] [--no-fault] [--out DIR] [--json FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkOutputs, LoadOptionError, parseLoadOptions, USAGE } from './load/options.mjs';
import { runPhases, SIDES, visitorCount } from './load/phases.mjs';
import { freePort, PERSISTENCE, PrivateRedis, redisServerInstalled } from './load/redis.mjs';
import { buildReport, chartOf, summaryLines } from './load/report.mjs';
import { Tally } from './load/sampling.mjs';
import { enrolUser } from './load/setup-user.mjs';
import { StackProcess } from './load/stack-process.mjs';
import { enrolVisitors, makeVisitors } from './load/visitors.mjs';

const log = (line) => process.stdout.write(`[load] ${line}\n`);

/** Everything this run started: stopped by handle or PID on success, failure and Ctrl-C. */
const owned = { redis: undefined, stacks: [], drives: new Set(), visitors: undefined };

async function cleanUp() {
  for (const running of owned.drives) running.stop();
  await Promise.allSettled(owned.stacks.map((stack) => stack.stop()));
  await owned.redis?.close();
  owned.visitors?.remove();
}

function killNow() {
  for (const running of owned.drives) running.stop();
  for (const stack of owned.stacks) stack.kill();
  owned.redis?.kill();
  owned.visitors?.remove();
}

function readOptions() {
  try {
    const options = parseLoadOptions(process.argv.slice(2));
    if (!options.help) checkOutputs(options);
    return options;
  } catch (error) {
    const known = error instanceof LoadOptionError || String(error?.code).startsWith('ERR_PARSE');
    if (!known) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function startSide(run, kind, lifetimeMs) {
  const track = (child) => owned.stacks.push(child);
  const { url: redisUrl } = owned.redis;
  const { file: usersFile } = owned.visitors;
  const { profileDir } = run.options;
  const options = { redisUrl, usersFile, profileDir, lifetimeMs, track };
  const stack = await StackProcess.start(kind, options);
  log(`${kind} stack PID ${stack.pid} on ${stack.info.url}`);
  const { ca: _certificate, ...info } = stack.info;
  run[kind] = { stack, info, tally: new Tally(kind) };
  const session = await enrolUser(stack.info);
  run[kind].session = {
    ...session,
    visitors: await enrolVisitors(stack.info, owned.visitors.users),
  };
}

async function startStacks(run) {
  if (!redisServerInstalled()) throw new Error('redis-server is not on the PATH');

  owned.redis = new PrivateRedis(await freePort());
  await owned.redis.resume();
  run.redisInfo = { url: owned.redis.url, pid: owned.redis.pid, options: PERSISTENCE.join(' ') };
  log(`redis-server PID ${owned.redis.pid} on ${owned.redis.url}`);
  owned.visitors = await makeVisitors(visitorCount(run.options));
  const lifetimeMs = (run.options.durationSeconds * 4 + 180) * 1000;
  const started = await Promise.allSettled(SIDES.map((kind) => startSide(run, kind, lifetimeMs)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const visitors = owned.visitors.users.length;
  log(
    `ana and ${visitors} visitor accounts logged in and enrolled an authenticator, on every stack`,
  );
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

async function main() {
  const options = readOptions();
  if (options.help) return void process.stdout.write(USAGE);
  if (!redisServerInstalled()) {
    process.stderr.write(
      'npm run load: redis-server is not on the PATH; install it (apt-get install ' +
        'redis-server) or add its folder to PATH. Nothing was started.\n',
    );
    process.exit(1);
  }

  const run = { options, log, owned, startedAt: Date.now(), phases: [] };
  // Every phase has its own time limit; this one catches anything they did not foresee.
  const hardStop = setTimeout(
    () => {
      log('hard time limit reached: stopping everything');
      killNow();
      process.exit(1);
    },
    (options.durationSeconds * 4 + 240) * 1000,
  );
  try {
    await startStacks(run);
    await runPhases(run);
    const report = buildReport(run);
    await cleanUp();
    // The summary first: should writing fail after all (a full disk), it is not lost.
    for (const line of summaryLines(report)) log(line);
    const base = write(run, report);
    log(`wrote ${base}.json and ${base}.svg`);
    if (options.profileDir) log(`CPU profiles of the stacks in ${options.profileDir}`);
    process.exitCode = report.pass ? 0 : 1;
  } finally {
    clearTimeout(hardStop);
    await cleanUp();
  }
}

// A second Ctrl-C while stopping must not cut the clean-up short: it is ignored.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping everything this run started`);
    killNow();
    setTimeout(() => process.exit(130), 200);
  });
}

// An uncaught error or a process.exit() anywhere: kill what is still running, by PID, rather
// than leave a redis-server behind (the stacks also go when their IPC channel closes).
process.on('exit', () => killNow());

main().catch(async (error) => {
  // Killing the stacks on Ctrl-C fails whatever was talking to them: not worth a stack trace.
  if (interrupted) return;
  process.stderr.write(`[load] failed: ${error.stack ?? error}\n`);
  await cleanUp().catch(() => {});
  process.exit(1);
});
