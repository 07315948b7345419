import { optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Options of the plain-HTTP to HTTPS redirect.
 *
 * @example
 * planHttpsRedirect({ allowedHosts: ['usegalaxy.example'], httpsPort: 8443 });
 */
export interface HttpsRedirectOptions {
  /**
   * Host names (no scheme, no port) this site answers to, e.g. `['usegalaxy.example']`.
   * Required: the redirect goes to the listed name, never to what the `Host` header says,
   * so a forged `Host` cannot turn it into an open redirect.
   */
  allowedHosts: readonly string[];
  /** Port of the HTTPS listener, left out of the URL when 443. Defaults to 443. */
  httpsPort?: number;
}

/**
 * Where a plain-HTTP request is sent: status 301 (GET, HEAD) or 308 (others keep the body).
 *
 * @example
 * const target: RedirectTarget | undefined = plan('GET', req.headers.host, req.url);
 */
export interface RedirectTarget {
  status: 301 | 308;
  location: string;
}

/**
 * Computes a request's redirect; `undefined` when its host is not allowed.
 *
 * @example
 * const plan: RedirectPlanner = planHttpsRedirect({ allowedHosts: ['usegalaxy.example'] });
 */
export type RedirectPlanner = (
  method: string,
  host: string | undefined,
  url: string,
) => RedirectTarget | undefined;

/** The option names of {@link HttpsRedirectOptions}. */
export const REDIRECT_OPTION_KEYS = optionNames<HttpsRedirectOptions>({
  allowedHosts: true,
  httpsPort: true,
});

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/**
 * Checks the options and returns the planner behind `httpsRedirect()`.
 *
 * @example
 * const plan = planHttpsRedirect({ allowedHosts: ['galaxy.example'] });
 * plan('POST', 'galaxy.example', '/api/jobs');
 * // { status: 308, location: 'https://galaxy.example/api/jobs' }
 */
export function planHttpsRedirect(options: HttpsRedirectOptions): RedirectPlanner {
  assertKnownKeys('', options, REDIRECT_OPTION_KEYS);
  const hosts = allowedHostSet(options?.allowedHosts);
  const port = options.httpsPort ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw optionError('httpsPort', port, 'it must be a TCP port, 1 to 65535', 'omit it for 443');
  }

  const suffix = port === 443 ? '' : `:${port}`;
  return (method, host, url) => {
    const name = hostName(host);
    if (!hosts.has(name)) return undefined;

    const status = method === 'GET' || method === 'HEAD' ? 301 : 308;
    return { status, location: `https://${name}${suffix}${pathOf(url)}` };
  };
}

function allowedHostSet(hosts: unknown): Set<string> {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw optionError(
      'allowedHosts',
      hosts,
      'it must be a non-empty array of host names',
      "list the names the site answers to, e.g. ['usegalaxy.example']",
    );
  }

  return new Set(hosts.map(checkedHost));
}

function checkedHost(host: unknown): string {
  const name = typeof host === 'string' ? host.toLowerCase() : '';
  if (HOST_NAME.test(name) || IPV6_LITERAL.test(name)) return name;

  throw optionError(
    'allowedHosts',
    host,
    'each entry must be a bare host name or [IPv6] literal, without scheme, port or path',
    "write 'usegalaxy.example', not 'https://usegalaxy.example:443/'",
  );
}

/** The host part of a `Host` header, lower-cased, port and one trailing dot removed. */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';

  const lower = header.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const name = lower.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

// An absolute-form target (`GET http://evil.example/ HTTP/1.1`, RFC 9112 §3.2.2) or `*`
// must not be pasted after the host; only its path and query are kept.
function pathOf(url: string): string {
  if (url.startsWith('/')) return url;

  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return '/';
  }
}
