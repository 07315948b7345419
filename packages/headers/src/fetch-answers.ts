import { request } from 'node:https';
import type { HttpAnswer } from './audit.js';
import { HeadersError } from './errors.js';

/** Options of {@link fetchAnswers}. */
export interface FetchAnswersOptions {
  /**
   * Accept any TLS certificate (self-signed test servers). Default `false`. Such answers go
   * through `node:https`, since Node's built-in fetch takes no per-call TLS options.
   */
  insecure?: boolean;
  /** Redirects to follow before giving up. Default 10. */
  maxRedirects?: number;
  /** Time allowed for each answer. Default 10000 ms. */
  timeoutMs?: number;
}

/** The answers met from a URL to its final page, and why following stopped early, if it did. */
export interface AnswerChain {
  answers: Array<HttpAnswer & { headers: Array<[string, string]> }>;
  stopped?: { reason: 'other-host' | 'too-many-redirects'; message: string };
}

/**
 * GETs `url` and follows its redirects one hop at a time, so every hop can be audited.
 * Redirects to another host are recorded but not followed.
 *
 * @example
 * ```ts
 * const { answers } = await fetchAnswers('http://usegalaxy.example/');
 * for (const answer of answers) console.log(answer.url, auditHeaders(answer));
 * ```
 */
export async function fetchAnswers(
  url: string,
  options: FetchAnswersOptions = {},
): Promise<AnswerChain> {
  const answers: AnswerChain['answers'] = [];
  let current = new URL(url);
  for (let hop = 0; hop <= (options.maxRedirects ?? 10); hop++) {
    const answer = await fetchOne(current, options);
    answers.push(answer);
    const location = answer.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
    if (answer.status < 300 || answer.status >= 400 || location === undefined) return { answers };

    const next = new URL(location, current);
    if (next.hostname !== current.hostname) {
      const message = `redirect to another host (${next.host}) not followed`;
      return { answers, stopped: { reason: 'other-host', message } };
    }
    current = next;
  }
  return { answers, stopped: { reason: 'too-many-redirects', message: 'too many redirects' } };
}

async function fetchOne(url: URL, options: FetchAnswersOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
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

function insecureGet(url: URL, timeoutMs: number) {
  return new Promise<AnswerChain['answers'][number]>((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const raw = res.rawHeaders;
      const headers: Array<[string, string]> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
      resolve({ url: url.href, status: res.statusCode ?? 0, headers });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return cause ?? (err as Error).message ?? String(err);
}
