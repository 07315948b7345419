import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bodyDigest,
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  loadServiceIdentity,
  publicJwks,
  REQUEST_TYP,
  type ServiceIdentity,
  type ServiceVerifier,
  signRequest,
  writeServiceKeys,
} from '@galaxy-harden/service-auth';
import { captureRawBody, serviceAuth } from '@galaxy-harden/service-auth/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Debian's interpreter, where python3-jwt lives (not a pyenv python3 on the PATH).
const PYTHON = '/usr/bin/python3';
const HELPER = fileURLToPath(new URL('./python/pyjwt_interop.py', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/python/call_service.py', import.meta.url));

function pyjwt(command: object): Record<string, unknown> {
  const run = spawnSync(PYTHON, ['-B', HELPER], {
    input: JSON.stringify(command),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`pyjwt helper failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function privateJwkOf(dir: string, name: string) {
  return JSON.parse(readFileSync(join(dir, `${name}.private.jwk.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

const dir = mkdtempSync(join(tmpdir(), 'service-auth-py-'));
let galaxy: ServiceIdentity;
let runner: ServiceIdentity;
let verifier: ServiceVerifier;

beforeAll(async () => {
  await writeServiceKeys({ name: 'galaxy', dir });
  await writeServiceKeys({ name: 'pulsar', dir, alg: 'EdDSA' });
  await writeServiceKeys({ name: 'job-runner', dir });
  galaxy = await loadServiceIdentity('galaxy', join(dir, 'galaxy.private.jwk.json'));
  runner = await loadServiceIdentity('job-runner', join(dir, 'job-runner.private.jwk.json'));
  const pulsar = await loadServiceIdentity('pulsar', join(dir, 'pulsar.private.jwk.json'));
  verifier = await createServiceVerifier({
    identity: runner,
    peers: [
      { name: 'galaxy', algorithms: ['ES256'], jwks: publicJwks(galaxy), routes: ['POST /jobs'] },
      { name: 'pulsar', algorithms: ['EdDSA'], jwks: publicJwks(pulsar), routes: ['POST /jobs'] },
    ],
  });
});

afterAll(async () => {
  await verifier.close();
  rmSync(dir, { recursive: true, force: true });
});

function claimsFor(name: string, body: string) {
  const iat = Math.floor(Date.now() / 1000);
  const jti = Buffer.from(`${name}-${Math.random()}`).toString('base64url');
  return {
    iss: name,
    sub: name,
    aud: 'job-runner',
    iat,
    exp: iat + 30,
    jti,
    htm: 'POST',
    htp: '/jobs',
    hbd: bodyDigest(body),
  };
}

describe('PyJWT 2.6 (python3-jwt) and this package', () => {
  it.each(['galaxy', 'pulsar'])('agree on the RFC 7638 thumbprint (%s key)', async (name) => {
    const identity = await loadServiceIdentity(name, join(dir, `${name}.private.jwk.json`));
    expect(pyjwt({ op: 'thumbprint', jwk: identity.publicJwk }).thumbprint).toBe(identity.kid);
  });

  it.each([
    ['galaxy', 'ES256'],
    ['pulsar', 'EdDSA'],
  ])('a %s token minted by PyJWT (%s) is accepted once', async (name, alg) => {
    const body = '{"tool":"grep"}';
    const privateJwk = privateJwkOf(dir, name);
    const header = { kid: privateJwk.kid, typ: REQUEST_TYP };
    const { token } = pyjwt({ op: 'mint', jwk: privateJwk, claims: claimsFor(name, body), header });
    const call = { authorization: `Bearer ${token}`, method: 'POST', path: '/jobs', body };
    await expect(verifier.verify(call)).resolves.toMatchObject({ name, alg });
    await expect(verifier.verify(call)).rejects.toMatchObject({ code: 'ERR_SERVICE_AUTH_REPLAY' });
  });

  it('a PyJWT token with its default typ "JWT" is refused', async () => {
    const body = '';
    const privateJwk = privateJwkOf(dir, 'galaxy');
    const { token } = pyjwt({
      op: 'mint',
      jwk: privateJwk,
      claims: claimsFor('galaxy', body),
      header: { kid: privateJwk.kid },
    });
    const call = { authorization: `Bearer ${token}`, method: 'POST', path: '/jobs', body };
    await expect(verifier.verify(call)).rejects.toMatchObject({ code: 'ERR_SERVICE_AUTH_HEADER' });
  });

  it.each(['ES256', 'EdDSA'] as const)(
    'PyJWT verifies a %s token this package minted',
    async (alg) => {
      const caller = await createServiceIdentity('galaxy', await generateServiceKey(alg));
      const signed = await signRequest(caller, {
        audience: 'job-runner',
        method: 'POST',
        path: '/jobs?x=1',
        body: 'abc',
      });
      const answer = pyjwt({
        op: 'verify',
        jwk: caller.publicJwk,
        token: signed.token,
        audience: 'job-runner',
        issuer: 'galaxy',
      });
      expect(answer.claims).toMatchObject({
        jti: signed.jti,
        htm: 'POST',
        htp: '/jobs?x=1',
        hbd: bodyDigest('abc'),
      });
      expect(answer.header).toEqual({ alg, kid: caller.kid, typ: REQUEST_TYP });
      const wrong = pyjwt({
        op: 'verify',
        jwk: caller.publicJwk,
        token: signed.token,
        audience: 'pulsar',
        issuer: 'galaxy',
      });
      expect(wrong.error).toBe('InvalidAudienceError');
    },
  );
});

describe('the Python example (examples/python/call_service.py)', () => {
  let server: Server;
  let impostor: Server;
  const urls: string[] = [];

  async function runnerApp(identity: ServiceIdentity) {
    const guard = await createServiceVerifier({
      identity,
      peers: [
        { name: 'galaxy', algorithms: ['ES256'], jwks: publicJwks(galaxy), routes: ['POST /jobs'] },
      ],
    });
    const app = express();
    app.post('/jobs', express.json({ verify: captureRawBody }), serviceAuth(guard), (req, res) => {
      res
        .status(201)
        .json({ by: req.servicePeer?.name, tool: (req.body as { tool: string }).tool });
    });
    const started = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    urls.push(`http://127.0.0.1:${(started.address() as AddressInfo).port}/jobs`);
    return started;
  }

  beforeAll(async () => {
    server = await runnerApp(runner);
    impostor = await runnerApp(
      await createServiceIdentity('job-runner', await generateServiceKey()),
    );
  });
  afterAll(async () => {
    await Promise.all([server, impostor].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  function example(url: string, body: string) {
    const args = [
      EXAMPLE,
      '--name',
      'galaxy',
      '--key',
      join(dir, 'galaxy.private.jwk.json'),
      '--peer',
      'job-runner',
      '--peer-jwks',
      join(dir, 'job-runner.jwks.json'),
      '--url',
      url,
      '--body',
      body,
    ];
    // Asynchronous: the Express server answering lives in this same process.
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(PYTHON, args);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it('calls the guarded job runner and verifies its signed answer', async () => {
    const run = await example(`${urls[0]}?queue=default`, '{"tool":"grep"}');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('201 {"by":"galaxy","tool":"grep"}');
  });

  it('refuses the answer of a process without the job runner key', async () => {
    const run = await example(urls[1] as string, '{"tool":"grep"}');
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /refused the answer: answer signed by a key the peer does not publish/,
    );
  });
});
