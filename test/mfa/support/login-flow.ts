import { generateSync } from 'otplib';

/** A tiny cookie-keeping HTTP client for one browser session against a gateway. */
export class Browser {
  private cookie = '';

  constructor(
    private readonly baseUrl: string,
    private readonly send: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ) {}

  async call(method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (body !== undefined) init.body = JSON.stringify(body);

    const response = await this.send(`${this.baseUrl}${path}`, init);
    this.keepCookie(response.headers.get('set-cookie'));
    const text = await response.text();
    const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};

    return { status: response.status, headers: response.headers, body: json, text };
  }

  private keepCookie(header: string | null): void {
    const pair = header?.split(';')[0];
    if (!pair) return;

    this.cookie = pair.endsWith('=') ? '' : pair;
  }
}

/** The base32 secret of an `otpauth://` URI, as an authenticator app reads it. */
export function secretOfUri(uri: string): string {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP URI: ${uri}`);

  return url.searchParams.get('secret') ?? '';
}

/** The code an authenticator shows at `ms` for the secret. */
export function codeAt(secret: string, ms: number): string {
  return generateSync({ secret, epoch: Math.floor(ms / 1000) });
}
