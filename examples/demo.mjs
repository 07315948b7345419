// `npm start`: the job runner and the public gateway in one process, on loopback.
// Ports come from GATEWAY_PORT and JOB_RUNNER_PORT (0 picks free ports; the real ones are
// printed). Ctrl-C or SIGTERM closes both servers and deletes the jobs' temporary root.

import { quote } from '@galaxy-harden/shell-args';
import { jsonLineSink, startGateway } from '@galaxy-harden-examples/gateway';
import { startJobRunner } from '@galaxy-harden-examples/job-runner';

function portFromEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
}

function curlLine(url, job) {
  const json = JSON.stringify(job);
  return `curl -sS -H 'content-type: application/json' -d ${quote(json)} ${url}/api/jobs`;
}

const runner = await startJobRunner({
  port: portFromEnv('JOB_RUNNER_PORT', 8081),
  onEvent: jsonLineSink({ service: 'job-runner' }),
});
const gateway = await startGateway({
  port: portFromEnv('GATEWAY_PORT', 8080),
  jobRunnerUrl: runner.url,
  onEvent: jsonLineSink({ service: 'gateway' }),
});

const sedJob = { tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' };
const grepJob = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' };
process.stdout.write(
  [
    `gateway:    ${gateway.url}/`,
    `job runner: ${runner.url} (internal; jobs run under ${runner.tempRoot})`,
    '',
    'Try a sed job and a grep job:',
    `  ${curlLine(gateway.url, sedJob)}`,
    `  ${curlLine(gateway.url, grepJob)}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: stopping\n`);
  await gateway.close();
  await runner.close();
  process.stdout.write('stopped\n');
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stop(signal).catch((error) => {
      process.stderr.write(`shutdown failed: ${error.message}\n`);
      process.exitCode = 1;
    });
  });
}
