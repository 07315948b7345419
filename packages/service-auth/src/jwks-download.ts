/**
 * A failed JWKS fetch whose message this package wrote: safe to put in an event. `dropKeys`
 * asks the key source to forget what it cached, not to serve it stale.
 */
export class JwksFetchError extends Error {
  readonly dropKeys: boolean;

  constructor(message: string, dropKeys = false) {
    super(message);
    this.name = 'JwksFetchError';
    this.dropKeys = dropKeys;
  }
}

/** Bounds of one download. */
export interface DownloadLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

const ERROR_NAME = /^[A-Za-z]{1,40}$/;

/**
 * Why a fetch failed, in words safe for an event. Foreign messages stay out: undici's quotes
 * the URL with its credentials, V8's JSON errors quote the body.
 */
export function fetchFailureReason(error: unknown): string {
  if (error instanceof JwksFetchError) return error.message;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return 'no answer within timeoutMs';

  return ERROR_NAME.test(name) ? `request failed (${name})` : 'request failed';
}

/** Reads at most `max` bytes of a body, cancelling the stream past that. */
async function readCapped(response: Response, max: number): Promise<string> {
  const tooLarge = () => new JwksFetchError('JWKS too large');
  if (Number(response.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const reader = response.body?.getReader();
  if (reader === undefined) return '';

  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Fetches and parses a JWKS document within `limits`; redirects are errors. Throws a
 * {@link JwksFetchError} for what it checks itself, and lets fetch's own errors through.
 */
export async function downloadJwks(
  fetchFn: typeof fetch,
  url: URL,
  limits: DownloadLimits,
): Promise<unknown> {
  const response = await fetchFn(url, {
    signal: AbortSignal.timeout(limits.timeoutMs),
    // A redirect could point the fetch anywhere, loopback services included.
    redirect: 'error',
    headers: { accept: 'application/jwk-set+json, application/json' },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new JwksFetchError(`JWKS URL answered ${response.status}`);
  }

  const text = await readCapped(response, limits.maxResponseBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new JwksFetchError('JWKS is not valid JSON');
  }
}
