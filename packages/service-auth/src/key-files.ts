import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceAlgorithm } from './algorithms.js';
import { optionError, ServiceAuthError } from './errors.js';
import {
  createServiceIdentity,
  generateServiceKey,
  type PrivateJwk,
  publicJwks,
  type ServiceIdentity,
} from './identity.js';
import { importPublicJwks, type PublicJwk, type PublicJwks } from './jwk.js';
import { checkName } from './names.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * How {@link writeServiceKeys} treats files already there.
 *
 * @example
 * await writeServiceKeys({ name: 'gateway', dir, mode: 'rotate' satisfies KeyWriteMode });
 */
export type KeyWriteMode = 'create' | 'rotate' | 'prune';

/**
 * Options of {@link writeServiceKeys}.
 *
 * @example
 * await writeServiceKeys({ name: 'pulsar', dir: '/etc/galaxy/keys', alg: 'EdDSA' });
 */
export interface WriteServiceKeysOptions {
  /** The component name; files are `<name>.private.jwk.json` and `<name>.jwks.json`. */
  name: string;
  /** Directory to write to. */
  dir: string;
  /** Algorithm of a new key; defaults to `ES256`. */
  alg?: ServiceAlgorithm;
  /**
   * `create` refuses to overwrite; `rotate` writes a new private key and keeps the old public
   * keys in the JWKS for the overlap; `prune` drops every public key but the current one once
   * the overlap is over. Defaults to `create`.
   */
  mode?: KeyWriteMode;
}

/**
 * Paths written and the current `kid`.
 *
 * @example
 * const { kid, jwksPath } = await writeServiceKeys({ name: 'gateway', dir });
 */
export interface WrittenServiceKeys {
  privateJwkPath: string;
  jwksPath: string;
  kid: string;
  /** Every `kid` now in the JWKS, current first. */
  kids: string[];
}

const WRITE_OPTIONS = optionNames<WriteServiceKeysOptions>({
  name: true,
  dir: true,
  alg: true,
  mode: true,
});

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    // fs errors name the path and errno only: safe to keep.
    const message = `@galaxy-harden/service-auth: cannot read ${what} at ${path}`;
    throw new ServiceAuthError('ERR_SERVICE_AUTH_KEY', message, { cause });
  }
  try {
    return JSON.parse(text);
  } catch {
    // No cause: V8's SyntaxError quotes the text around the fault, which in a private key
    // file can be part of `d`, and loggers print an error's cause.
    const message = `@galaxy-harden/service-auth: ${what} at ${path} is not valid JSON`;
    throw new ServiceAuthError('ERR_SERVICE_AUTH_KEY', message);
  }
}

/**
 * Reads and checks a public JWKS file (every key must import; `kid` must be the thumbprint).
 *
 * @example
 * const gatewayJwks = await readJwksFile('/etc/galaxy/keys/gateway.jwks.json');
 */
export async function readJwksFile(path: string): Promise<PublicJwks> {
  const json = readJson(path, 'a JWKS');
  const keys = await importPublicJwks(json, path);

  return { keys: keys.map((key) => key.jwk) };
}

/**
 * Reads a private JWK file written by `galaxy-service-keys` and builds the identity.
 *
 * @example
 * const identity = await loadServiceIdentity('gateway', '/run/secrets/gateway.private.jwk.json');
 */
export async function loadServiceIdentity(name: string, path: string): Promise<ServiceIdentity> {
  return createServiceIdentity(name, readJson(path, 'a private JWK') as PrivateJwk);
}

// Write beside, then rename: a crash never leaves half a key file.
function writeAtomically(path: string, data: unknown, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode, flag: 'wx' });
  renameSync(temporary, path);
}

async function keptKeys(mode: KeyWriteMode, jwksPath: string): Promise<PublicJwk[]> {
  if (mode !== 'rotate') return [];

  return (await readJwksFile(jwksPath)).keys;
}

function checkFiles(mode: KeyWriteMode, privateJwkPath: string, jwksPath: string): void {
  const present = existsSync(privateJwkPath) || existsSync(jwksPath);
  if (mode === 'create' && present) {
    throw optionError('mode', mode, 'refuses to overwrite existing keys', 'use rotate or prune');
  }
  if (mode !== 'create' && !present) {
    throw optionError('mode', mode, 'needs existing keys', 'run without a mode first');
  }
}

/**
 * Writes a component's private JWK (mode 0600) and public JWKS. This is what the
 * `galaxy-service-keys` command runs.
 *
 * @example
 * await writeServiceKeys({ name: 'gateway', dir: '/etc/galaxy/keys' });
 * await writeServiceKeys({ name: 'gateway', dir: '/etc/galaxy/keys', mode: 'rotate' });
 */
export async function writeServiceKeys(
  options: WriteServiceKeysOptions,
): Promise<WrittenServiceKeys> {
  assertKnownKeys('', options, WRITE_OPTIONS);
  const name = checkName('name', options.name);
  const mode = options.mode ?? 'create';
  if (!['create', 'rotate', 'prune'].includes(mode)) {
    throw optionError('mode', mode, 'must be create, rotate or prune', 'pick one');
  }
  const privateJwkPath = join(options.dir, `${name}.private.jwk.json`);
  const jwksPath = join(options.dir, `${name}.jwks.json`);
  checkFiles(mode, privateJwkPath, jwksPath);

  const privateJwk =
    mode === 'prune'
      ? (readJson(privateJwkPath, 'a private JWK') as PrivateJwk)
      : await generateServiceKey(options.alg);
  const identity = await createServiceIdentity(name, privateJwk);
  const old = (await keptKeys(mode, jwksPath)).filter((key) => key.kid !== identity.kid);
  const jwks = publicJwks(identity, ...old);
  if (mode !== 'prune') writeAtomically(privateJwkPath, privateJwk, 0o600);
  writeAtomically(jwksPath, jwks, 0o644);

  const kids = jwks.keys.map((key) => key.kid);
  return { privateJwkPath, jwksPath, kid: identity.kid, kids };
}
