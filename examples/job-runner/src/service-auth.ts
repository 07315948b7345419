import {
  createServiceVerifier,
  type PublicJwks,
  type ServiceAuthEventHandler,
  type ServiceIdentity,
} from '@galaxy-harden/service-auth';
import { captureRawBody, serviceAuth } from '@galaxy-harden/service-auth/express';
import type { Store } from '@galaxy-harden/store';
import express, { type RequestHandler } from 'express';

/** Options of {@link createRunnerAuthentication}. */
export interface RunnerAuthenticationOptions {
  /** The job runner's own identity: the audience of every call, the signer of answers. */
  readonly identity: ServiceIdentity;
  /** The gateway's public JWKS: the only caller. */
  readonly gatewayJwks: PublicJwks;
  /** Replay store; defaults to memory (one runner process). */
  readonly store?: Store;
  /** Receives `service.*` events. */
  readonly onEvent?: ServiceAuthEventHandler;
}

/**
 * The `authenticate` seam of the job runner: only the gateway's signed calls to
 * `GET /datasets` and `POST /jobs` pass, each once, and every answer is signed. The body is
 * read here (same 16 KiB limit as the jobs route) so the token's body digest can be checked;
 * the route's own parser then finds it done.
 *
 * @example
 * const authenticate = await createRunnerAuthentication({ identity, gatewayJwks });
 * await startJobRunner({ port: 8081, authenticate });
 */
export async function createRunnerAuthentication(
  options: RunnerAuthenticationOptions,
): Promise<RequestHandler> {
  const verifier = await createServiceVerifier({
    identity: options.identity,
    peers: [
      {
        name: 'gateway',
        algorithms: ['ES256'],
        jwks: options.gatewayJwks,
        routes: ['GET /datasets', 'POST /jobs'],
      },
    ],
    store: options.store,
    onEvent: options.onEvent,
  });
  const readBody = express.json({ limit: '16kb', verify: captureRawBody });
  const guard = serviceAuth(verifier);

  return function authenticateGateway(req, res, next) {
    // The token is checked before a JSON error is reported: a caller without one learns
    // nothing about its body. The raw bytes are kept even when the JSON is bad.
    readBody(req, res, (parseError?: unknown) => {
      guard(req, res, (authError?: unknown) => next(authError ?? parseError));
    });
  };
}
