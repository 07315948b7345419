// The fault phase, run beside the load: Redis is killed mid-run and started again; a signed
// job-runner call captured just before is replayed before, during and after; the gateway must
// answer again, by itself, within RECOVERY_LIMIT_MS of Redis coming back.
import { setTimeout as sleep } from 'node:timers/promises';
import { call } from './http.mjs';

/** How long after Redis is back the stores may still refuse (reconnect backoff, max 2 s). */
export const RECOVERY_LIMIT_MS = 5_000;
const PROBE_EVERY_MS = 100;

/**
 * Sends a recorded signed call again, as an attacker who captured it would, straight to the
 * job runner. The runner's `service.rejected` events before and after say why it refused.
 */
async function replay(stack, captured, moment) {
  const before = (await stack.ask('events')) ?? {};
  const answer = await call(captured.url, {
    method: captured.method,
    headers: captured.headers,
    body: captured.body,
    timeoutMs: 5_000,
  }).catch((error) => ({ status: 0, error: error.message }));
  const after = (await stack.ask('events')) ?? {};
  const reasons = Object.keys(after).filter(
    (key) => key.startsWith('service.rejected:ERR_') && after[key] !== before[key],
  );

  return {
    moment,
    status: answer.status,
    accepted: answer.status >= 200 && answer.status < 300,
    tokenAgeMs: Date.now() - captured.at,
    refusedAs: reasons.map((key) => key.slice('service.rejected:'.length)),
  };
}

/** True once a signed call goes through the gateway and the login limiter answers. */
async function healthy(target, session) {
  const headers = { cookie: session.cookie };
  const datasets = await call(`${target.url}/api/datasets`, {
    headers,
    ca: target.ca,
    timeoutMs: 2_000,
  });
  // A malformed login is given back (not a wrong password), but only once the limiter's
  // store has answered: 503 means it still cannot.
  const login = await call(`${target.url}/api/login`, {
    method: 'POST',
    json: { username: 'load-probe', password: 0 },
    ca: target.ca,
    timeoutMs: 2_000,
  });
  return datasets.status === 200 && login.status !== 503;
}

async function waitForRecovery(target, session, resumedAt) {
  while (Date.now() - resumedAt < 2 * RECOVERY_LIMIT_MS) {
    if (await healthy(target, session).catch(() => false)) return Date.now() - resumedAt;
    await sleep(PROBE_EVERY_MS);
  }
  return undefined;
}

/**
 * Kills Redis at `startAt` for `downMs`, replays a captured call around it, and measures the
 * recovery. `stack` is the demo's StackProcess; `target` its URL and CA; `session` the
 * cookie of a session that passed both factors.
 *
 * @example
 * const fault = await runFault({ redis, stack, target, session, startAt, downMs: 3000 });
 * fault.replays.every((r) => !r.accepted); // true
 */
export async function runFault({ redis, stack, target, session, startAt, downMs, log }) {
  await sleep(Math.max(0, startAt - Date.now()));
  const captured = await stack.ask('lastSignedCall');
  if (!captured) throw new Error('fault phase: no signed job-runner call was captured');

  const replays = [await replay(stack, captured, 'before')];
  const stoppedAt = Date.now();
  await redis.stop();
  log(`fault: Redis killed (PID gone), down for ${downMs} ms`);
  await sleep(Math.min(1_000, downMs / 2));
  replays.push(await replay(stack, captured, 'during'));
  await sleep(Math.max(0, stoppedAt + downMs - Date.now()));

  await redis.resume();
  const resumedAt = Date.now();
  log(`fault: Redis restarted (PID ${redis.pid}) on the same port`);
  const recoveryMs = await waitForRecovery(target, session, resumedAt);
  log(`fault: ${recoveryMs === undefined ? 'NOT recovered' : `recovered in ${recoveryMs} ms`}`);
  replays.push(await replay(stack, captured, 'after'));

  const redisPid = redis.pid;
  return { stoppedAt, resumedAt, downMs: resumedAt - stoppedAt, recoveryMs, replays, redisPid };
}

/**
 * A replay without a fault, for `--no-fault` runs: the same check, Redis up throughout.
 *
 * @example
 * const replays = await replayOnly({ stack, startAt });
 */
export async function replayOnly({ stack, startAt }) {
  await sleep(Math.max(0, startAt - Date.now()));
  const captured = await stack.ask('lastSignedCall');
  if (!captured) throw new Error('replay: no signed job-runner call was captured');

  return [await replay(stack, captured, 'no-fault')];
}
