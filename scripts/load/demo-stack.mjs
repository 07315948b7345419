// The demo as `npm start` composes it, with every package on and state in Redis: HTTPS and
// headers, the login limiter and the second factor on a Redis store, and the job runner
// refusing replayed signed calls through another Redis store.
import {
  createServiceFetch,
  createServiceIdentity,
  generateServiceKey,
  publicJwks,
} from '@galaxy-harden/service-auth';
import { createRedisStore } from '@galaxy-harden/store';
import {
  createJobClient,
  gatewayLogin,
  gatewayMfa,
  startGateway,
} from '@galaxy-harden-examples/gateway';
import { createRunnerAuthentication, startJobRunner } from '@galaxy-harden-examples/job-runner';
import { stackUsers } from './visitors.mjs';

const JOB_TIMEOUT_MS = 15_000;

async function redisStore(url, onEvent) {
  const store = createRedisStore({ url, onEvent });
  await store.ready();
  return store;
}

/**
 * Keeps the last signed call to `POST /jobs` that the job runner accepted, as an attacker
 * on the internal network could record it, so the fault phase can replay it.
 */
function recordingFetch() {
  const recorder = { last: undefined };
  recorder.fetch = async (url, init) => {
    const response = await fetch(url, init);
    if (init?.method === 'POST' && response.status === 200) {
      const headers = Object.fromEntries(new Headers(init.headers));
      recorder.last = {
        url: String(url),
        method: 'POST',
        headers,
        body: init.body,
        at: Date.now(),
      };
    }
    return response;
  };
  return recorder;
}

async function startRunner(redisUrl, identities, onEvent) {
  const store = await redisStore(redisUrl, onEvent);
  const authenticate = await createRunnerAuthentication({
    identity: identities.runner,
    gatewayJwks: publicJwks(identities.gateway),
    store,
    onEvent,
  });
  const runner = await startJobRunner({ port: 0, authenticate, onEvent });

  return { runner, store };
}

async function signedJobClient(runner, identities, recorder, onEvent) {
  const signedFetch = await createServiceFetch({
    identity: identities.gateway,
    peer: { name: 'job-runner', algorithms: ['ES256'], jwks: publicJwks(identities.runner) },
    fetch: recorder.fetch,
    onEvent,
  });
  const baseUrl = new URL(runner.url);

  return createJobClient({ baseUrl, timeoutMs: JOB_TIMEOUT_MS, fetch: signedFetch });
}

/**
 * Starts the job runner and the gateway in this process, on free loopback ports.
 *
 * @example
 * const stack = await startDemoStack({ redisUrl, onEvent });
 * stack.info.url; // 'https://127.0.0.1:40123'
 * await stack.close();
 */
export async function startDemoStack({ redisUrl, onEvent }) {
  const identities = {
    gateway: await createServiceIdentity('gateway', await generateServiceKey()),
    runner: await createServiceIdentity('job-runner', await generateServiceKey()),
  };
  const { runner, store: runnerStore } = await startRunner(redisUrl, identities, onEvent);
  const recorder = recordingFetch();
  const jobClient = await signedJobClient(runner, identities, recorder, onEvent);
  const store = await redisStore(redisUrl, onEvent);
  const login = gatewayLogin({ onEvent, store, users: stackUsers() });
  const mfa = gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, store });
  const https = { httpPort: 0 };
  // The load generator stands in for the ingress and names each visitor's address.
  const trustProxy = 'loopback';
  const gateway = await startGateway({
    ...{ port: 0, https, jobRunnerUrl: runner.url, jobRunnerTimeoutMs: JOB_TIMEOUT_MS },
    ...{ jobClient, login, mfa, onEvent, trustProxy },
  });

  return {
    info: {
      kind: 'demo',
      url: gateway.url,
      runnerUrl: runner.url,
      ca: gateway.certificate.cert,
      stores: { login: 'redis', mfa: 'redis', serviceAuth: 'redis' },
    },
    lastSignedCall: () => recorder.last,
    close: async () => {
      await gateway.close();
      await runner.close();
      await Promise.allSettled([store.close(), runnerStore.close()]);
    },
  };
}
