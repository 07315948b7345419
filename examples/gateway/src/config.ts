import { configError } from './errors.js';

/** Options of the demo gateway. */
export interface GatewayOptions {
  /** Address to listen on; defaults to `'127.0.0.1'`. */
  host?: string;
  /** TCP port; defaults to 8080. `0` picks a free port. */
  port?: number;
  /** Base URL of the job runner, e.g. `http://127.0.0.1:8081`; required. */
  jobRunnerUrl: string;
  /** How long to wait for the job runner, in milliseconds; defaults to 15 000. */
  jobRunnerTimeoutMs?: number;
}

/** Resolved gateway options. */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly jobRunnerUrl: URL;
  readonly jobRunnerTimeoutMs: number;
}

/**
 * Checks the options once, at start-up; a wrong one throws `ERR_GATEWAY_CONFIG` naming the
 * option, the value, the rule and the fix.
 *
 * @example
 * const config = resolveGatewayConfig({ jobRunnerUrl: 'http://127.0.0.1:8081' });
 * config.port; // 8080
 */
export function resolveGatewayConfig(options: GatewayOptions): GatewayConfig {
  return {
    host: host(options.host),
    port: port(options.port),
    jobRunnerUrl: runnerUrl(options.jobRunnerUrl),
    jobRunnerTimeoutMs: timeout(options.jobRunnerTimeoutMs),
  };
}

function host(value: string | undefined): string {
  if (value === undefined) return '127.0.0.1';
  if (typeof value === 'string' && value.length > 0) return value;

  throw configError('host', value, 'must be a non-empty string', 'omit it for 127.0.0.1');
}

function port(value: number | undefined): number {
  if (value === undefined) return 8080;
  if (Number.isInteger(value) && value >= 0 && value <= 65_535) return value;

  throw configError('port', value, 'must be an integer from 0 to 65535', 'use 0 for any port');
}

function runnerUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;

  throw configError(
    'jobRunnerUrl',
    value,
    'must be an http: or https: URL',
    'pass the job runner URL, e.g. http://127.0.0.1:8081',
  );
}

function timeout(value: number | undefined): number {
  if (value === undefined) return 15_000;
  if (Number.isSafeInteger(value) && value > 0) return value;

  throw configError('jobRunnerTimeoutMs', value, 'must be a positive integer', 'omit it');
}
