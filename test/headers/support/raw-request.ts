import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ConnectionOptions, connect } from 'node:tls';

/** An answer with its header fields exactly as sent. */
export interface RawAnswer {
  url: string;
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** Options of {@link rawRequest}. */
export interface RawInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A PEM certificate to trust; without it any certificate is accepted. */
  ca?: string;
}

/** One request without redirects. */
export function rawRequest(url: string, init: RawInit = {}): Promise<RawAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const tls = init.ca === undefined ? { rejectUnauthorized: false } : { ca: init.ca };
    const options = { method: init.method ?? 'GET', headers: init.headers, ...tls };
    const req = send(target, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        }
        resolve({ url, status: res.statusCode ?? 0, headers, body });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Every value of header `name`, one per field line. */
export function fields(answer: RawAnswer, name: string): string[] {
  return answer.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

/** The TLS version a handshake settles on, or the error that ended it. */
export function tlsVersion(port: number, options: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.end();
    });
    socket.once('error', (err) => resolve(`error: ${err.message}`));
  });
}
