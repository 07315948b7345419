import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createGatewayApp, type GatewayAppOptions } from './app.js';
import { type GatewayConfig, type GatewayOptions, resolveGatewayConfig } from './config.js';
import { type GatewayCertificate, type GatewayHttpsOptions, listenHttps } from './https.js';

/** Options of {@link startGateway}: the configuration plus the app's optional parts. */
export interface StartGatewayOptions extends GatewayOptions, Omit<GatewayAppOptions, 'config'> {
  /** Serve HTTPS on `port` and redirect plain HTTP from `https.httpPort` to it. */
  https?: GatewayHttpsOptions;
}

/** A listening gateway. */
export interface RunningGateway {
  /** Base URL, e.g. `http://127.0.0.1:8080`, with the real port when 0 was asked. */
  readonly url: string;
  readonly port: number;
  readonly config: GatewayConfig;
  /** With `https`: the redirecting plain-HTTP URL and the certificate served. */
  readonly httpUrl?: string;
  readonly certificate?: GatewayCertificate;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Checks the options and listens.
 *
 * @example
 * const gateway = await startGateway({ port: 0, jobRunnerUrl: runner.url });
 * console.log(gateway.url);
 * await gateway.close();
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const config = resolveGatewayConfig(options);
  const app = createGatewayApp({ ...options, config });
  if (options.https) {
    const { host, port } = config;
    const tls = await listenHttps(app, {
      host,
      port,
      https: options.https,
      onEvent: options.onEvent,
    });
    return { ...tls, config };
  }
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const close = async () => {
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  };

  return { url: `http://${host}:${port}`, port, config, close };
}
