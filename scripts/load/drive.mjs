// One load slice against one stack: the main route mix and the job stream side by side,
// bounded in time (`seconds`) and in count, and stoppable at any moment.
import autocannon from 'autocannon';
import { jobSequence, mainSequence } from './scenario.mjs';

/** Connections of the job stream: under the job runner's default of 4 jobs at once. */
export const JOB_CONNECTIONS = 2;
// A ceiling on answers per second and connection that no loopback run reaches: the count
// bound never cuts a run short, but it bounds a runaway one.
const MAX_RATE_PER_CONNECTION = 5_000;
const TIMEOUT_SECONDS = 10;

function instance(options, onLatency) {
  let stop = () => {};
  const done = new Promise((resolve, reject) => {
    const running = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    running.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
    stop = () => running.stop();
  });
  return { done, stop: () => stop() };
}

/**
 * autocannon's request, error and timeout counts of one run.
 *
 * @example
 * counts(result); // { requests: 5123, errors: 0, timeouts: 0 }
 */
export function counts(result) {
  return { requests: result.requests.total, errors: result.errors, timeouts: result.timeouts };
}

/**
 * Runs both streams against `target` for `seconds`; `stop()` ends them early. Answers go to
 * `tally.record`, response times (ms) to `tally.latency(stream, ms)`.
 *
 * @example
 * const running = drive({ target, session, tally, seconds: 20, connections: 8 });
 * const { main, jobs } = await running.done; // request, error and timeout counts
 */
export function drive({ target, session, tally, seconds, connections }) {
  const record = (route, status, body) => tally.record(route, status, body);
  const common = {
    url: target.url,
    duration: seconds,
    timeout: TIMEOUT_SECONDS,
    // autocannon never checks the certificate; `ca` says which one the demo serves.
    tlsOptions: target.ca === undefined ? undefined : { ca: target.ca },
  };
  const bound = (n) => Math.ceil(seconds * n * MAX_RATE_PER_CONNECTION);
  const main = instance(
    {
      ...common,
      connections,
      maxOverallRequests: bound(connections),
      requests: mainSequence({ ...session, record }),
    },
    (ms) => tally.latency('main', ms),
  );
  const jobs = instance(
    {
      ...common,
      connections: JOB_CONNECTIONS,
      maxOverallRequests: bound(JOB_CONNECTIONS),
      requests: jobSequence({ ...session, record }),
    },
    (ms) => tally.latency('jobs', ms),
  );

  return {
    done: Promise.all([main.done, jobs.done]).then(([m, j]) => ({
      main: counts(m),
      jobs: counts(j),
    })),
    stop: () => {
      main.stop();
      jobs.stop();
    },
  };
}
