// `npm start`: the job runner and the public gateway in one process, on loopback.
// Ports come from GATEWAY_PORT and JOB_RUNNER_PORT (0 picks free ports; the real ones are
// printed). Ctrl-C or SIGTERM closes both servers and deletes the jobs' temporary root.
// The gateway serves HTTPS on GATEWAY_HTTPS_PORT (default 8443, or a free port when
// GATEWAY_PORT is 0) with a certificate made at start; GATEWAY_PORT only redirects to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createServiceIdentity, generateServiceKey, publicJwks } from '@galaxy-harden/service-auth';
import { quote } from '@galaxy-harden/shell-args';
import { createSignedJobClient, jsonLineSink, startGateway } from '@galaxy-harden-examples/gateway';
import { createRunnerAuthentication, startJobRunner } from '@galaxy-harden-examples/job-runner';

function portFromEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
}

function curlLine(url, job, caFile) {
  const json = JSON.stringify(job);
  const ca = `--cacert ${quote(caFile)}`;
  return `curl -sS ${ca} -H 'content-type: application/json' -d ${quote(json)} ${url}/api/jobs`;
}

// Service keys made at start, kept in memory (@galaxy-harden/service-auth): the gateway signs
// each call to the job runner, which refuses anything else (a replayed call included) and
// signs its answers, which the gateway checks.
const gatewayIdentity = await createServiceIdentity('gateway', await generateServiceKey());
const runnerIdentity = await createServiceIdentity('job-runner', await generateServiceKey());
const runnerEvents = jsonLineSink({ service: 'job-runner' });
const gatewayEvents = jsonLineSink({ service: 'gateway' });

const runner = await startJobRunner({
  port: portFromEnv('JOB_RUNNER_PORT', 8081),
  authenticate: await createRunnerAuthentication({
    identity: runnerIdentity,
    gatewayJwks: publicJwks(gatewayIdentity),
    onEvent: runnerEvents,
  }),
  onEvent: runnerEvents,
});
const httpPort = portFromEnv('GATEWAY_PORT', 8080);
const gateway = await startGateway({
  port: portFromEnv('GATEWAY_HTTPS_PORT', httpPort === 0 ? 0 : 8443),
  https: { httpPort },
  jobRunnerUrl: runner.url,
  jobClient: await createSignedJobClient({
    baseUrl: new URL(runner.url),
    timeoutMs: 15_000,
    identity: gatewayIdentity,
    runnerJwks: publicJwks(runnerIdentity),
    onEvent: gatewayEvents,
  }),
  onEvent: gatewayEvents,
});
// The self-signed certificate, so curl can check it instead of skipping the check (-k).
const certDir = mkdtempSync(join(tmpdir(), 'gh-gateway-cert-'));
const caFile = join(certDir, 'gateway-cert.pem');
writeFileSync(caFile, gateway.certificate.cert);

const sedJob = { tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' };
const grepJob = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' };
process.stdout.write(
  [
    `gateway:    ${gateway.httpUrl}/ (redirects to ${gateway.url}/)`,
    `            self-signed certificate, made at start: ${caFile}`,
    `job runner: ${runner.url} (internal, signed calls only; jobs run under ${runner.tempRoot})`,
    '',
    'Try a sed job and a grep job:',
    `  ${curlLine(gateway.url, sedJob, caFile)}`,
    `  ${curlLine(gateway.url, grepJob, caFile)}`,
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
  rmSync(certDir, { recursive: true, force: true });
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
