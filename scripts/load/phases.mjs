// The run, phase by phase: warm-up of each stack until steady, comparison rounds (bare
// Express over HTTPS, bare Express over plain HTTP and the demo in rotating slices, so
// that drift in the machine's load hits all three), then the demo's soak with the fault in the
// middle and the heap weighed before and after.
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './drive.mjs';
import { replayOnly, runFault } from './fault.mjs';
import { call } from './http.mjs';
import { measureRoutes } from './routes.mjs';
import { nextVisitorAddress } from './scenario.mjs';
import { ATTACKED } from './setup-user.mjs';

// Wrong passwords for the attacked account are checked (scrypt, 401) until its account-wide
// limit is reached (30 failures from all addresses), then refused (429) from every address
// it never logged in from. The stacks are compared only once both are there: a warm-up runs
// the mix for WARM_MIX_MS, then an attacker adds wrong passwords in batches, and the
// warm-up ends when the last STEADY_LOGINS wrong-password answers were all 429. Right
// passwords keep passing (each visitor has its own address), so every loop of the mix
// still costs one scrypt run.
const WARM_MIX_MS = 3_000;
const SHORT_WARM_MIX_MS = 1_000;
const ATTACK_BATCH = 10;
const MAX_ATTACK = 400;
const STEADY_LOGINS = 20;
// Jobs and answers still in flight when the load stops settle before the heap is weighed.
const SETTLE_MS = 1_000;

/**
 * The stacks of a run: the demo, bare Express over HTTPS (the goal's baseline: TLS is
 * Node's cost, not a package's) and bare Express over plain HTTP (reported beside it).
 *
 * @example
 * SIDES; // ['demo', 'bare', 'bare-http']
 */
export const SIDES = ['demo', 'bare', 'bare-http'];

/**
 * How many visitor accounts take turns in the mix: enough that, at the rates a two-core
 * machine reaches, each sees a few logins per 30 s step (short runs need fewer).
 *
 * @example
 * visitorCount({ durationSeconds: 30 }); // 100
 */
export function visitorCount({ durationSeconds }) {
  return durationSeconds >= 10 ? 100 : 4;
}

/**
 * Phase lengths from `--duration` (the soak): warm-up limit, comparison rounds and slices,
 * and where the fault falls in the soak.
 *
 * @example
 * plan({ durationSeconds: 20 }); // { rounds: 4, sliceSeconds: 3, soakSeconds: 20, ... }
 */
export function plan({ durationSeconds: d }) {
  const rounds = d >= 12 ? 4 : 2;
  return {
    warmUpSeconds: 30,
    rounds,
    sliceSeconds: Math.max(1, Math.round(d / (2 * rounds))),
    soakSeconds: d,
    faultAtMs: Math.round(d * 400),
    faultDownMs: Math.min(3_000, Math.max(1_000, Math.round(d * 150))),
    routeSeconds: d >= 10 ? 2 : 1,
    routeOrder: d >= 10 ? ['bare', 'demo', 'demo', 'bare'] : ['bare', 'demo'],
  };
}

function steady(tally) {
  const logins = tally.answers.filter((a) => a.phase === 'warm-up' && a.route === 'login-wrong');
  const last = logins.slice(-STEADY_LOGINS);

  return last.length === STEADY_LOGINS && last.every((a) => a.status === 429);
}

/** The attacker: wrong passwords for another account, until its limit is reached. */
async function spendAccountLimit(run, side, from) {
  const { stack, tally } = run[side];
  // From a new address each time, like the mix's visitors: the account-wide limit is the
  // one it spends, and once a whole batch is refused there is nothing left to spend.
  const login = () =>
    call(`${stack.info.url}/api/login`, {
      method: 'POST',
      json: ATTACKED,
      headers: { 'x-forwarded-for': nextVisitorAddress() },
      ca: stack.info.ca,
    }).then((answer) => answer.status);
  const mixMs = run.options.durationSeconds < 10 ? SHORT_WARM_MIX_MS : WARM_MIX_MS;
  await sleep(Math.max(0, from + mixMs - Date.now()));

  let sent = 0;
  let spent = false;
  for (; sent < MAX_ATTACK && !spent && !steady(tally); sent += ATTACK_BATCH) {
    const statuses = await Promise.all(Array.from({ length: ATTACK_BATCH }, login));
    spent = statuses.every((status) => status === 429);
  }
  run.attacks = { ...run.attacks, [side]: sent };
}

function progress(name, stack, tally, seconds, log) {
  const from = Date.now();
  let seen = tally.answers.length;
  return setInterval(() => {
    const rss = Math.round((stack.memory.at(-1)?.rss ?? 0) / 1_048_576);
    const elapsed = Math.round((Date.now() - from) / 1000);
    const answers = tally.answers.length - seen;
    seen = tally.answers.length;
    log(`${name.padEnd(16)} ${elapsed}/${seconds} s  ${answers} answers/s  rss ${rss} MB`);
  }, 1_000);
}

/** One slice of load with a progress line a second; `during` runs beside it. */
async function slice(run, { name, side, phase, seconds, during = async () => {} }) {
  const { stack, tally, session } = run[side];
  tally.phase = phase;
  const target = { url: stack.info.url, ca: stack.info.ca };
  const connections = run.options.connections;
  const from = Date.now();
  const running = drive({ target, session, tally, seconds, connections });
  run.owned.drives.add(running);
  const ticker = progress(name, stack, tally, seconds, run.log);
  let beside = false;
  const besideDone = during(from).finally(() => {
    beside = true;
  });
  besideDone.catch(() => {}); // awaited below; this only keeps it from being "unhandled"
  const watch = setInterval(() => {
    if (phase === 'warm-up' && beside && steady(tally)) running.stop();
  }, 100);
  try {
    tally.countTransport(await running.done);
    // The load's own end: the fault's last replay may finish a moment later.
    const record = { name, side, phase, from, to: Date.now() };
    await besideDone;
    if (phase === 'warm-up') record.steady = steady(tally);
    run.phases.push(record);
    return record;
  } finally {
    clearInterval(ticker);
    clearInterval(watch);
    run.owned.drives.delete(running);
  }
}

async function faultBeside(run, p, from) {
  const startAt = from + p.faultAtMs;
  const stack = run.demo.stack;
  if (!run.options.fault) {
    run.replays = await replayOnly({ stack, startAt });
    return;
  }

  const target = { url: stack.info.url, ca: stack.info.ca };
  const { redis, log } = { redis: run.owned.redis, log: run.log };
  const { session } = run.demo;
  run.fault = await runFault({
    redis,
    stack,
    target,
    session,
    startAt,
    downMs: p.faultDownMs,
    log,
  });
}

/**
 * Runs every phase; what they measured stays on `run` (tallies, phases, fault, heap).
 *
 * @example
 * await runPhases(run); // run.phases, run.fault, run.gcBefore, run.gcAfter
 */
export async function runPhases(run) {
  const p = plan(run.options);
  run.plan = p;
  for (const side of SIDES) {
    const during = (from) => spendAccountLimit(run, side, from);
    const name = `${side} warm-up`;
    await slice(run, { name, side, phase: 'warm-up', seconds: p.warmUpSeconds, during });
  }

  for (let round = 1; round <= p.rounds; round += 1) {
    // Each stack takes each place in the order in turn, so drift in the machine's load is
    // shared out.
    const shift = (round - 1) % SIDES.length;
    const order = [...SIDES.slice(shift), ...SIDES.slice(0, shift)].reverse();
    for (const side of order) {
      const name = `${side} round ${round}/${p.rounds}`;
      await slice(run, { name, side, phase: 'compare', seconds: p.sliceSeconds });
    }
  }

  const routesFrom = Date.now();
  run.routes = await measureRoutes(run, p.routeSeconds, p.routeOrder);
  run.routesWindow = { from: routesFrom, to: Date.now() };

  run.gcBefore = await run.demo.stack.ask('afterFullGc');
  const during = (from) => faultBeside(run, p, from);
  const soakSlice = { name: 'demo soak', side: 'demo', phase: 'soak', seconds: p.soakSeconds };
  run.soak = await slice(run, { ...soakSlice, during });
  await sleep(SETTLE_MS);
  run.gcAfter = await run.demo.stack.ask('afterFullGc');
  run.events = (await run.demo.stack.ask('events')) ?? {};
}
