// One load phase against one stack: the main route mix and the job stream, side by side,
// bounded in time (`seconds`) and in count (`maxRequests`), stoppable at any moment.
import autocannon from 'autocannon';
import { jobSequence, mainSequence } from './scenario.mjs';

const JOB_CONNECTIONS = 2;
// A ceiling on answers per second and connection no loopback run reaches, so that the count
// bound never cuts a run short but still bounds a runaway one.
const MAX_RATE_PER_CONNECTION = 5_000;
const TIMEOUT_SECONDS = 10;

function instance(options) {
  let stop = () => {};
  const done = new Promise((resolve, reject) => {
    const running = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    stop = () => running.stop();
  });
  return { done, stop: () => stop() };
}

function summary(result) {
  const { latency } = result;
  return {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      p999: latency.p99_9,
      max: latency.max,
      mean: Number(latency.average.toFixed(2)),
    },
  };
}

/**
 * Runs both streams against `target` for `seconds`; `running.stop()` ends them early.
 *
 * @example
 * const running = drive({ target, session, tally, seconds: 20, connections: 8 });
 * const { main, jobs } = await running.done;
 */
export function drive({ target, session, tally, seconds, connections }) {
  const record = (route, status, body) => tally.record(route, status, body);
  const common = {
    url: target.url,
    duration: seconds,
    timeout: TIMEOUT_SECONDS,
    // autocannon never checks the certificate; `ca` documents which one the demo serves.
    tlsOptions: target.ca === undefined ? undefined : { ca: target.ca },
  };
  const bound = (n) => Math.ceil(seconds * n * MAX_RATE_PER_CONNECTION);
  const main = instance({
    ...common,
    connections,
    maxOverallRequests: bound(connections),
    requests: mainSequence({ ...session, record }),
  });
  const jobs = instance({
    ...common,
    connections: JOB_CONNECTIONS,
    maxOverallRequests: bound(JOB_CONNECTIONS),
    requests: jobSequence({ ...session, record }),
  });

  return {
    done: Promise.all([main.done, jobs.done]).then(([m, j]) => ({ main: summary(m), jobs: summary(j) })),
    stop: () => {
      main.stop();
      jobs.stop();
    },
  };
}
