import { request } from 'node:https';

/**
 * A `fetch`-shaped call over node:https that trusts one CA certificate (the demo's
 * self-signed one), so the tests check TLS as curl `--cacert` does instead of turning it off.
 */
export function httpsFetchTrusting(ca: string) {
  return (url: string, init: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const headers = init.headers as Record<string, string>;
      const req = request(url, { method: init.method, headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          // A 204 or 304 answer has no body, and `Response` refuses one, even empty.
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers: headersOf(res.headers) }));
        });
      });
      req.on('error', reject);
      req.end(init.body as string | undefined);
    });
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of [value ?? []].flat()) headers.append(name, one);
  }
  return headers;
}
