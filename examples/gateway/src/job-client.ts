import {
  createServiceFetch,
  type PublicJwks,
  type ServiceAuthEventHandler,
  type ServiceIdentity,
} from '@galaxy-harden/service-auth';
import { GatewayError } from './errors.js';

/** The job runner's answer, relayed as is: its status and its JSON body. */
export interface Relay {
  readonly status: number;
  readonly body: unknown;
}

/** One call about to leave for the job runner, as a request signer sees it. */
export interface OutgoingCall {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** The exact bytes sent, so a signature can bind them. */
  readonly body: string | undefined;
}

/** Returns extra headers for a call, e.g. `authorization: Bearer <signed token>`. */
export type RequestSigner = (call: OutgoingCall) => Promise<Record<string, string>>;

/** Options of {@link createJobClient}. */
export interface JobClientOptions {
  /** Base URL of the job runner. */
  readonly baseUrl: URL;
  /** Abort a call after this many milliseconds. */
  readonly timeoutMs: number;
  /**
   * Seam for signed internal calls: `@galaxy-harden/service-auth` plugs in here with a
   * signer bound to the method, URL and body. Defaults to sending no extra headers.
   */
  readonly sign?: RequestSigner;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** The gateway's only way to reach the job runner. */
export interface JobClient {
  listDatasets(): Promise<Relay>;
  submitJob(job: unknown): Promise<Relay>;
}

/**
 * Calls the job runner over HTTP. A runner that does not answer, or answers with something
 * other than JSON, is `ERR_GATEWAY_UPSTREAM`: the gateway never invents a result.
 *
 * @example
 * const client = createJobClient({ baseUrl: new URL('http://127.0.0.1:8081'), timeoutMs: 5000 });
 * const { status, body } = await client.submitJob({ tool: 'grep', dataset: 'genes.tsv',
 *   pattern: 'chr17' });
 */
export function createJobClient(options: JobClientOptions): JobClient {
  const call = caller(options);

  return {
    listDatasets: () => call({ method: 'GET', url: endpoint(options.baseUrl, 'datasets') }),
    submitJob: (job) =>
      call({
        method: 'POST',
        url: endpoint(options.baseUrl, 'jobs'),
        body: JSON.stringify(job ?? null),
      }),
  };
}

/** Options of {@link createSignedJobClient}. */
export interface SignedJobClientOptions extends Omit<JobClientOptions, 'sign' | 'fetch'> {
  /** The gateway's identity: every call is signed with it. */
  readonly identity: ServiceIdentity;
  /** The job runner's public JWKS: every answer must be signed with one of these keys. */
  readonly runnerJwks: PublicJwks;
  /** Receives `service.response-rejected` events. */
  readonly onEvent?: ServiceAuthEventHandler;
}

/**
 * The job client with `@galaxy-harden/service-auth` plugged in: each call carries a token
 * bound to the method, path, query and body, and an answer not signed by the job runner for
 * that very call is `ERR_GATEWAY_UPSTREAM` (the gateway relays only what the runner said).
 *
 * @example
 * const client = await createSignedJobClient({ baseUrl, timeoutMs: 15_000, identity,
 *   runnerJwks: publicJwks(runnerIdentity) });
 */
export async function createSignedJobClient(options: SignedJobClientOptions): Promise<JobClient> {
  const { identity, runnerJwks, onEvent, ...rest } = options;
  const peer = { name: 'job-runner', algorithms: ['ES256' as const], jwks: runnerJwks };
  const signedFetch = await createServiceFetch({ identity, peer, onEvent });

  // The client only ever passes a URL and a string body, which the signed fetch takes.
  return createJobClient({ ...rest, fetch: signedFetch as typeof fetch });
}

type Call = (call: Omit<OutgoingCall, 'body'> & { body?: string }) => Promise<Relay>;

function caller(options: JobClientOptions): Call {
  const send = options.fetch ?? fetch;
  const sign = options.sign ?? (async () => ({}));

  return async (call) => {
    const outgoing: OutgoingCall = { body: undefined, ...call };
    const headers = { ...(await sign(outgoing)), ...contentType(outgoing) };
    const init = { method: call.method, headers, body: outgoing.body };

    try {
      const response = await send(call.url, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      return { status: response.status, body: await response.json() };
    } catch (cause) {
      throw new GatewayError('ERR_GATEWAY_UPSTREAM', 'the job runner did not answer with JSON', {
        cause,
      });
    }
  };
}

function contentType(call: OutgoingCall): Record<string, string> {
  return call.body === undefined ? {} : { 'content-type': 'application/json' };
}

function endpoint(base: URL, path: string): URL {
  const withSlash = base.pathname.endsWith('/') ? base : new URL(`${base.pathname}/`, base);

  return new URL(path, withSlash);
}
