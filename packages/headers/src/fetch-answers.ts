import { request } from 'node:https';
import type { HttpAnswer } from './audit.js';
import { HeadersError, optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Options of {@link fetchAnswers}.
 *
 * @example
 * await fetchAnswers('https://127.0.0.1:8443/', { insecure: true } satisfies FetchAnswersOptions);
 */
export interface FetchAnswersOptions {
  /**
   * Accept any TLS certificate (self-signed test servers). Defaults to `false`. Such answers
   * go through `node:https`, since Node's built-in fetch takes no per-call TLS options.
   */
  insecure?: boolean;
  /** Redirects to follow before giving up. Defaults to 10. */
  maxRedirects?: number;
  /**
   * Time allowed for each answer's status line and headers, from connecting to the last
   * header byte, however slowly a server drips them. Defaults to 10000 ms. Bodies are not
   * read.
   */
  timeoutMs?: number;
}

const FETCH_OPTION_KEYS = optionNames<FetchAnswersOptions>({
  insecure: true,
  maxRedirects: true,
  timeoutMs: true,
});

/**
 * The answers met from a URL to its final page, and why following stopped early, if it did.
 *
 * @example
 * const { answers, stopped }: AnswerChain = await fetchAnswers('http://usegalaxy.example/');
 */
export interface AnswerChain {
  answers: Array<HttpAnswer & { headers: Array<[string, string]> }>;
  stopped?: { reason: 'other-host' | 'not-http' | 'too-many-redirects'; message: string };
}

/**
 * GETs `url` and follows its redirects one hop at a time, so every hop can be audited.
 * Redirects to another host or to a scheme other than http(s) (`file:`, `ftp:`,
 * `javascript:`) are recorded but not followed. Every wait is bounded: at most
 * `maxRedirects + 1` answers of `timeoutMs` each.
 *
 * @example
 * const { answers } = await fetchAnswers('http://usegalaxy.example/');
 * const findings = answers.map((answer) => auditHeaders(answer));
 */
export async function fetchAnswers(
  url: string,
  options: FetchAnswersOptions = {},
): Promise<AnswerChain> {
  const checked = checkFetchOptions(options);
  const answers: AnswerChain['answers'] = [];
  let current = new URL(url);
  for (let hop = 0; hop <= checked.maxRedirects; hop++) {
    const answer = await fetchOne(current, checked);
    answers.push(answer);
    const location = answer.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
    if (answer.status < 300 || answer.status >= 400 || location === undefined) return { answers };

    const next = nextHop(location, current);
    if (!(next instanceof URL)) return { answers, stopped: next };
    current = next;
  }
  return { answers, stopped: { reason: 'too-many-redirects', message: 'too many redirects' } };
}

type Stop = NonNullable<AnswerChain['stopped']>;

function nextHop(location: string, current: URL): URL | Stop {
  const next = URL.canParse(location, current.href) ? new URL(location, current) : null;
  if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
    const scheme = next?.protocol ?? 'an unparsable URL';
    return { reason: 'not-http', message: `redirect to ${scheme}, not http(s), not followed` };
  }
  if (next.hostname !== current.hostname) {
    return {
      reason: 'other-host',
      message: `redirect to another host (${next.host}) not followed`,
    };
  }
  return next;
}

interface CheckedOptions {
  insecure: boolean;
  maxRedirects: number;
  timeoutMs: number;
}

function checkFetchOptions(options: FetchAnswersOptions): CheckedOptions {
  assertKnownKeys('', options, FETCH_OPTION_KEYS);
  const { insecure = false, maxRedirects = 10, timeoutMs = 10_000 } = options;
  if (typeof insecure !== 'boolean') {
    throw optionError('insecure', insecure, 'it must be a boolean', 'pass true or false');
  }
  if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0) {
    throw optionError('maxRedirects', maxRedirects, 'it must be a whole number', 'e.g. 10');
  }
  // Node's timers fire at once for a delay past 2^31 - 1 ms, which would be no wait at all.
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw optionError('timeoutMs', timeoutMs, 'it must be 1 to 2147483647 ms', 'e.g. 10000');
  }
  return { insecure, maxRedirects, timeoutMs };
}

async function fetchOne(url: URL, options: CheckedOptions) {
  const timeoutMs = options.timeoutMs;
  try {
    if (options.insecure && url.protocol === 'https:') return await insecureGet(url, timeoutMs);
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { url: url.href, status: res.status, headers: [...res.headers] };
  } catch (err) {
    throw new HeadersError('ERR_HEADERS_FETCH', `cannot fetch ${url.href}: ${reason(err)}`, {
      cause: err,
    });
  }
}

// node:https's `timeout` option only fires after that long with no byte at all, so a server
// dripping one header line a second would hold it forever: one timer bounds the whole wait.
// The body is never read: the socket is destroyed once the headers are in, or an endless
// body would keep the process alive after the audit printed.
function insecureGet(url: URL, timeoutMs: number) {
  return new Promise<AnswerChain['answers'][number]>((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      clearTimeout(timer);
      const raw = res.rawHeaders;
      const headers: Array<[string, string]> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
      res.destroy();
      resolve({ url: url.href, status: res.statusCode ?? 0, headers });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return cause ?? (err as Error).message ?? String(err);
}
