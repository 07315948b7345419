import type { IncomingMessage } from 'node:http';

/**
 * Removes the `Proxy` request header (httpoxy, CVE-2016-5385 and relatives): CGI-style code
 * maps it to `HTTP_PROXY`, which many HTTP clients then obey, sending the server's outgoing
 * calls through an attacker's proxy. No legitimate client sends it. The raw header list is
 * cleaned too, because some proxies forward `rawHeaders` to the upstream verbatim.
 * Returns whether a header was removed.
 *
 * @example
 * createServer((req, res) => {
 *   removeProxyHeader(req);
 *   forwardToGalaxy(req, res);
 * });
 */
export function removeProxyHeader(req: IncomingMessage): boolean {
  if (req.headers.proxy === undefined) return false;

  delete req.headers.proxy;
  delete req.headersDistinct.proxy;
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === 'proxy') raw.splice(i, 2);
  }
  return true;
}
