import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import { createJobRunnerApp } from './app.js';
import { type JobRunnerConfig, type JobRunnerOptions, resolveConfig } from './config.js';
import { DatasetCatalog } from './datasets.js';
import { configError } from './errors.js';
import type { JobRunnerEventSink } from './events.js';
import { checkTempRoot, createTempRoot } from './work-dir.js';

/** Options of {@link startJobRunner}: the configuration plus the two seams. */
export interface StartJobRunnerOptions extends JobRunnerOptions {
  /** Verifier of signed internal calls; required to listen beyond loopback. */
  authenticate?: RequestHandler;
  /** Receives security events; defaults to dropping them. */
  onEvent?: JobRunnerEventSink;
}

/** A listening job runner. */
export interface RunningJobRunner {
  /** Base URL, e.g. `http://127.0.0.1:8081`, with the real port when 0 was asked. */
  readonly url: string;
  readonly port: number;
  readonly tempRoot: string;
  readonly config: JobRunnerConfig;
  /** Stops listening, ends open connections and deletes a temporary root it made. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

/**
 * Checks the options, prepares the temporary root and listens.
 *
 * @example
 * const runner = await startJobRunner({ port: 0 });
 * console.log(runner.url);
 * await runner.close();
 */
export async function startJobRunner(
  options: StartJobRunnerOptions = {},
): Promise<RunningJobRunner> {
  const config = resolveConfig(options);
  checkHost(config.host, options.authenticate);
  const catalog = new DatasetCatalog(config.dataDir, config.datasets);
  const tempRoot = config.tempRoot ?? (await createTempRoot());
  await checkTempRoot(tempRoot, config.runAs);

  const app = createJobRunnerApp({ ...options, config, catalog, tempRoot });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const ownsRoot = config.tempRoot === undefined;

  return {
    url: `http://${host}:${port}`,
    port,
    tempRoot,
    config,
    close: () => stop(server, ownsRoot ? tempRoot : undefined),
  };
}

// Jobs run user programs: without a verifier of signed calls, only this machine may submit.
function checkHost(host: string, authenticate: RequestHandler | undefined): void {
  if (authenticate || LOOPBACK.test(host)) return;

  throw configError(
    'host',
    host,
    'must be a loopback address unless an authenticate middleware is given',
    'keep 127.0.0.1 or pass a verifier of signed calls',
  );
}

async function stop(server: Server, tempRoot: string | undefined): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
  if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
}
