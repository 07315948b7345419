import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAuth } from '../src/express.js';
import { certificateThumbprint, signRequest } from '../src/index.js';
import { gatewayPeer, runnerVerifier } from './helpers.js';

interface Pair {
  key: string;
  cert: string;
  thumbprint: string;
}

const dir = mkdtempSync(join(tmpdir(), 'service-auth-tls-'));

function selfSigned(name: string): Pair {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(cert, 'utf8');
  return {
    key: readFileSync(key, 'utf8'),
    cert: pem,
    thumbprint: certificateThumbprint(new X509Certificate(pem).raw),
  };
}

let ctx: Awaited<ReturnType<typeof runnerVerifier>>;
let server: Server;
let port = 0;
let serverPair: Pair;
let clientPair: Pair;
let otherClient: Pair;

function send(authorization: string, client?: Pair): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/jobs/1',
        method: 'GET',
        ca: serverPair.cert,
        headers: { authorization },
        ...(client ? { key: client.key, cert: client.cert } : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  serverPair = selfSigned('job-runner');
  clientPair = selfSigned('gateway');
  otherClient = selfSigned('intruder');
  ctx = await runnerVerifier();
  const app = express();
  app.get('/jobs/:id', serviceAuth(ctx.verifier), (_req, res) => res.send('ok'));
  // requestCert without CA checking: the token's cnf, not a CA, says which certificate counts.
  server = createServer(
    { key: serverPair.key, cert: serverPair.cert, requestCert: true, rejectUnauthorized: false },
    app,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function signedFor(thumbprint?: string) {
  return signRequest(ctx.gateway, {
    audience: 'job-runner',
    method: 'GET',
    path: '/jobs/1',
    now: ctx.clock.now,
    certificateThumbprint: thumbprint,
  });
}

describe('binding to a TLS client certificate (cnf x5t#S256)', () => {
  it('accepts the token over a connection with that certificate', async () => {
    const signed = await signedFor(clientPair.thumbprint);
    expect(await send(signed.authorization, clientPair)).toBe(200);
  });

  it('refuses it over a connection with another certificate', async () => {
    const signed = await signedFor(clientPair.thumbprint);
    expect(await send(signed.authorization, otherClient)).toBe(401);
    expect(ctx.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_CERTIFICATE' });
  });

  it('refuses it over a connection without a client certificate', async () => {
    const signed = await signedFor(clientPair.thumbprint);
    expect(await send(signed.authorization)).toBe(401);
  });

  it('refuses an unbound token when the peer requires binding', async () => {
    const strict = await runnerVerifier({});
    const verifier = await (await import('../src/index.js')).createServiceVerifier({
      identity: strict.runner,
      peers: [gatewayPeer(strict.gateway, { requireCertificateBinding: true })],
      now: strict.clock.now,
    });
    const signed = await signRequest(strict.gateway, {
      audience: 'job-runner',
      method: 'GET',
      path: '/jobs/1',
      now: strict.clock.now,
    });
    const call = { authorization: signed.authorization, method: 'GET', path: '/jobs/1', body: '' };
    await expect(verifier.verify(call)).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_CERTIFICATE',
    });
    await verifier.close();
  });
});
