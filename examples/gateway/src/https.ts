import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  httpsRedirect,
  securityErrorHandler,
  securityHeaders,
} from '@galaxy-harden/headers/express';
import express, { type Express } from 'express';
import { generate } from 'selfsigned';
import type { EventSink } from './events.js';

/** A PEM certificate chain and its private key. */
export interface GatewayCertificate {
  readonly cert: string;
  readonly key: string;
}

/** HTTPS for the gateway: the TLS listener plus a plain-HTTP one that only redirects. */
export interface GatewayHttpsOptions {
  /** Port of the redirecting plain-HTTP listener; `0` picks a free one. Default 8080. */
  httpPort?: number;
  /** Certificate to serve; default: a self-signed one made at start for the host. */
  certificate?: GatewayCertificate;
}

/** The two listening servers. */
export interface HttpsListeners {
  readonly url: string;
  readonly port: number;
  readonly httpUrl: string;
  readonly certificate: GatewayCertificate;
  close(): Promise<void>;
}

/**
 * A self-signed certificate (P-256, valid 30 days) for `host` and `localhost`, made at
 * start so the demo needs no files; browsers warn about it, `curl --cacert` accepts it.
 *
 * @example
 * const { cert, key } = await generateCertificate('127.0.0.1');
 */
export async function generateCertificate(host: string): Promise<GatewayCertificate> {
  const ip = /^[\d.]+$/.test(host) || host.includes(':');
  const altNames: Array<{ type: 2 | 7; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    ip ? { type: 7, ip: host } : { type: 2, value: host },
  ];

  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Serves `app` over HTTPS on `host:port`, and on `httpPort` a small app that sends every
 * plain-HTTP request to it (301 for GET/HEAD, 308 otherwise) with the headers set.
 *
 * @example
 * const listeners = await listenHttps(app, { host: '127.0.0.1', port: 8443, https: {} });
 */
export async function listenHttps(
  app: Express,
  options: { host: string; port: number; https: GatewayHttpsOptions; onEvent?: EventSink },
): Promise<HttpsListeners> {
  const certificate = options.https.certificate ?? (await generateCertificate(options.host));
  const tls = createHttpsServer(certificate, app);
  const port = await listen(tls, options.host, options.port);
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const plain = createHttpServer(redirectApp(hostInUrl, port, options.onEvent));
  const httpPort = await listen(plain, options.host, options.https.httpPort ?? 8080);

  return {
    url: `https://${hostInUrl}:${port}`,
    port,
    httpUrl: `http://${hostInUrl}:${httpPort}`,
    certificate,
    close: async () => {
      await Promise.all([stop(tls), stop(plain)]);
    },
  };
}

function redirectApp(host: string, httpsPort: number, onEvent: EventSink | undefined): Express {
  const app = express();
  app.disable('x-powered-by');
  const headers = securityHeaders({ onEvent });
  app.use(headers);
  app.use(httpsRedirect({ allowedHosts: [host, 'localhost'], httpsPort, onEvent }));
  // A Host outside the list arrives here as a 400; without this, Express's default handler
  // would answer it with the error's stack trace whenever NODE_ENV is not 'production'.
  app.use(securityErrorHandler(headers));
  return app;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function stop(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}
