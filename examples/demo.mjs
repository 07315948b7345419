// `npm start`: the job runner and the public gateway in one process, on loopback.
// Ports come from GATEWAY_PORT and JOB_RUNNER_PORT (0 picks free ports; the real ones are
// printed). Ctrl-C or SIGTERM closes both servers and deletes the demo's private directory
// (certificate, the demo authenticator's secret, curl's cookie jar) and the jobs' root.
// The gateway serves HTTPS on GATEWAY_HTTPS_PORT (default 8443, or a free port when
// GATEWAY_PORT is 0) with a certificate made at start; GATEWAY_PORT only redirects to it.
// Counters and one-time markers live in memory, or in Redis when GALAXY_HARDEN_REDIS_URL
// (else REDIS_URL) is set, under GALAXY_HARDEN_REDIS_PREFIX (default gh-demo:).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createServiceIdentity, generateServiceKey, publicJwks } from '@galaxy-harden/service-auth';
import { quote } from '@galaxy-harden/shell-args';
import {
  createSignedJobClient,
  enrolDemoUser,
  gatewayLogin,
  gatewayMfa,
  jsonLineSink,
  openSharedStore,
  sharedStoreSettings,
  startGateway,
} from '@galaxy-harden-examples/gateway';
import { createRunnerAuthentication, startJobRunner } from '@galaxy-harden-examples/job-runner';

const USERS_FILE = new URL('./gateway/data/users.json', import.meta.url);
const CODE_HELPER = fileURLToPath(new URL('./totp-code.mjs', import.meta.url));
// Enrolled at start, so the printed curl lines can pass the second factor; the other users
// set one up themselves at their first login (a QR code to scan).
const ENROLLED_USER = 'ana';

function portFromEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
}

// Service keys made at start, kept in memory (@galaxy-harden/service-auth): the gateway signs
// each call to the job runner, which refuses anything else (a replayed call included, its
// token id remembered in `store`) and signs its answers, which the gateway checks.
async function startRunner(identities, store) {
  const onEvent = jsonLineSink({ service: 'job-runner' });
  const authenticate = await createRunnerAuthentication({
    identity: identities.runner,
    gatewayJwks: publicJwks(identities.gateway),
    store,
    onEvent,
  });
  return startJobRunner({ port: portFromEnv('JOB_RUNNER_PORT', 8081), authenticate, onEvent });
}

// Password login (@galaxy-harden/auth-limit), the second factor (@galaxy-harden/mfa) with
// one user enrolled into `secretFile`, and signed calls to the runner; headers come first.
// The limiter's counters and the second factor's replay and throttle state go to `store`.
async function startPublicGateway(runner, identities, secretFile, store) {
  const onEvent = jsonLineSink({ service: 'gateway' });
  const login = gatewayLogin({ onEvent, store });
  const mfa = gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, store });
  await enrolDemoUser({ mfa: mfa.mfa, userId: ENROLLED_USER, file: secretFile });
  const httpPort = portFromEnv('GATEWAY_PORT', 8080);
  const jobClient = await createSignedJobClient({
    baseUrl: new URL(runner.url),
    timeoutMs: 15_000,
    identity: identities.gateway,
    runnerJwks: publicJwks(identities.runner),
    onEvent,
  });
  return startGateway({
    port: portFromEnv('GATEWAY_HTTPS_PORT', httpPort === 0 ? 0 : 8443),
    https: { httpPort },
    jobRunnerUrl: runner.url,
    jobClient,
    login,
    mfa,
    store,
    onEvent,
  });
}

// The users file is the one the gateway reads; `demoPassword` is there for this banner only.
function loadUsers() {
  const { users } = JSON.parse(readFileSync(USERS_FILE, 'utf8'));
  const enrolled = users.find((user) => user.username === ENROLLED_USER);
  if (enrolled && users.every((user) => typeof user.demoPassword === 'string')) return users;
  const file = fileURLToPath(USERS_FILE);
  throw new Error(`${file}: every user needs a demoPassword, and ${ENROLLED_USER} must exist`);
}

function userLines(users, codeCommand) {
  const note = (user) => {
    if (user.disabled) return 'disabled: the right password gets 403 account_disabled';
    if (user.username === ENROLLED_USER)
      return `second factor set up at start; codes: ${codeCommand}`;
    return 'sets up a second factor at first login (scan the QR code)';
  };
  return users.map((user) => `  ${user.username}  ${user.demoPassword}  ${note(user)}`);
}

// Lines a newcomer pastes, in order; the e2e test runs each through `sh` exactly as printed.
// The code is taken first and sent only if the helper succeeded: inside curl's argument, a
// failed $(...) would send an empty code, answered `invalid_code` and counted as a wrong one.
function curlLines(url, files, user, codeCommand) {
  const curl = `curl -sS -w '\\n' --cacert ${quote(files.ca)}`;
  const jar = quote(files.jar);
  const json = (value) => `-H 'content-type: application/json' -d ${quote(JSON.stringify(value))}`;
  const job = (value) => `${curl} -b ${jar} ${json(value)} ${url}/api/jobs`;
  const credentials = { username: user.username, password: user.demoPassword };
  return [
    `${curl} -c ${jar} ${json(credentials)} ${url}/api/login`,
    `code=$(${codeCommand}) && ${curl} -b ${jar} -c ${jar} -H 'content-type: application/json' ` +
      `-d "{\\"code\\":\\"$code\\"}" ${url}/mfa/api/verify`,
    job({ tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' }),
    job({ tool: 'grep', dataset: 'genes.tsv', pattern: 'chr17' }),
  ];
}

function banner(gateway, runner, files, users, state) {
  const enrolled = users.find((user) => user.username === ENROLLED_USER);
  const codeCommand = `node ${quote(relative(process.cwd(), CODE_HELPER))} ${quote(files.secret)}`;
  return [
    '',
    `Open ${gateway.url}/login in a browser (it warns once: the certificate is self-signed).`,
    `gateway:    ${gateway.httpUrl}/ (redirects to ${gateway.url}/)`,
    `            self-signed certificate, made at start: ${files.ca}`,
    `job runner: ${runner.url} (internal, signed calls only; jobs run under ${runner.tempRoot})`,
    `state:      ${state.where} (limits, second-factor replay, signed-call replay)`,
    '',
    `Demo users (${relative(process.cwd(), fileURLToPath(USERS_FILE))}; demo-only passwords):`,
    ...userLines(users, codeCommand),
    '',
    `From a shell: log in as ${ENROLLED_USER}, pass the second factor, run a sed and a grep job:`,
    ...curlLines(gateway.url, files, enrolled, codeCommand).map((line) => `  ${line}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

// One private directory (0700, from mkdtemp) for what only this demo may read: the TOTP
// secret of the enrolled user (0600), the certificate, and curl's cookie jar.
const users = loadUsers();
const privateDir = mkdtempSync(join(tmpdir(), 'gh-demo-'));
const files = {
  ca: join(privateDir, 'gateway-cert.pem'),
  secret: join(privateDir, `${ENROLLED_USER}.totp`),
  jar: join(privateDir, 'cookies.txt'),
};
const identities = {
  gateway: await createServiceIdentity('gateway', await generateServiceKey()),
  runner: await createServiceIdentity('job-runner', await generateServiceKey()),
};
let state;
let runner;
let gateway;
try {
  const onEvent = jsonLineSink({ service: 'store' });
  state = await openSharedStore({ ...sharedStoreSettings(process.env), onEvent });
  runner = await startRunner(identities, state.store);
  gateway = await startPublicGateway(runner, identities, files.secret, state.store);
} catch (error) {
  await runner?.close();
  await state?.store.close();
  rmSync(privateDir, { recursive: true, force: true });
  throw error;
}
writeFileSync(files.ca, gateway.certificate.cert);
process.stdout.write(banner(gateway, runner, files, users, state));

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: stopping\n`);
  await gateway.close();
  await runner.close();
  await state.store.close();
  rmSync(privateDir, { recursive: true, force: true });
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
