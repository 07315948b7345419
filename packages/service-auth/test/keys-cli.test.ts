import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceVerifier,
  loadServiceIdentity,
  readJwksFile,
  signRequest,
} from '../src/index.js';
import { identities } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/keys-cli.js', import.meta.url));
let dir = '';

function keys(...args: string[]) {
  return spawnSync(process.execPath, [CLI, '--dir', dir, ...args], { encoding: 'utf8' });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'service-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('galaxy-service-keys', () => {
  it('writes a private JWK only its owner can read and a public JWKS', async () => {
    const run = keys('--name', 'gateway');
    expect(run.status).toBe(0);
    const privatePath = join(dir, 'gateway.private.jwk.json');
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    const identity = await loadServiceIdentity('gateway', privatePath);
    const jwks = await readJwksFile(join(dir, 'gateway.jwks.json'));
    expect(jwks.keys.map((key) => key.kid)).toEqual([identity.kid]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
    expect(run.stdout).toContain(identity.kid);
  });

  it('writes EdDSA keys on request', async () => {
    expect(keys('--name', 'pulsar', '--alg', 'EdDSA').status).toBe(0);
    const identity = await loadServiceIdentity('pulsar', join(dir, 'pulsar.private.jwk.json'));
    expect(identity.alg).toBe('EdDSA');
  });

  it('refuses to overwrite, a bad algorithm and a missing name', () => {
    expect(keys('--name', 'gateway').status).toBe(0);
    const again = keys('--name', 'gateway');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/refuses to overwrite existing keys/);
    expect(keys('--name', 'x', '--alg', 'HS256').stderr).toMatch(/--alg must be ES256 or EdDSA/);
    expect(keys().status).toBe(2);
  });

  it('rotates with an overlap where old and new kid are both accepted, then prunes', async () => {
    expect(keys('--name', 'gateway').status).toBe(0);
    const privatePath = join(dir, 'gateway.private.jwk.json');
    const jwksPath = join(dir, 'gateway.jwks.json');
    const old = await loadServiceIdentity('gateway', privatePath);
    expect(keys('--name', 'gateway', '--rotate').status).toBe(0);
    const current = await loadServiceIdentity('gateway', privatePath);
    const overlap = await readJwksFile(jwksPath);
    expect(overlap.keys.map((key) => key.kid)).toEqual([current.kid, old.kid]);

    const { runner } = await identities();
    const verifierFor = async (jwksFile: string) => {
      const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
      return createServiceVerifier({
        identity: runner,
        peers: [{ name: 'gateway', algorithms: ['ES256'], jwks, routes: ['GET /jobs'] }],
      });
    };
    const during = await verifierFor(jwksPath);
    for (const signer of [old, current]) {
      const signed = await signRequest(signer, {
        audience: 'job-runner',
        method: 'GET',
        path: '/jobs',
      });
      const call = { authorization: signed.authorization, method: 'GET', path: '/jobs', body: '' };
      await expect(during.verify(call)).resolves.toMatchObject({ kid: signer.kid });
    }

    expect(keys('--name', 'gateway', '--prune').status).toBe(0);
    const after = await verifierFor(jwksPath);
    const signed = await signRequest(old, { audience: 'job-runner', method: 'GET', path: '/jobs' });
    const call = { authorization: signed.authorization, method: 'GET', path: '/jobs', body: '' };
    await expect(after.verify(call)).rejects.toMatchObject({
      code: 'ERR_SERVICE_AUTH_UNKNOWN_KEY',
    });
    await during.close();
    await after.close();
  });
});
