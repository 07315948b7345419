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
  /**
   * The reverse proxies in front of the gateway whose `X-Forwarded-For` is believed, in
   * Express's `trust proxy` syntax (`'loopback'`, `'10.0.0.0/8'`, a list of them); defaults
   * to none. Behind a Kubernetes ingress, name the ingress: otherwise every client has the
   * ingress's address and one attacker spends the per-address login limit of all. `true`
   * (any sender) is refused: anyone could then pick the address the limiter counts.
   */
  trustProxy?: string | readonly string[];
}

/** Resolved gateway options. */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly jobRunnerUrl: URL;
  readonly jobRunnerTimeoutMs: number;
  /** Express's `trust proxy` value; `false` when no proxy is named. */
  readonly trustProxy: false | string | readonly string[];
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
    trustProxy: proxies(options.trustProxy),
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

function proxies(
  value: string | readonly string[] | undefined,
): false | string | readonly string[] {
  if (value === undefined) return false;
  const list = typeof value === 'string' ? [value] : value;
  const named = (entry: unknown) => typeof entry === 'string' && entry.trim() !== '';
  if (Array.isArray(list) && list.length > 0 && list.every(named)) return value;

  throw configError(
    'trustProxy',
    value,
    'must name the proxies in front: a non-empty string or list of strings',
    "e.g. 'loopback' or ['10.0.0.0/8']; omit it when clients connect directly",
  );
}
