import type {
  AttemptWindowSpec,
  FailureCounterSpec,
  ReserveAttemptInput,
  ReserveAttemptResult,
  SettleAttemptInput,
  SettleCounter,
  TakenCounter,
  WindowCount,
} from './attempt-types.js';

/**
 * The few key-value steps the attempt logic needs. The memory store runs this logic
 * directly; the Redis store runs the same steps in Lua (redis-scripts.ts), and the contract
 * suite holds the two to the same answers.
 */
export interface AttemptKv {
  read(key: string): string | undefined;
  write(key: string, value: string, ttlMs: number): void;
  /** Replaces the value and keeps the key's expiry. */
  rewrite(key: string, value: string): void;
  remove(key: string): void;
}

interface CounterState {
  failures: number;
  lockedUntilMs: number;
  lastFailureMs: number;
}

const EMPTY: CounterState = { failures: 0, lockedUntilMs: 0, lastFailureMs: 0 };

/** Counter values are `failures:lockedUntilMs:lastFailureMs`, the same text in both stores. */
export function encodeCounter(state: CounterState): string {
  return `${state.failures}:${state.lockedUntilMs}:${state.lastFailureMs}`;
}

function decodeCounter(raw: string | undefined): CounterState {
  if (raw === undefined) return EMPTY;

  const [failures, lockedUntilMs, lastFailureMs] = raw.split(':').map(Number);
  return {
    failures: failures || 0,
    lockedUntilMs: lockedUntilMs || 0,
    lastFailureMs: lastFailureMs || 0,
  };
}

/** The wait after `failures` failures: one increment per `threshold` failures, capped. */
export function waitAfter(spec: FailureCounterSpec, failures: number): number {
  if (failures < spec.threshold) return 0;

  return Math.min(spec.maxWaitMs, spec.waitIncrementMs * Math.floor(failures / spec.threshold));
}

/** Runs {@link AttemptStore.reserveAttempt} over `kv`; the caller makes it atomic. */
export function reserveIn(kv: AttemptKv, input: ReserveAttemptInput): ReserveAttemptResult {
  const now = input.nowMs;
  const window = input.window ? hitWindow(kv, input.window, now) : undefined;
  if (window && input.window && window.hits > input.window.limit) {
    return { allowed: false, blockedBy: 'window', retryAfterMs: window.resetAtMs - now, window };
  }

  const states = input.counters.map((spec) => current(kv, spec, now));
  let blockedBy = -1;
  let retryAfterMs = 0;
  let flagged = false;
  input.counters.forEach((spec, i) => {
    const state = states[i] ?? EMPTY;
    if (spec.exemptKey !== undefined && kv.read(spec.exemptKey) !== undefined) return;
    if (spec.onLimit === 'flag') flagged ||= state.failures >= spec.threshold;
    if (spec.onLimit === 'block' && state.lockedUntilMs - now > retryAfterMs) {
      blockedBy = i;
      retryAfterMs = state.lockedUntilMs - now;
    }
  });
  if (blockedBy >= 0) return { allowed: false, blockedBy, retryAfterMs, window };

  const taken = input.counters.map((spec, i) => take(kv, spec, states[i] ?? EMPTY, now));
  return { allowed: true, flagged, window, taken };
}

/** Runs {@link AttemptStore.settleAttempt} over `kv`; the caller makes it atomic. */
export function settleIn(kv: AttemptKv, input: SettleAttemptInput): void {
  if (input.windowKey !== undefined) giveBackHit(kv, input.windowKey, input.nowMs);
  for (const counter of input.counters) {
    if (input.outcome === 'success' && counter.clearOnSuccess) kv.remove(counter.key);
    else giveBack(kv, counter, input.nowMs);
  }
  if (input.outcome === 'success' && input.mark) kv.write(input.mark.key, '1', input.mark.ttlMs);
}

function hitWindow(kv: AttemptKv, spec: AttemptWindowSpec, now: number): WindowCount {
  const [hits = 0, resetAtMs = 0] = (kv.read(spec.key) ?? '0:0').split(':').map(Number);
  const fresh = !(resetAtMs > now);
  const next = { hits: (fresh ? 0 : hits) + 1, resetAtMs: fresh ? now + spec.windowMs : resetAtMs };
  kv.write(spec.key, `${next.hits}:${next.resetAtMs}`, next.resetAtMs - now);

  return next;
}

function giveBackHit(kv: AttemptKv, key: string, now: number): void {
  const raw = kv.read(key);
  if (raw === undefined) return;

  const [hits = 0, resetAtMs = 0] = raw.split(':').map(Number);
  if (hits > 0 && resetAtMs > now) kv.rewrite(key, `${hits - 1}:${resetAtMs}`);
}

// A wait still running is never forgotten, even when the quiet period is shorter than it.
function current(kv: AttemptKv, spec: FailureCounterSpec, now: number): CounterState {
  const state = decodeCounter(kv.read(spec.key));
  const quiet = now - state.lastFailureMs >= spec.quietPeriodMs && state.lockedUntilMs <= now;

  return quiet ? EMPTY : state;
}

function take(kv: AttemptKv, spec: FailureCounterSpec, state: CounterState, now: number) {
  const failures = state.failures + 1;
  const wait = waitAfter(spec, failures);
  const lockedUntilMs = wait > 0 ? Math.max(state.lockedUntilMs, now + wait) : state.lockedUntilMs;
  const ttlMs = Math.max(spec.quietPeriodMs, lockedUntilMs - now);
  kv.write(spec.key, encodeCounter({ failures, lockedUntilMs, lastFailureMs: now }), ttlMs);

  const taken: TakenCounter = {
    failures,
    lockedUntilMs,
    previousLockedUntilMs: state.lockedUntilMs,
  };
  return taken;
}

// Gives one failure back. A wait this attempt started is undone only while nothing has
// replaced it since, so a concurrent failure's wait is never lifted.
function giveBack(kv: AttemptKv, counter: SettleCounter, now: number): void {
  const raw = kv.read(counter.key);
  if (raw === undefined) return;

  const state = decodeCounter(raw);
  const { lockedUntilMs, previousLockedUntilMs } = counter.taken;
  const undo = lockedUntilMs !== previousLockedUntilMs && state.lockedUntilMs === lockedUntilMs;
  const next = {
    failures: Math.max(0, state.failures - 1),
    lockedUntilMs: undo ? previousLockedUntilMs : state.lockedUntilMs,
    lastFailureMs: state.lastFailureMs,
  };
  if (next.failures === 0 && next.lockedUntilMs <= now) kv.remove(counter.key);
  else kv.rewrite(counter.key, encodeCounter(next));
}
