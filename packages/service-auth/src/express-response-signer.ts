import type { Response } from 'express';
import { RESPONSE_HEADER } from './claims.js';
import type { BodyBytes } from './digest.js';
import { emit } from './events.js';
import type { AuthenticatedPeer, ServiceVerifier } from './verifier.js';

type End = Response['end'];

function bytesOf(chunk: unknown, encoding: unknown): BodyBytes | undefined {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }

  return chunk instanceof Uint8Array ? chunk : undefined;
}

function unsigned(verifier: ServiceVerifier, peer: AuthenticatedPeer, reason: string): void {
  const event = {
    type: 'service.response-unsigned' as const,
    peer: peer.name,
    jti: peer.jti,
    reason,
  };
  emit(verifier.onEvent, event);
}

/**
 * Signs the answer to an authenticated call when it ends: `res.send`, `res.json` and
 * `res.end(body)` hand the whole body to `end`, so the digest covers what is sent. A
 * streamed answer (`res.write`) has sent its headers already; it goes out unsigned, is
 * reported, and the fetch wrapper refuses it.
 */
export function signAnswerOnEnd(res: Response, verifier: ServiceVerifier, peer: AuthenticatedPeer) {
  const end = res.end;
  const signedEnd = function signedEnd(chunk?: unknown, encoding?: unknown, callback?: unknown) {
    res.end = end;
    const finish = () =>
      end.call(res, chunk as string, encoding as BufferEncoding, callback as () => void);
    if (res.headersSent) {
      unsigned(verifier, peer, 'headers sent before the end (streamed answer)');
      return finish();
    }

    // Signing is asynchronous (WebCrypto); the answer leaves once the header is set.
    verifier.signResponse(peer, res.statusCode, bytesOf(chunk, encoding)).then(
      (token) => {
        if (!res.headersSent) res.setHeader(RESPONSE_HEADER, token);
        finish();
      },
      () => {
        unsigned(verifier, peer, 'signing failed');
        finish();
      },
    );
    return res;
  };
  res.end = signedEnd as End;
}
