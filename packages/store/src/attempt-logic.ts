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
 * The few key-value steps the attempt logic needs, on numbers: a counter is
 * `[failures, lockedUntilMs, lastFailureMs]`, a window `[hits, resetAtMs]`, written as text
 * joined by `:` (what `get` returns). The memory store runs this logic directly; the Redis
 * store runs the same steps in Lua (redis-scripts.ts), and the contract suite holds the two
 * to the same answers.
 */
export interface AttemptKv {
  read(key: string): readonly number[] | undefined;
  has(key: string): boolean;
  write(key: string, numbers: number[], ttlMs: number): void;
  /** Replaces the numbers and keeps the key's expiry. */
  rewrite(key: string, numbers: number[]): void;
  remove(key: string): void;
  /** Sets a plain marker value. */
  mark(key: string, ttlMs: number): void;
}

const EMPTY: readonly number[] = [0, 0, 0];

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

  const { counters } = input;
  const scan = scanCounters(kv, counters, now);
  if (scan.blockedBy >= 0) {
    const { blockedBy, retryAfterMs } = scan;
    return { allowed: false, blockedBy, retryAfterMs, window };
  }

  const taken: TakenCounter[] = [];
  for (let i = 0; i < counters.length; i++) {
    taken.push(take(kv, counters[i] as FailureCounterSpec, scan.states[i] ?? EMPTY, now));
  }
  return { allowed: true, flagged: scan.flagged, window, taken };
}

interface CounterScan {
  states: (readonly number[])[];
  /** Index of the counter whose wait runs longest, or -1 when none blocks. */
  blockedBy: number;
  retryAfterMs: number;
  flagged: boolean;
}

// Reads every counter before taking any, so a blocked attempt changes no failure counter.
function scanCounters(
  kv: AttemptKv,
  counters: readonly FailureCounterSpec[],
  now: number,
): CounterScan {
  const scan: CounterScan = { states: [], blockedBy: -1, retryAfterMs: 0, flagged: false };
  for (let i = 0; i < counters.length; i++) {
    const spec = counters[i] as FailureCounterSpec;
    const state = current(kv, spec, now);
    scan.states.push(state);
    const [failures = 0, lockedUntilMs = 0] = state;
    if (spec.exemptKey !== undefined && kv.has(spec.exemptKey)) continue;
    if (spec.onLimit === 'flag') scan.flagged ||= failures >= spec.threshold;
    if (spec.onLimit === 'block' && lockedUntilMs - now > scan.retryAfterMs) {
      scan.blockedBy = i;
      scan.retryAfterMs = lockedUntilMs - now;
    }
  }

  return scan;
}

/** Runs {@link AttemptStore.settleAttempt} over `kv`; the caller makes it atomic. */
export function settleIn(kv: AttemptKv, input: SettleAttemptInput): void {
  if (input.windowKey !== undefined) giveBackHit(kv, input.windowKey, input.nowMs);
  for (const counter of input.counters) {
    if (input.outcome === 'success' && counter.clearOnSuccess) kv.remove(counter.key);
    else giveBack(kv, counter, input.nowMs);
  }
  if (input.outcome === 'success' && input.mark) kv.mark(input.mark.key, input.mark.ttlMs);
}

function hitWindow(kv: AttemptKv, spec: AttemptWindowSpec, now: number): WindowCount {
  const [hits = 0, resetAtMs = 0] = kv.read(spec.key) ?? EMPTY;
  const fresh = !(resetAtMs > now);
  const next = { hits: (fresh ? 0 : hits) + 1, resetAtMs: fresh ? now + spec.windowMs : resetAtMs };
  kv.write(spec.key, [next.hits, next.resetAtMs], next.resetAtMs - now);

  return next;
}

function giveBackHit(kv: AttemptKv, key: string, now: number): void {
  const [hits = 0, resetAtMs = 0] = kv.read(key) ?? EMPTY;
  if (hits > 0 && resetAtMs > now) kv.rewrite(key, [hits - 1, resetAtMs]);
}

// A wait still running is never forgotten, even when the quiet period is shorter than it.
function current(kv: AttemptKv, spec: FailureCounterSpec, now: number): readonly number[] {
  const state = kv.read(spec.key) ?? EMPTY;
  const [, lockedUntilMs = 0, lastFailureMs = 0] = state;
  const quiet = now - lastFailureMs >= spec.quietPeriodMs && lockedUntilMs <= now;

  return quiet ? EMPTY : state;
}

function take(
  kv: AttemptKv,
  spec: FailureCounterSpec,
  state: readonly number[],
  now: number,
): TakenCounter {
  const failures = (state[0] ?? 0) + 1;
  const before = state[1] ?? 0;
  const wait = waitAfter(spec, failures);
  const lockedUntilMs = wait > 0 ? Math.max(before, now + wait) : before;
  const ttlMs = Math.max(spec.quietPeriodMs, lockedUntilMs - now);
  kv.write(spec.key, [failures, lockedUntilMs, now], ttlMs);

  return { failures, lockedUntilMs, previousLockedUntilMs: before };
}

// Gives one failure back. A wait this attempt started is undone only while nothing has
// replaced it since, so a concurrent failure's wait is never lifted.
function giveBack(kv: AttemptKv, counter: SettleCounter, now: number): void {
  const state = kv.read(counter.key);
  if (state === undefined) return;

  const [failures = 0, locked = 0, lastFailureMs = 0] = state;
  const { lockedUntilMs, previousLockedUntilMs } = counter.taken;
  const undo = lockedUntilMs !== previousLockedUntilMs && locked === lockedUntilMs;
  const next = [Math.max(0, failures - 1), undo ? previousLockedUntilMs : locked, lastFailureMs];
  if (next[0] === 0 && (next[1] ?? 0) <= now) kv.remove(counter.key);
  else kv.rewrite(counter.key, next);
}
