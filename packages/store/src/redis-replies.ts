import type {
  ReserveAttemptInput,
  ReserveAttemptResult,
  SettleAttemptInput,
  TakenCounter,
} from './attempt-types.js';

/** ARGV of the reserve script; see RESERVE_ATTEMPT for the layout. */
export function reserveArgs(input: ReserveAttemptInput): string[] {
  const { window } = input;
  const args = [
    String(input.nowMs),
    window ? '1' : '0',
    String(window?.limit ?? 0),
    String(window?.windowMs ?? 0),
    String(input.counters.length),
  ];
  for (const c of input.counters) {
    args.push(String(c.threshold), String(c.waitIncrementMs), String(c.maxWaitMs));
    args.push(String(c.quietPeriodMs), c.exemptKey === undefined ? '0' : '1');
    args.push(c.onLimit === 'flag' ? '1' : '0');
  }
  return args;
}

/** Reads the reserve script's reply back into a result. */
export function reserveReply(reply: number[], counters: number): ReserveAttemptResult {
  const n = reply.map(Number);
  if (n[0] === 0) {
    const window = n[3] === 1 ? { hits: n[4] ?? 0, resetAtMs: n[5] ?? 0 } : undefined;
    const blockedBy = n[1] === -1 ? 'window' : (n[1] ?? 0);
    return { allowed: false, blockedBy, retryAfterMs: n[2] ?? 0, window };
  }

  const window = n[2] === 1 ? { hits: n[3] ?? 0, resetAtMs: n[4] ?? 0 } : undefined;
  const taken: TakenCounter[] = [];
  for (let i = 0; i < counters; i++) {
    const [failures = 0, lockedUntilMs = 0, previousLockedUntilMs = 0] = n.slice(5 + 3 * i);
    taken.push({ failures, lockedUntilMs, previousLockedUntilMs });
  }
  return { allowed: true, flagged: n[1] === 1, window, taken };
}

/** ARGV of the settle script; see SETTLE_ATTEMPT for the layout. */
export function settleArgs(input: SettleAttemptInput): string[] {
  const args = [
    String(input.nowMs),
    input.windowKey === undefined ? '0' : '1',
    input.outcome === 'success' ? '1' : '0',
    String(input.counters.length),
  ];
  for (const c of input.counters) {
    args.push(c.clearOnSuccess ? '1' : '0');
    args.push(String(c.taken.lockedUntilMs), String(c.taken.previousLockedUntilMs));
  }
  args.push(input.mark ? '1' : '0', String(Math.ceil(input.mark?.ttlMs ?? 0)));
  return args;
}
