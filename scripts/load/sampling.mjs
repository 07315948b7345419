// Every answer of the load, kept as (time, route, status, body looked right), classified
// once the fault window is known; throughput per second; memory growth.
import { ROUTES } from './scenario.mjs';

const ROUTE_NAMES = Object.keys(ROUTES);

/**
 * The answers of one stack, phase by phase (`warm-up`, `compare`, `soak`): each answer, the
 * response times of each stream, and autocannon's transport error counts.
 *
 * @example
 * const tally = new Tally('demo');
 * tally.phase = 'soak';
 * tally.record('page', 200, '<main>...');
 */
export class Tally {
  constructor(name) {
    this.name = name;
    this.phase = 'warm-up';
    this.answers = [];
    this.latencies = {};
    this.transport = {};
  }

  record(route, status, body) {
    const looksRight = !ROUTES[route].ok.includes(status) || ROUTES[route].looksRight(body ?? '');
    this.answers.push({ at: Date.now(), route, status, looksRight, phase: this.phase });
  }

  latency(stream, ms) {
    const key = `${this.phase}:${stream}`;
    if (!this.latencies[key]) this.latencies[key] = [];
    this.latencies[key].push(ms);
  }

  /** Adds autocannon's counts of connection errors and timeouts of one slice. */
  countTransport(result) {
    if (!this.transport[this.phase]) {
      this.transport[this.phase] = { requests: 0, errors: 0, timeouts: 0 };
    }
    const sum = this.transport[this.phase];
    for (const stream of [result.main, result.jobs]) {
      for (const key of Object.keys(sum)) sum[key] += stream[key];
    }
  }

  in(phase) {
    return this.answers.filter((answer) => answer.phase === phase);
  }
}

/**
 * Percentiles of response times in milliseconds.
 *
 * @example
 * percentiles([3, 1, 2]); // { count: 3, p50: 2, ..., max: 3 }
 */
export function percentiles(values = []) {
  const sorted = Float64Array.from(values).sort();
  const round = (ms) => Number(ms.toFixed(2));
  const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  if (sorted.length === 0) return { count: 0 };

  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: round(sorted[sorted.length - 1]),
    mean: round(mean),
  };
}

/**
 * What one answer was: `ok`, `refused` (an expected security refusal), `failClosed` (a
 * refusal while Redis was away, inside `window`), or `error`.
 *
 * @example
 * verdict({ route: 'login-wrong', status: 429, looksRight: true, at }, undefined); // 'refused'
 */
export function verdict(answer, window) {
  const route = ROUTES[answer.route];
  if (route.ok.includes(answer.status)) return answer.looksRight ? 'ok' : 'error';
  if (route.refused.includes(answer.status)) return 'refused';
  const inWindow = window !== undefined && answer.at >= window.from && answer.at <= window.to;

  return inWindow && route.failClosed.includes(answer.status) ? 'failClosed' : 'error';
}

/**
 * Answers by route and verdict, with the status codes seen, and a few error examples.
 *
 * @example
 * outcomes(tally.in('main'), faultWindow).totals.error; // 0
 */
export function outcomes(answers, window) {
  const totals = { answers: answers.length, ok: 0, refused: 0, failClosed: 0, error: 0 };
  const byRoute = {};
  const examples = [];
  for (const answer of answers) {
    const kind = verdict(answer, window);
    if (!byRoute[answer.route]) {
      byRoute[answer.route] = { ok: 0, refused: 0, failClosed: 0, error: 0, statuses: {} };
    }
    const route = byRoute[answer.route];
    route[kind] += 1;
    route.statuses[answer.status] = (route.statuses[answer.status] ?? 0) + 1;
    totals[kind] += 1;
    if (kind === 'error' && examples.length < 10) examples.push(answer);
  }
  const ordered = Object.fromEntries(
    ROUTE_NAMES.filter((n) => byRoute[n]).map((n) => [n, byRoute[n]]),
  );
  return { totals, byRoute: ordered, errorExamples: examples };
}

/**
 * Answers per second from `from` for `seconds` whole seconds.
 *
 * @example
 * perSecond(answers, start, 20); // [812, 905, ...]
 */
export function perSecond(answers, from, seconds) {
  const counts = new Array(Math.max(0, seconds)).fill(0);
  for (const { at } of answers) {
    const index = Math.floor((at - from) / 1000);
    if (index >= 0 && index < counts.length) counts[index] += 1;
  }
  return counts;
}

/**
 * Answers per second over `[from, to)` leaving out the time inside `skip` (the fault).
 *
 * @example
 * rate(answers, start, end, { from: stopAt, to: recoveredAt }); // 874.2
 */
export function rate(answers, from, to, skip) {
  const skipped = skip ? Math.max(0, Math.min(to, skip.to) - Math.max(from, skip.from)) : 0;
  const inside = (at) => at >= from && at < to && !(skip && at >= skip.from && at <= skip.to);
  const count = answers.filter((answer) => inside(answer.at)).length;
  const seconds = (to - from - skipped) / 1000;

  return seconds > 0 ? count / seconds : 0;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Memory growth between the first and the last `windowMs` of `[from, to]`, on the median of
 * the 250 ms samples in each (one garbage collection does not decide it).
 *
 * @example
 * memoryGrowth(samples, start, end, 2000).rss.growth; // 0.031 (3.1 %)
 */
export function memoryGrowth(samples, from, to, windowMs) {
  const within = (a, b) => samples.filter((s) => s.at >= a && s.at <= b);
  const first = within(from, from + windowMs);
  const last = within(to - windowMs, to);
  const growthOf = (field) => {
    const start = median(first.map((s) => s[field]));
    const end = median(last.map((s) => s[field]));
    const growth = start && end !== undefined ? end / start - 1 : undefined;
    return { start, end, growth };
  };

  return {
    rss: growthOf('rss'),
    heapUsed: growthOf('heapUsed'),
    samples: first.length + last.length,
  };
}
